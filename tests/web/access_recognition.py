"""Access entries for the recognition routes, merged into the table in test_access.py."""

from __future__ import annotations

SIGNED_IN = {"agent", "lead", "manager", "admin"}
LEADERS = {"lead", "manager", "admin"}

ACCESS: dict[tuple[str, str], set[str]] = {
    ("GET", "/recognition"): SIGNED_IN,
    ("POST", "/recognition"): SIGNED_IN,
    ("GET", "/recognition/mvp"): SIGNED_IN,
    ("POST", "/recognition/mvp/confirm"): LEADERS,
    ("POST", "/recognition/hard-days"): LEADERS,
    ("GET", "/recognition/fairness"): LEADERS,
    ("GET", "/recognition/stories"): SIGNED_IN,
    ("POST", "/recognition/stories"): LEADERS,
    ("POST", "/recognition/stories/{story_id}/consent"): {"agent"},
}
