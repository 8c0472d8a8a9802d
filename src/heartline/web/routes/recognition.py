"""Pages for recognition: filled in by the recognition pages work."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
