"""Access entries for the recognition routes, merged into the table in test_access.py."""

from __future__ import annotations

ACCESS: dict[tuple[str, str], set[str]] = {}
