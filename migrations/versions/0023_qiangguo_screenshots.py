"""qiangguo screenshots: a 学习强国 screenshot's bytes and type, kept in its report's row once
downloaded (WeCom's temporary media ids expire after 3 days).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-18 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('qiangguo_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('image', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('image_type', sa.String(length=50), nullable=True))


def downgrade():
    with op.batch_alter_table('qiangguo_reports', schema=None) as batch_op:
        batch_op.drop_column('image_type')
        batch_op.drop_column('image')
