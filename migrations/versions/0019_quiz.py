"""quiz: 每日答题 — the question bank (single choice, multiple choice, true/false; options, the
answer's letters, the explanation, the material it comes from, the campaign of a 专项答题, an
active flag) and each member's set of questions per committee day with its answers.

quiz_attempts is unique per member, question and day, and an answer is written only over a
row not answered yet, so a retried callback or a double tap scores once.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-15 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'quiz_questions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('stem_key', sa.String(length=40), nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('answer', sa.String(length=8), nullable=False),
        sa.Column('explanation', sa.Text(), nullable=False),
        sa.Column('material_id', sa.Integer(), nullable=True),
        sa.Column('campaign_id', sa.Integer(), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('form_key', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'],
                                name=op.f('fk_quiz_questions_campaign_id_campaigns')),
        sa.ForeignKeyConstraint(['material_id'], ['materials.id'],
                                name=op.f('fk_quiz_questions_material_id_materials')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_questions')),
        sa.UniqueConstraint('form_key', name=op.f('uq_quiz_questions_form_key')),
        sa.UniqueConstraint('stem_key', name=op.f('uq_quiz_questions_stem_key')),
    )
    with op.batch_alter_table('quiz_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_questions_campaign_id'), ['campaign_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_quiz_questions_material_id'), ['material_id'],
                              unique=False)
        batch_op.create_index('ix_quiz_questions_pool', ['active', 'campaign_id'], unique=False)

    op.create_table(
        'quiz_attempts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=True),
        sa.Column('organization_id', sa.Integer(), nullable=True),
        sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('choice', sa.String(length=8), nullable=True),
        sa.Column('correct', sa.Boolean(), nullable=True),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'],
                                name=op.f('fk_quiz_attempts_campaign_id_campaigns')),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'],
                                name=op.f('fk_quiz_attempts_member_id_members')),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                                name=op.f('fk_quiz_attempts_organization_id_organizations')),
        sa.ForeignKeyConstraint(['question_id'], ['quiz_questions.id'],
                                name=op.f('fk_quiz_attempts_question_id_quiz_questions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_attempts')),
        sa.UniqueConstraint('member_id', 'question_id', 'day',
                            name=op.f('uq_quiz_attempts_member_id')),
    )
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_quiz_attempts_campaign', ['campaign_id', 'answered_at'],
                              unique=False)
        batch_op.create_index('ix_quiz_attempts_member_day', ['member_id', 'day'], unique=False)
        batch_op.create_index('ix_quiz_attempts_org_day', ['organization_id', 'day'],
                              unique=False)
        batch_op.create_index('ix_quiz_attempts_question_answered',
                              ['question_id', 'answered_at'], unique=False)


def downgrade():
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_attempts_question_answered')
        batch_op.drop_index('ix_quiz_attempts_org_day')
        batch_op.drop_index('ix_quiz_attempts_member_day')
        batch_op.drop_index('ix_quiz_attempts_campaign')
    op.drop_table('quiz_attempts')
    with op.batch_alter_table('quiz_questions', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_questions_pool')
        batch_op.drop_index(batch_op.f('ix_quiz_questions_material_id'))
        batch_op.drop_index(batch_op.f('ix_quiz_questions_campaign_id'))
    op.drop_table('quiz_questions')
