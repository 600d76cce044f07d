"""activities and the year's other records: screenings, training sessions, hall visits and
committee lectures as activities with a check-in (check_ins.activity_id, unique per member);
trainings and their enrolments; study books and their distribution to organisations with the
contact's receipt; the hall's slots (capacity, booked) and visit bookings; publicity results
(宣传成果) and the year's awards (评选), unique per year, kind and subject.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-16 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('books',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('publisher', sa.String(length=100), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('form_key', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_books')),
    sa.UniqueConstraint('form_key', name=op.f('uq_books_form_key'))
    )
    op.create_table('hall_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hall', sa.String(length=100), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.Column('open', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hall_slots')),
    sa.UniqueConstraint('hall', 'starts_at', name=op.f('uq_hall_slots_hall'))
    )
    with op.batch_alter_table('hall_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hall_slots_starts_at'), ['starts_at'], unique=False)

    op.create_table('trainings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('planned_sessions', sa.Integer(), nullable=False),
    sa.Column('session_hours', sa.Numeric(precision=5, scale=2, asdecimal=False), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('form_key', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainings')),
    sa.UniqueConstraint('form_key', name=op.f('uq_trainings_form_key'))
    )
    with op.batch_alter_table('trainings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trainings_kind'), ['kind'], unique=False)

    op.create_table('book_distributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('book_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_by_actor', sa.String(length=100), nullable=True),
    sa.Column('members_given', sa.Integer(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminders', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['book_id'], ['books.id'], name=op.f('fk_book_distributions_book_id_books')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['members.id'], name=op.f('fk_book_distributions_confirmed_by_id_members')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_book_distributions_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_book_distributions')),
    sa.UniqueConstraint('book_id', 'organization_id', name=op.f('uq_book_distributions_book_id'))
    )
    with op.batch_alter_table('book_distributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_book_distributions_book_id'), ['book_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_book_distributions_organization_id'), ['organization_id'], unique=False)

    op.create_table('publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('media', sa.String(length=16), nullable=False),
    sa.Column('platform', sa.String(length=24), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('outlet', sa.String(length=100), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('form_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_publications_member_id_members')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_publications_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publications')),
    sa.UniqueConstraint('form_key', name=op.f('uq_publications_form_key'))
    )
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publications_platform'), ['platform'], unique=False)
        batch_op.create_index(batch_op.f('ix_publications_published_on'), ['published_on'], unique=False)

    op.create_table('training_enrolments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('training_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('enrolled_by', sa.String(length=100), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_training_enrolments_member_id_members')),
    sa.ForeignKeyConstraint(['training_id'], ['trainings.id'], name=op.f('fk_training_enrolments_training_id_trainings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_enrolments')),
    sa.UniqueConstraint('training_id', 'member_id', name=op.f('uq_training_enrolments_training_id'))
    )
    with op.batch_alter_table('training_enrolments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_enrolments_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_enrolments_training_id'), ['training_id'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('checkin_code', sa.String(length=6), nullable=True),
    sa.Column('checkin_closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('guests', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=True),
    sa.Column('training_id', sa.Integer(), nullable=True),
    sa.Column('speaker', sa.String(length=100), nullable=False),
    sa.Column('speaker_member_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('form_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['material_id'], ['materials.id'], name=op.f('fk_activities_material_id_materials')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_activities_organization_id_organizations')),
    sa.ForeignKeyConstraint(['speaker_member_id'], ['members.id'], name=op.f('fk_activities_speaker_member_id_members')),
    sa.ForeignKeyConstraint(['training_id'], ['trainings.id'], name=op.f('fk_activities_training_id_trainings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities')),
    sa.UniqueConstraint('form_key', name=op.f('uq_activities_form_key'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_checkin_code'), ['checkin_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_material_id'), ['material_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_training_id'), ['training_id'], unique=False)

    op.create_table('awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('subject', sa.String(length=40), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('rule', sa.String(length=300), nullable=False),
    sa.Column('figure', sa.String(length=200), nullable=False),
    sa.Column('decided_by', sa.String(length=100), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('broadcast_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['broadcast_id'], ['broadcasts.id'], name=op.f('fk_awards_broadcast_id_broadcasts')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_awards_member_id_members')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_awards_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_awards')),
    sa.UniqueConstraint('year', 'kind', 'subject', name=op.f('uq_awards_year'))
    )
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_awards_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_year'), ['year'], unique=False)

    op.create_table('activity_audiences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_audiences_activity_id_activities')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_activity_audiences_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_audiences')),
    sa.UniqueConstraint('activity_id', 'organization_id', name=op.f('uq_activity_audiences_activity_id'))
    )
    with op.batch_alter_table('activity_audiences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_audiences_activity_id'), ['activity_id'], unique=False)

    op.create_table('visit_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('contact_name', sa.String(length=100), nullable=False),
    sa.Column('contact_phone', sa.String(length=32), nullable=False),
    sa.Column('group_size', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('booked_by', sa.String(length=100), nullable=False),
    sa.Column('message_key', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_visit_bookings_activity_id_activities')),
    sa.ForeignKeyConstraint(['contact_id'], ['members.id'], name=op.f('fk_visit_bookings_contact_id_members')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_visit_bookings_organization_id_organizations')),
    sa.ForeignKeyConstraint(['slot_id'], ['hall_slots.id'], name=op.f('fk_visit_bookings_slot_id_hall_slots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_bookings')),
    sa.UniqueConstraint('activity_id', name=op.f('uq_visit_bookings_activity_id')),
    sa.UniqueConstraint('message_key', name=op.f('uq_visit_bookings_message_key'))
    )
    with op.batch_alter_table('visit_bookings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_bookings_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_bookings_slot_id'), ['slot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_bookings_status'), ['status'], unique=False)

    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('activity_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_check_ins_activity_id'), ['activity_id'], unique=False)
        batch_op.create_unique_constraint('uq_check_ins_member_activity', ['member_id', 'activity_id'])
        batch_op.create_foreign_key(batch_op.f('fk_check_ins_activity_id_activities'), 'activities', ['activity_id'], ['id'])



def downgrade():
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_check_ins_activity_id_activities'), type_='foreignkey')
        batch_op.drop_constraint('uq_check_ins_member_activity', type_='unique')
        batch_op.drop_index(batch_op.f('ix_check_ins_activity_id'))
        batch_op.drop_column('activity_id')

    with op.batch_alter_table('visit_bookings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_bookings_status'))
        batch_op.drop_index(batch_op.f('ix_visit_bookings_slot_id'))
        batch_op.drop_index(batch_op.f('ix_visit_bookings_organization_id'))

    op.drop_table('visit_bookings')
    with op.batch_alter_table('activity_audiences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_audiences_activity_id'))

    op.drop_table('activity_audiences')
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_awards_year'))
        batch_op.drop_index(batch_op.f('ix_awards_member_id'))

    op.drop_table('awards')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_training_id'))
        batch_op.drop_index(batch_op.f('ix_activities_starts_at'))
        batch_op.drop_index(batch_op.f('ix_activities_organization_id'))
        batch_op.drop_index(batch_op.f('ix_activities_material_id'))
        batch_op.drop_index(batch_op.f('ix_activities_kind'))
        batch_op.drop_index(batch_op.f('ix_activities_checkin_code'))

    op.drop_table('activities')
    with op.batch_alter_table('training_enrolments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_enrolments_training_id'))
        batch_op.drop_index(batch_op.f('ix_training_enrolments_member_id'))

    op.drop_table('training_enrolments')
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publications_published_on'))
        batch_op.drop_index(batch_op.f('ix_publications_platform'))

    op.drop_table('publications')
    with op.batch_alter_table('book_distributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_book_distributions_organization_id'))
        batch_op.drop_index(batch_op.f('ix_book_distributions_book_id'))

    op.drop_table('book_distributions')
    with op.batch_alter_table('trainings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainings_kind'))

    op.drop_table('trainings')
    with op.batch_alter_table('hall_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hall_slots_starts_at'))

    op.drop_table('hall_slots')
    op.drop_table('books')
