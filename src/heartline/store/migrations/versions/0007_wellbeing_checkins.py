"""wellbeing check-ins: what an agent chose to tell, read only with their consent

Revision ID: 0007
Revises: 0004
Create Date: 2026-11-24 06:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wellbeing_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("consented", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name=op.f("fk_wellbeing_checkins_agent_id_agents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wellbeing_checkins")),
    )
    with op.batch_alter_table("wellbeing_checkins", schema=None) as batch_op:
        batch_op.create_index("ix_wellbeing_checkins_agent_day", ["agent_id", "day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("wellbeing_checkins", schema=None) as batch_op:
        batch_op.drop_index("ix_wellbeing_checkins_agent_day")
    op.drop_table("wellbeing_checkins")
