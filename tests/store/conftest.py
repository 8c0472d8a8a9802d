"""Storage tests run on every backend through the shared ``engine`` fixture."""

from __future__ import annotations

from backends import engine  # noqa: F401  (the parametrized SQLite / PostgreSQL store)
