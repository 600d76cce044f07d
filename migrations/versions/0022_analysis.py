"""研判: analyses (a month's, quarter's or year's themes and lists, built by a job with its
progress and the result as JSON), the watch list's terms with their variants, the texts they
matched for human review (one per text and term, with the reviewer's note), and the mark of
how far the periodic scan has read.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 01:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('analyses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('scope', sa.JSON(), nullable=False),
    sa.Column('idle_weeks', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('form_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analyses')),
    sa.UniqueConstraint('form_key', name=op.f('uq_analyses_form_key'))
    )
    with op.batch_alter_table('analyses', schema=None) as batch_op:
        batch_op.create_index('ix_analyses_created_at', ['created_at'], unique=False)

    op.create_table('watch_scan_marks',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('scanned_to', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_watch_scan_marks'))
    )
    op.create_table('watch_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=100), nullable=False),
    sa.Column('normal', sa.String(length=100), nullable=False),
    sa.Column('variants', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watch_terms')),
    sa.UniqueConstraint('normal', name=op.f('uq_watch_terms_normal'))
    )
    op.create_table('watch_hits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=16), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=100), nullable=False),
    sa.Column('matched', sa.String(length=100), nullable=False),
    sa.Column('excerpt', sa.Text(), nullable=False),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('found_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_by', sa.String(length=100), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('action_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['term_id'], ['watch_terms.id'], name=op.f('fk_watch_hits_term_id_watch_terms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watch_hits')),
    sa.UniqueConstraint('source_kind', 'source_id', 'term_id', name=op.f('uq_watch_hits_source_kind'))
    )
    with op.batch_alter_table('watch_hits', schema=None) as batch_op:
        batch_op.create_index('ix_watch_hits_reviewed_at_found_at', ['reviewed_at', 'found_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_watch_hits_term_id'), ['term_id'], unique=False)



def downgrade():
    with op.batch_alter_table('watch_hits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watch_hits_term_id'))
        batch_op.drop_index('ix_watch_hits_reviewed_at_found_at')

    op.drop_table('watch_hits')
    op.drop_table('watch_terms')
    op.drop_table('watch_scan_marks')
    with op.batch_alter_table('analyses', schema=None) as batch_op:
        batch_op.drop_index('ix_analyses_created_at')

    op.drop_table('analyses')
