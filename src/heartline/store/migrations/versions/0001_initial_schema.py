"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('interaction_external_id', sa.String(length=200), nullable=False),
    sa.Column('csat', sa.Integer(), nullable=True),
    sa.Column('resolved', sa.Boolean(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys')),
    sa.UniqueConstraint('source', 'interaction_external_id', name='uq_surveys_source_interaction')
    )
    op.create_table('teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams')),
    sa.UniqueConstraint('key', name=op.f('uq_teams_key'))
    )
    op.create_table('agents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('hired_on', sa.Date(), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_agents_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agents')),
    sa.UniqueConstraint('key', name=op.f('uq_agents_key'))
    )
    with op.batch_alter_table('agents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agents_team_id'), ['team_id'], unique=False)

    op.create_table('interactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('queue', sa.String(length=120), nullable=True),
    sa.Column('topic', sa.String(length=120), nullable=True),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('customer_key', sa.String(length=40), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('language', sa.String(length=20), nullable=True),
    sa.Column('handle_seconds', sa.Float(), nullable=True),
    sa.Column('talk_seconds', sa.Float(), nullable=True),
    sa.Column('hold_seconds', sa.Float(), nullable=False),
    sa.Column('acw_seconds', sa.Float(), nullable=False),
    sa.Column('transfers', sa.Integer(), nullable=False),
    sa.Column('disposition', sa.String(length=120), nullable=True),
    sa.Column('turn_count', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_interactions_agent_id_agents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interactions')),
    sa.UniqueConstraint('source', 'external_id', name='uq_interactions_source_external_id')
    )
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.create_index('ix_interactions_agent_started', ['agent_id', 'started_at'], unique=False)
        batch_op.create_index('ix_interactions_customer_started', ['customer_key', 'started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_interactions_started_at'), ['started_at'], unique=False)

    op.create_table('shifts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('scheduled_minutes', sa.Float(), nullable=True),
    sa.Column('worked_minutes', sa.Float(), nullable=True),
    sa.Column('adherence_pct', sa.Float(), nullable=True),
    sa.Column('occupancy_pct', sa.Float(), nullable=True),
    sa.Column('break_minutes', sa.Float(), nullable=False),
    sa.Column('overtime_minutes', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_shifts_agent_id_agents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shifts')),
    sa.UniqueConstraint('agent_id', 'start', name='uq_shifts_agent_start')
    )
    with op.batch_alter_table('shifts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shifts_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shifts_day'), ['day'], unique=False)

    op.create_table('analyses',
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('model_version', sa.String(length=60), nullable=False),
    sa.Column('empathy_score', sa.Float(), nullable=True),
    sa.Column('difficulty', sa.Float(), nullable=True),
    sa.Column('deescalated', sa.Boolean(), nullable=True),
    sa.Column('robotic', sa.Boolean(), nullable=True),
    sa.Column('missed_cues', sa.Integer(), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('analysed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_analyses_interaction_id_interactions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('interaction_id', name=op.f('pk_analyses'))
    )
    op.create_table('turns',
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('idx', sa.Integer(), nullable=False),
    sa.Column('speaker', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('start_ms', sa.Integer(), nullable=True),
    sa.Column('end_ms', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_turns_interaction_id_interactions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('interaction_id', 'idx', name=op.f('pk_turns'))
    )


def downgrade() -> None:
    op.drop_table('turns')
    op.drop_table('analyses')
    with op.batch_alter_table('shifts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shifts_day'))
        batch_op.drop_index(batch_op.f('ix_shifts_agent_id'))

    op.drop_table('shifts')
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interactions_started_at'))
        batch_op.drop_index('ix_interactions_customer_started')
        batch_op.drop_index('ix_interactions_agent_started')

    op.drop_table('interactions')
    with op.batch_alter_table('agents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agents_team_id'))

    op.drop_table('agents')
    op.drop_table('teams')
    op.drop_table('surveys')
