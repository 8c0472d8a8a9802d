"""Tables for coaching (join Base.metadata; created by their own migration)."""

from __future__ import annotations

from heartline.store.tables import Base  # noqa: F401
