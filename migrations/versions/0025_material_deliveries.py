"""material deliveries: one row per member and material the first time the material reached
the member (push, 群发, featured-reflections digest, nudge card), counted once; the existing
push deliveries are copied in (the first occurrence of each member and material).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-20 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

# Plain SQL that SQLite and PostgreSQL both run: every (member, material) a push reached, at
# its first occurrence; a generated digest material (slug digest-...) went out as the digest.
BACKFILL = """
INSERT INTO material_deliveries (member_id, material_id, first_at, via, source)
SELECT d.member_id, o.material_id, MIN(o.due_at),
       CASE WHEN m.slug LIKE 'digest-%' THEN 'digest' ELSE 'push' END,
       'occurrence:' || CAST(MIN(o.id) AS VARCHAR(20))
FROM push_deliveries d
JOIN push_occurrences o ON o.id = d.occurrence_id
JOIN materials m ON m.id = o.material_id
GROUP BY d.member_id, o.material_id, m.slug
"""


def upgrade():
    op.create_table(
        'material_deliveries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('material_id', sa.Integer(), nullable=False),
        sa.Column('first_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('via', sa.String(length=16), nullable=False),
        sa.Column('source', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['material_id'], ['materials.id'],
                                name=op.f('fk_material_deliveries_material_id_materials')),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'],
                                name=op.f('fk_material_deliveries_member_id_members')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_material_deliveries')),
        sa.UniqueConstraint('member_id', 'material_id',
                            name=op.f('uq_material_deliveries_member_id')),
    )
    with op.batch_alter_table('material_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_material_deliveries_material_id'), ['material_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_material_deliveries_first_at'), ['first_at'],
                              unique=False)
    op.execute(BACKFILL)


def downgrade():
    with op.batch_alter_table('material_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_material_deliveries_first_at'))
        batch_op.drop_index(batch_op.f('ix_material_deliveries_material_id'))
    op.drop_table('material_deliveries')
