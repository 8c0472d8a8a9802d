"""coaching: 1:1 sessions, moments discussed, agreed actions, development goals,
celebrations, shadowing / side-by-side listening, QA calibration scores

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('development_goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_development_goals_agent_id_agents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_development_goals'))
    )
    op.create_index(op.f('ix_development_goals_agent_id'), 'development_goals', ['agent_id'], unique=False)
    op.create_table('calibration_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reviewer_user_id', sa.Integer(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('behaviour', sa.String(length=40), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_calibration_scores_interaction_id_interactions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_user_id'], ['users.id'], name=op.f('fk_calibration_scores_reviewer_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calibration_scores')),
    sa.UniqueConstraint('reviewer_user_id', 'interaction_id', 'behaviour', name='uq_calibration_scores_rater_item')
    )
    op.create_index(op.f('ix_calibration_scores_interaction_id'), 'calibration_scores', ['interaction_id'], unique=False)
    op.create_table('coaching_listening',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_user_id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_coaching_listening_agent_id_agents')),
    sa.ForeignKeyConstraint(['lead_user_id'], ['users.id'], name=op.f('fk_coaching_listening_lead_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coaching_listening'))
    )
    op.create_index(op.f('ix_coaching_listening_lead_user_id'), 'coaching_listening', ['lead_user_id'], unique=False)
    op.create_table('coaching_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_user_id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('planned_for', sa.Date(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('opened_with_support_question', sa.Boolean(), nullable=False),
    sa.Column('opening_question', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_coaching_sessions_agent_id_agents')),
    sa.ForeignKeyConstraint(['lead_user_id'], ['users.id'], name=op.f('fk_coaching_sessions_lead_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coaching_sessions'))
    )
    op.create_index('ix_coaching_sessions_agent_planned', 'coaching_sessions', ['agent_id', 'planned_for'], unique=False)
    op.create_index('ix_coaching_sessions_lead_planned', 'coaching_sessions', ['lead_user_id', 'planned_for'], unique=False)
    op.create_table('coaching_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=10), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('followed_up_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_coaching_actions_agent_id_agents')),
    sa.ForeignKeyConstraint(['session_id'], ['coaching_sessions.id'], name=op.f('fk_coaching_actions_session_id_coaching_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coaching_actions'))
    )
    op.create_index('ix_coaching_actions_agent_status', 'coaching_actions', ['agent_id', 'status'], unique=False)
    op.create_index(op.f('ix_coaching_actions_session_id'), 'coaching_actions', ['session_id'], unique=False)
    op.create_table('coaching_celebrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('lead_user_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_coaching_celebrations_agent_id_agents')),
    sa.ForeignKeyConstraint(['lead_user_id'], ['users.id'], name=op.f('fk_coaching_celebrations_lead_user_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['coaching_sessions.id'], name=op.f('fk_coaching_celebrations_session_id_coaching_sessions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coaching_celebrations'))
    )
    op.create_index(op.f('ix_coaching_celebrations_agent_id'), 'coaching_celebrations', ['agent_id'], unique=False)
    op.create_table('coaching_session_moments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('turn', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('theme', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_coaching_session_moments_interaction_id_interactions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['coaching_sessions.id'], name=op.f('fk_coaching_session_moments_session_id_coaching_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coaching_session_moments'))
    )
    op.create_index(op.f('ix_coaching_session_moments_session_id'), 'coaching_session_moments', ['session_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_coaching_session_moments_session_id'), table_name='coaching_session_moments')
    op.drop_table('coaching_session_moments')
    op.drop_index(op.f('ix_coaching_celebrations_agent_id'), table_name='coaching_celebrations')
    op.drop_table('coaching_celebrations')
    op.drop_index(op.f('ix_coaching_actions_session_id'), table_name='coaching_actions')
    op.drop_index('ix_coaching_actions_agent_status', table_name='coaching_actions')
    op.drop_table('coaching_actions')
    op.drop_index('ix_coaching_sessions_lead_planned', table_name='coaching_sessions')
    op.drop_index('ix_coaching_sessions_agent_planned', table_name='coaching_sessions')
    op.drop_table('coaching_sessions')
    op.drop_index(op.f('ix_coaching_listening_lead_user_id'), table_name='coaching_listening')
    op.drop_table('coaching_listening')
    op.drop_index(op.f('ix_calibration_scores_interaction_id'), table_name='calibration_scores')
    op.drop_table('calibration_scores')
    op.drop_index(op.f('ix_development_goals_agent_id'), table_name='development_goals')
    op.drop_table('development_goals')
