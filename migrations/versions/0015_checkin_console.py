"""check-ins run from the console: 结束签到 before the window ends, 代签 by a console account

lectures.checkin_closed_at and org_meetings.checkin_closed_at: when an admin or contact closed
the check-in early (no more scans; NULL: the window set by CHECKIN_* decides alone).
check_ins.proxy_actor: who did 代签 or entered the leave from a local console account, which
is no member for proxy_id to name.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-10 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lectures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkin_closed_at', sa.DateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table('org_meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkin_closed_at', sa.DateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proxy_actor', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_column('proxy_actor')
    with op.batch_alter_table('org_meetings', schema=None) as batch_op:
        batch_op.drop_column('checkin_closed_at')
    with op.batch_alter_table('lectures', schema=None) as batch_op:
        batch_op.drop_column('checkin_closed_at')
