"""live_sessions: one row per (title, starts_at), so racing imports cannot count anyone twice

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22 10:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    twice = op.get_bind().execute(sa.text(
        "SELECT title, starts_at, count(*) FROM live_sessions "
        "GROUP BY title, starts_at HAVING count(*) > 1")).all()
    if twice:
        listed = "; ".join(f"{title!r} at {starts} ({n} rows)" for title, starts, n in twice)
        raise RuntimeError(
            "live_sessions holds sessions imported more than once, so the unique constraint "
            f"cannot be added: {listed}. Delete the extra session rows and their LIVE "
            "participations (source live:<id>) after checking them, then upgrade again.")
    with op.batch_alter_table('live_sessions', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_live_sessions_title_start', ['title', 'starts_at'])


def downgrade():
    with op.batch_alter_table('live_sessions', schema=None) as batch_op:
        batch_op.drop_constraint('uq_live_sessions_title_start', type_='unique')
