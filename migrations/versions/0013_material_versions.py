"""material_versions: every saved state of a material; materials.edited_at / imported_at for
the sync's conflict rule (materials already in the database came from their files)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('material_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('form_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['material_id'], ['materials.id'], name=op.f('fk_material_versions_material_id_materials')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material_versions')),
    sa.UniqueConstraint('form_key', name=op.f('uq_material_versions_form_key')),
    sa.UniqueConstraint('material_id', 'number', name=op.f('uq_material_versions_material_id'))
    )
    with op.batch_alter_table('material_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_material_versions_material_id'), ['material_id'], unique=False)

    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('imported_at', sa.DateTime(timezone=True), nullable=True))

    # Until now every material came from its file by `content sync`, except the generated
    # digests (digest-...), which have no file: the others count as imported when last synced.
    materials = sa.table('materials', sa.column('slug', sa.String()),
                         sa.column('updated_at', sa.DateTime(timezone=True)),
                         sa.column('imported_at', sa.DateTime(timezone=True)))
    op.execute(materials.update().where(~materials.c.slug.like('digest-%'))
               .values(imported_at=materials.c.updated_at))


def downgrade():
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.drop_column('imported_at')
        batch_op.drop_column('edited_at')

    with op.batch_alter_table('material_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_material_versions_material_id'))

    op.drop_table('material_versions')
