"""Access entries for the coaching routes, merged into the table in test_access.py."""

from __future__ import annotations

SIGNED_IN = {"agent", "lead", "manager", "admin"}
LEADERS = {"lead", "manager", "admin"}

ACCESS: dict[tuple[str, str], set[str]] = {
    ("GET", "/coaching"): SIGNED_IN,
    ("GET", "/coaching/agents/{agent_id}/agenda"): LEADERS,
    ("POST", "/coaching/agents/{agent_id}/sessions"): {"lead"},
    ("POST", "/coaching/agents/{agent_id}/listening"): {"lead"},
    ("GET", "/coaching/sessions/{session_id}"): SIGNED_IN,
    ("POST", "/coaching/sessions/{session_id}"): {"lead"},
    ("POST", "/coaching/sessions/{session_id}/actions"): {"lead"},
    ("POST", "/coaching/sessions/{session_id}/celebrations"): {"lead"},
    ("POST", "/coaching/sessions/{session_id}/reframe"): {"lead"},
    ("POST", "/coaching/actions/{action_id}"): {"agent", "lead"},
    ("POST", "/coaching/goals"): {"agent"},
    ("POST", "/coaching/goals/{goal_id}"): {"agent"},
    ("GET", "/coaching/habits"): LEADERS,
    ("GET", "/coaching/calibration"): LEADERS,
    ("POST", "/coaching/calibration"): LEADERS,
}
