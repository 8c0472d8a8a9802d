"""Access entries for the wellbeing routes, merged into the table in test_access.py."""

from __future__ import annotations

LEADERS = {"lead", "manager", "admin"}

ACCESS: dict[tuple[str, str], set[str]] = {
    ("GET", "/wellbeing"): {"agent", "lead", "manager", "admin"},
    ("POST", "/wellbeing/breaks/answer"): {"agent"},
    ("POST", "/wellbeing/checkins"): {"agent"},
    ("POST", "/wellbeing/checkins/change"): {"agent"},
    ("POST", "/wellbeing/breaks/scan"): LEADERS,
    ("POST", "/wellbeing/actions"): LEADERS,
    ("GET", "/wellbeing/breaks.csv"): {"lead"},
    ("GET", "/wellbeing/policy"): LEADERS,
    ("POST", "/wellbeing/policy"): LEADERS,
}
