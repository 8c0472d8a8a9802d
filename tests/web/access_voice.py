"""Access entries for the voice routes, merged into the table in test_access.py."""

from __future__ import annotations

SIGNED_IN = {"agent", "lead", "manager", "admin"}
LEADERS = {"lead", "manager", "admin"}

ACCESS: dict[tuple[str, str], set[str]] = {
    ("GET", "/voice"): SIGNED_IN,
    ("POST", "/voice/barriers"): {"agent"},
    ("POST", "/voice/barriers/me-too"): {"agent"},
    ("POST", "/voice/barriers/reply"): SIGNED_IN,
    ("POST", "/voice/barriers/status"): LEADERS,
    ("POST", "/voice/barriers/confirm"): {"agent"},
    ("POST", "/voice/pulse"): {"agent"},
    ("POST", "/voice/checkins"): LEADERS,
    ("GET", "/voice/you-said-we-did"): SIGNED_IN,
    ("GET", "/voice/pulse/export.csv"): LEADERS,
    ("GET", "/voice/leadership"): SIGNED_IN,
    ("POST", "/voice/leadership/decisions"): {"manager", "admin"},
    ("POST", "/voice/leadership/feedback"): {"agent"},
    ("POST", "/voice/leadership/respond"): LEADERS,
    # agents are refused inside the route (403): their own answers are never shown back
    ("GET", "/api/pulse/results"): {"lead", "manager", "admin", "token"},
}
