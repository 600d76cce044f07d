"""participation rules and reading sessions: the admins' hours, points and daily caps per
participation kind from a start date on; and the reading pages' sessions, counted from their
heartbeats (a reading's time is what they add up to).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-19 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'participation_rules',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('hours', sa.Float(), nullable=False),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.Column('daily_points', sa.Integer(), nullable=False),
        sa.Column('daily_hours', sa.Float(), nullable=False),
        sa.Column('updated_by', sa.String(length=100), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_rules')),
        sa.UniqueConstraint('kind', 'starts_on', name=op.f('uq_participation_rules_kind')),
    )
    op.create_table(
        'reading_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('material_id', sa.Integer(), nullable=False),
        sa.Column('page', sa.String(length=40), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_beat_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('seconds', sa.Integer(), nullable=False),
        sa.Column('beats', sa.Integer(), nullable=False),
        sa.Column('last_seq', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['material_id'], ['materials.id'],
                                name=op.f('fk_reading_sessions_material_id_materials')),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'],
                                name=op.f('fk_reading_sessions_member_id_members')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reading_sessions')),
    )
    with op.batch_alter_table('reading_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_reading_sessions_member_beat', ['member_id', 'last_beat_at'],
                              unique=False)
        batch_op.create_index('ix_reading_sessions_page', ['member_id', 'material_id', 'page'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('reading_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_reading_sessions_page')
        batch_op.drop_index('ix_reading_sessions_member_beat')
    op.drop_table('reading_sessions')
    op.drop_table('participation_rules')
