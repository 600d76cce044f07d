"""assessment: the targets and weights admins set for the measures of the organisations'
quarterly scorecard (考核); a measure without a row counts with its documented default.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-17 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'score_rules',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('measure', sa.String(length=32), nullable=False),
        sa.Column('target', sa.Float(), nullable=False),
        sa.Column('weight', sa.Float(), nullable=False),
        sa.Column('updated_by', sa.String(length=100), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_score_rules')),
        sa.UniqueConstraint('measure', name=op.f('uq_score_rules_measure')),
    )


def downgrade():
    op.drop_table('score_rules')
