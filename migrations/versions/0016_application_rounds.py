"""application_rounds: rounds of lecturer applications (第三批红色讲师报名), opened and closed
in the console; members may apply in chat only while one is open, and at most one is open
(`is_open` is True while open, NULL once closed, under a unique constraint).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-10 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'application_rounds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('batch', sa.Integer(), nullable=False),
        sa.Column('is_open', sa.Boolean(), nullable=True),
        sa.Column('opened_by', sa.String(length=100), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_by', sa.String(length=100), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_application_rounds')),
        sa.UniqueConstraint('is_open', name=op.f('uq_application_rounds_is_open')),
    )


def downgrade():
    op.drop_table('application_rounds')
