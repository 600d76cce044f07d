"""instance_marks: the demo marks the database it fills, and seeds no other

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('instance_marks',
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('kind', name=op.f('pk_instance_marks'))
    )


def downgrade():
    op.drop_table('instance_marks')
