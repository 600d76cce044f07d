"""topics: edited_at, imported_at and create_key, so the console can edit the lecture menu

`topics sync` leaves alone a topic edited in the console since its last import (unless
--force) and never retires one the console created. Every topic so far came from
content/topics.yaml, so each is marked imported now.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 10:00:00

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('imported_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('create_key', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_topics_create_key'), ['create_key'])
    topics = sa.table('topics', sa.column('imported_at', sa.DateTime(timezone=True)))
    op.execute(topics.update().values(imported_at=datetime.now(UTC)))


def downgrade():
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_topics_create_key'), type_='unique')
        batch_op.drop_column('create_key')
        batch_op.drop_column('imported_at')
        batch_op.drop_column('edited_at')
