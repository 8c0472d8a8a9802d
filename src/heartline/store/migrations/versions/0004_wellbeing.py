"""wellbeing: break policies, break recommendations, breaks taken, leader actions, WFM deliveries

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-24 05:27:26.395194
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('wellbeing_break_policies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('heavy_threshold', sa.Float(), nullable=False),
    sa.Column('streak_threshold', sa.Float(), nullable=False),
    sa.Column('streak_length', sa.Integer(), nullable=False),
    sa.Column('break_minutes', sa.Integer(), nullable=False),
    sa.Column('streak_break_minutes', sa.Integer(), nullable=False),
    sa.Column('streak_reset_minutes', sa.Float(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_wellbeing_break_policies_team_id_teams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_wellbeing_break_policies_updated_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wellbeing_break_policies')),
    sa.UniqueConstraint('team_id', name=op.f('uq_wellbeing_break_policies_team_id'))
    )

    op.create_table('wellbeing_break_recommendations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=40), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_wellbeing_break_recommendations_agent_id_agents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_wellbeing_break_recommendations_team_id_teams'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wellbeing_break_recommendations')),
    sa.UniqueConstraint('event_id', name=op.f('uq_wellbeing_break_recommendations_event_id'))
    )
    with op.batch_alter_table('wellbeing_break_recommendations', schema=None) as batch_op:
        batch_op.create_index('ix_wellbeing_break_recommendations_agent_start', ['agent_id', 'start'], unique=False)
        batch_op.create_index('ix_wellbeing_break_recommendations_team_start', ['team_id', 'start'], unique=False)

    op.create_table('wellbeing_breaks_taken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_wellbeing_breaks_taken_agent_id_agents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['wellbeing_break_recommendations.id'], name=op.f('fk_wellbeing_breaks_taken_recommendation_id_wellbeing_break_recommendations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wellbeing_breaks_taken'))
    )
    with op.batch_alter_table('wellbeing_breaks_taken', schema=None) as batch_op:
        batch_op.create_index('ix_wellbeing_breaks_taken_agent_start', ['agent_id', 'start'], unique=False)
        batch_op.create_index(batch_op.f('ix_wellbeing_breaks_taken_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('wellbeing_leader_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('taken_by', sa.Integer(), nullable=True),
    sa.Column('taken_by_name', sa.String(length=200), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_wellbeing_leader_actions_agent_id_agents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['taken_by'], ['users.id'], name=op.f('fk_wellbeing_leader_actions_taken_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wellbeing_leader_actions'))
    )
    with op.batch_alter_table('wellbeing_leader_actions', schema=None) as batch_op:
        batch_op.create_index('ix_wellbeing_leader_actions_agent_taken', ['agent_id', 'taken_at'], unique=False)

    op.create_table('wellbeing_wfm_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('event', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['wellbeing_break_recommendations.id'], name=op.f('fk_wellbeing_wfm_deliveries_recommendation_id_wellbeing_break_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wellbeing_wfm_deliveries'))
    )
    with op.batch_alter_table('wellbeing_wfm_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wellbeing_wfm_deliveries_recommendation_id'), ['recommendation_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('wellbeing_wfm_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wellbeing_wfm_deliveries_recommendation_id'))
    op.drop_table('wellbeing_wfm_deliveries')
    with op.batch_alter_table('wellbeing_leader_actions', schema=None) as batch_op:
        batch_op.drop_index('ix_wellbeing_leader_actions_agent_taken')
    op.drop_table('wellbeing_leader_actions')
    with op.batch_alter_table('wellbeing_breaks_taken', schema=None) as batch_op:
        batch_op.drop_index('ix_wellbeing_breaks_taken_agent_start')
        batch_op.drop_index(batch_op.f('ix_wellbeing_breaks_taken_recommendation_id'))
    op.drop_table('wellbeing_breaks_taken')
    with op.batch_alter_table('wellbeing_break_recommendations', schema=None) as batch_op:
        batch_op.drop_index('ix_wellbeing_break_recommendations_agent_start')
        batch_op.drop_index('ix_wellbeing_break_recommendations_team_start')
    op.drop_table('wellbeing_break_recommendations')
    op.drop_table('wellbeing_break_policies')
