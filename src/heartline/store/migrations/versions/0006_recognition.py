"""recognition: peer recognitions, Empathy MVP confirmations, stories and consents, hard days

Revision ID: 0006
Revises: 0002
Create Date: 2026-11-24 05:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('comment_praise',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=20), nullable=False),
    sa.Column('probability', sa.Float(), nullable=False),
    sa.Column('model', sa.String(length=64), nullable=False),
    sa.Column('classified_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_comment_praise_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', name=op.f('pk_comment_praise'))
    )
    op.create_table('recognition_hard_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('heavy_contacts', sa.Integer(), nullable=False),
    sa.Column('contacts', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('suggested_message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('suggested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_by_name', sa.String(length=200), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_recognition_hard_days_agent_id_agents')),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_recognition_hard_days_decided_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_recognition_hard_days_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognition_hard_days')),
    sa.UniqueConstraint('agent_id', 'day', name='uq_recognition_hard_days_agent_day')
    )
    with op.batch_alter_table('recognition_hard_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recognition_hard_days_team_id'), ['team_id'], unique=False)

    op.create_table('recognition_mvps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('winner_agent_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('confirmed_by', sa.Integer(), nullable=True),
    sa.Column('confirmed_by_name', sa.String(length=200), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['confirmed_by'], ['users.id'], name=op.f('fk_recognition_mvps_confirmed_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_recognition_mvps_team_id_teams')),
    sa.ForeignKeyConstraint(['winner_agent_id'], ['agents.id'], name=op.f('fk_recognition_mvps_winner_agent_id_agents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognition_mvps')),
    sa.UniqueConstraint('team_id', 'month', name='uq_recognition_mvps_team_month')
    )
    op.create_table('recognition_stories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=True),
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('selected_by', sa.Integer(), nullable=True),
    sa.Column('selected_by_name', sa.String(length=200), nullable=False),
    sa.Column('selected_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('consent_status', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_recognition_stories_agent_id_agents')),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_recognition_stories_interaction_id_interactions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['selected_by'], ['users.id'], name=op.f('fk_recognition_stories_selected_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_recognition_stories_survey_id_surveys'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_recognition_stories_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognition_stories')),
    sa.UniqueConstraint('key', name=op.f('uq_recognition_stories_key'))
    )
    with op.batch_alter_table('recognition_stories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recognition_stories_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recognition_stories_interaction_id'), ['interaction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recognition_stories_team_id'), ['team_id'], unique=False)

    op.create_table('recognitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('giver_user_id', sa.Integer(), nullable=True),
    sa.Column('giver_agent_id', sa.Integer(), nullable=True),
    sa.Column('giver_name', sa.String(length=200), nullable=False),
    sa.Column('giver_role', sa.String(length=20), nullable=False),
    sa.Column('receiver_agent_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('value_tags', sa.JSON(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['giver_agent_id'], ['agents.id'], name=op.f('fk_recognitions_giver_agent_id_agents')),
    sa.ForeignKeyConstraint(['giver_user_id'], ['users.id'], name=op.f('fk_recognitions_giver_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_recognitions_interaction_id_interactions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['receiver_agent_id'], ['agents.id'], name=op.f('fk_recognitions_receiver_agent_id_agents')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_recognitions_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognitions')),
    sa.UniqueConstraint('key', name=op.f('uq_recognitions_key'))
    )
    with op.batch_alter_table('recognitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recognitions_giver_agent_id'), ['giver_agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recognitions_giver_user_id'), ['giver_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recognitions_receiver_agent_id'), ['receiver_agent_id'], unique=False)
        batch_op.create_index('ix_recognitions_team_created', ['team_id', 'created_at'], unique=False)

    op.create_table('recognition_story_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=True),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('granted', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_user', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_recognition_story_consents_agent_id_agents')),
    sa.ForeignKeyConstraint(['by_user'], ['users.id'], name=op.f('fk_recognition_story_consents_by_user_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['story_id'], ['recognition_stories.id'], name=op.f('fk_recognition_story_consents_story_id_recognition_stories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognition_story_consents'))
    )
    with op.batch_alter_table('recognition_story_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recognition_story_consents_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recognition_story_consents_story_id'), ['story_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('recognition_story_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recognition_story_consents_story_id'))
        batch_op.drop_index(batch_op.f('ix_recognition_story_consents_agent_id'))

    op.drop_table('recognition_story_consents')
    with op.batch_alter_table('recognitions', schema=None) as batch_op:
        batch_op.drop_index('ix_recognitions_team_created')
        batch_op.drop_index(batch_op.f('ix_recognitions_receiver_agent_id'))
        batch_op.drop_index(batch_op.f('ix_recognitions_giver_user_id'))
        batch_op.drop_index(batch_op.f('ix_recognitions_giver_agent_id'))

    op.drop_table('recognitions')
    with op.batch_alter_table('recognition_stories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recognition_stories_team_id'))
        batch_op.drop_index(batch_op.f('ix_recognition_stories_interaction_id'))
        batch_op.drop_index(batch_op.f('ix_recognition_stories_agent_id'))

    op.drop_table('recognition_stories')
    op.drop_table('recognition_mvps')
    with op.batch_alter_table('recognition_hard_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recognition_hard_days_team_id'))

    op.drop_table('recognition_hard_days')
    op.drop_table('comment_praise')
