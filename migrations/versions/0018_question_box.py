"""questions: the question box (问题箱) — a member's question to the committee, its answer
(who answered, when, when last corrected) and whether it is published to the 问答库.

organization_id is the member's main organisation when asking, which a contact's scope is
checked against in the console queue.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-14 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'questions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('answer', sa.Text(), nullable=True),
        sa.Column('answered_by', sa.String(length=100), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('published', sa.Boolean(), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'],
                                name=op.f('fk_questions_member_id_members')),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                                name=op.f('fk_questions_organization_id_organizations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_questions')),
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index('ix_questions_member_id_asked_at', ['member_id', 'asked_at'],
                              unique=False)
        batch_op.create_index('ix_questions_organization_id_asked_at',
                              ['organization_id', 'asked_at'], unique=False)
        batch_op.create_index('ix_questions_published_published_at',
                              ['published', 'published_at'], unique=False)
        batch_op.create_index('ix_questions_status_asked_at', ['status', 'asked_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index('ix_questions_status_asked_at')
        batch_op.drop_index('ix_questions_published_published_at')
        batch_op.drop_index('ix_questions_organization_id_asked_at')
        batch_op.drop_index('ix_questions_member_id_asked_at')
    op.drop_table('questions')
