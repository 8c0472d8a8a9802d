"""Pages for wellbeing: filled in by the wellbeing pages work."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
