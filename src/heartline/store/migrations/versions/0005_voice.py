"""voice: barriers and their threads, pulse answers, check-in notes, leadership feedback

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-24 05:40:00

Anonymous records keep no user id: see heartline.store.tables_voice.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('voice_pulse_answers',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('once_token', sa.String(length=64), nullable=False),
    sa.Column('week', sa.String(length=10), nullable=False),
    sa.Column('team_key', sa.String(length=120), nullable=False),
    sa.Column('tenure', sa.String(length=20), nullable=False),
    sa.Column('shift', sa.String(length=20), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voice_pulse_answers')),
    sa.UniqueConstraint('once_token', name=op.f('uq_voice_pulse_answers_once_token'))
    )
    op.create_index('ix_voice_pulse_answers_week_team', 'voice_pulse_answers', ['week', 'team_key'], unique=False)
    op.create_table('voice_barriers',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('author_token', sa.String(length=64), nullable=False),
    sa.Column('author_person', sa.String(length=64), nullable=False),
    sa.Column('author_user_id', sa.Integer(), nullable=True),
    sa.Column('interaction_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('confirmed_by_author', sa.Boolean(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_response_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_user_id'], ['users.id'], name=op.f('fk_voice_barriers_author_user_id_users')),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_voice_barriers_interaction_id_interactions')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_voice_barriers_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voice_barriers'))
    )
    op.create_index('ix_voice_barriers_team_status', 'voice_barriers', ['team_id', 'status'], unique=False)
    op.create_table('voice_checkin_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.String(length=10), nullable=False),
    sa.Column('prompt', sa.String(length=300), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_user_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_user_id'], ['users.id'], name=op.f('fk_voice_checkin_notes_author_user_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_voice_checkin_notes_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voice_checkin_notes'))
    )
    op.create_index('ix_voice_checkin_notes_team_week', 'voice_checkin_notes', ['team_id', 'week'], unique=False)
    op.create_table('voice_decisions',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('announced_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_voice_decisions_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voice_decisions'))
    )
    op.create_table('voice_barrier_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('barrier_id', sa.String(length=32), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('leader_user_id', sa.Integer(), nullable=True),
    sa.Column('leader_name', sa.String(length=200), nullable=True),
    sa.Column('leader_role', sa.String(length=20), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['barrier_id'], ['voice_barriers.id'], name=op.f('fk_voice_barrier_messages_barrier_id_voice_barriers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['leader_user_id'], ['users.id'], name=op.f('fk_voice_barrier_messages_leader_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voice_barrier_messages'))
    )
    op.create_index(op.f('ix_voice_barrier_messages_barrier_id'), 'voice_barrier_messages', ['barrier_id'], unique=False)
    op.create_table('voice_barrier_support',
    sa.Column('barrier_id', sa.String(length=32), nullable=False),
    sa.Column('person_token', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['barrier_id'], ['voice_barriers.id'], name=op.f('fk_voice_barrier_support_barrier_id_voice_barriers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('barrier_id', 'person_token', name=op.f('pk_voice_barrier_support'))
    )
    op.create_table('voice_decision_feedback',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('decision_id', sa.String(length=32), nullable=False),
    sa.Column('once_token', sa.String(length=64), nullable=False),
    sa.Column('team_key', sa.String(length=120), nullable=False),
    sa.Column('tenure', sa.String(length=20), nullable=False),
    sa.Column('shift', sa.String(length=20), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['decision_id'], ['voice_decisions.id'], name=op.f('fk_voice_decision_feedback_decision_id_voice_decisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voice_decision_feedback')),
    sa.UniqueConstraint('once_token', name=op.f('uq_voice_decision_feedback_once_token'))
    )
    op.create_index(op.f('ix_voice_decision_feedback_decision_id'), 'voice_decision_feedback', ['decision_id'], unique=False)
    op.create_table('voice_decision_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.String(length=32), nullable=False),
    sa.Column('leader_user_id', sa.Integer(), nullable=True),
    sa.Column('leader_name', sa.String(length=200), nullable=False),
    sa.Column('leader_role', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['voice_decisions.id'], name=op.f('fk_voice_decision_responses_decision_id_voice_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['leader_user_id'], ['users.id'], name=op.f('fk_voice_decision_responses_leader_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voice_decision_responses'))
    )
    op.create_index(op.f('ix_voice_decision_responses_decision_id'), 'voice_decision_responses', ['decision_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_voice_decision_responses_decision_id'), table_name='voice_decision_responses')
    op.drop_table('voice_decision_responses')
    op.drop_index(op.f('ix_voice_decision_feedback_decision_id'), table_name='voice_decision_feedback')
    op.drop_table('voice_decision_feedback')
    op.drop_table('voice_barrier_support')
    op.drop_index(op.f('ix_voice_barrier_messages_barrier_id'), table_name='voice_barrier_messages')
    op.drop_table('voice_barrier_messages')
    op.drop_table('voice_decisions')
    op.drop_index('ix_voice_checkin_notes_team_week', table_name='voice_checkin_notes')
    op.drop_table('voice_checkin_notes')
    op.drop_index('ix_voice_barriers_team_status', table_name='voice_barriers')
    op.drop_table('voice_barriers')
    op.drop_index('ix_voice_pulse_answers_week_team', table_name='voice_pulse_answers')
    op.drop_table('voice_pulse_answers')
