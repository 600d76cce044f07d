"""org_meetings: the written record of a 三会一课 meeting, kept from the console

place, notes (the minutes), photos (keys in the private meeting-photo store), absences (member
id → reason; NULL for the meetings recorded so far, whose absences were never listed) and
updated_at (the last edit, within MEETING_EDIT_DAYS).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-12 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('org_meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place', sa.String(length=100), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('notes', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('photos', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('absences', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('org_meetings', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('absences')
        batch_op.drop_column('photos')
        batch_op.drop_column('notes')
        batch_op.drop_column('place')
