"""All of Heartline's configuration, in one typed place.

Every field reads from an environment variable ``HEARTLINE_<NAME>``.  Settings
are built by the entry points (CLI, app factory, tests) and passed in; nothing
reads the environment at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me-development-only"


class SettingsError(ValueError):
    """Settings that cannot work together; the message says how to fix them."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HEARTLINE_", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        default="development",
        description="development allows the placeholder secret; production refuses it.",
    )
    debug: bool = Field(
        default=False, description="Show full tracebacks for unexpected errors in commands."
    )
    data_dir: Path = Field(
        default=Path("var"),
        description="Folder for the SQLite database, caches and exports.",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL. Empty means SQLite at <data_dir>/heartline.db; "
            "for PostgreSQL use postgresql+psycopg://user:pass@host/db."
        ),
    )
    secret_key: str = Field(
        default=PLACEHOLDER_SECRET,
        description="Signs session cookies and CSRF tokens. Must be set outside development.",
    )
    host: str = Field(default="127.0.0.1", description="Address `heartline serve` binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `heartline serve` uses.")
    ingest_batch_size: int = Field(
        default=500, ge=1, le=50_000, description="Records stored per database transaction."
    )
    anonymity_min_scores: int = Field(
        default=5, ge=3, description="Smallest group whose pulse scores are shown."
    )
    anonymity_min_comments: int = Field(
        default=10, ge=3, description="Smallest group whose free-text comments are shown."
    )
    demo_seed: int = Field(default=7, description="Seed of the demo organisation generator.")
    wfm_webhook_url: str | None = Field(
        default=None,
        description="URL that receives signed resilience-break events (WFM idle/AUX codes); empty sends none.",
    )
    coaching_managers_see_notes: bool = Field(
        default=False,
        description="Managers and admins may read 1:1 notes and actions (by default they see only that a session happened).",
    )
    coaching_agenda_days: int = Field(
        default=14, ge=1, le=365, description="Days of interactions a 1:1 agenda draws its moments from."
    )
    coaching_habits_days: int = Field(
        default=28, ge=1, le=365, description="Look-back period for leader habits and 1:1 counts."
    )
    coaching_calibration_sample: int = Field(
        default=12, ge=1, le=500, description="Interactions offered to QA reviewers for calibration."
    )
    wfm_webhook_secret: str | None = Field(
        default=None,
        description="Shared secret that signs break events posted to a WFM webhook (HMAC-SHA256).",
    )

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        if self.environment == "production" and self.secret_key == PLACEHOLDER_SECRET:
            raise SettingsError(
                "HEARTLINE_SECRET_KEY is the development placeholder; set a long random value "
                "before running with HEARTLINE_ENVIRONMENT=production"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'heartline.db').resolve()}"
