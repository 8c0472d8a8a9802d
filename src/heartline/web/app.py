"""The web application factory: pages for people, ``/api`` for integrations.

Nothing happens at import time: :func:`create_app` makes the engine, the
templates and the cookie signer from the Settings it is given.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from heartline import __version__
from heartline.insights.aggregate import ensure_fresh
from heartline.settings import Settings
from heartline.store.engine import make_engine, migrate
from heartline.web import errors
from heartline.web.queries import channels_and_queues
from heartline.web.security import SESSION_COOKIE, SESSION_MAX_AGE, SessionCodec, new_csrf_token
from heartline.web.views import fmt_value

HERE = Path(__file__).parent

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


class Freshness:
    """Rebuilds the KPI pre-aggregates when the store changed, at most every ``every`` seconds."""

    def __init__(self, engine, every: float = 30.0) -> None:  # type: ignore[no-untyped-def]
        self.engine = engine
        self.every = every
        self._checked = 0.0
        self._lock = threading.Lock()
        self._options: tuple[float, tuple[list[str], list[str]]] | None = None

    def check(self, *, force: bool = False) -> bool:
        now = time.monotonic()
        if not force and now - self._checked < self.every:
            return False
        with self._lock:
            self._checked = time.monotonic()
            rebuilt = ensure_fresh(self.engine)
            if rebuilt:
                self._options = None
            return rebuilt

    def channels_and_queues(self) -> tuple[list[str], list[str]]:
        """The filter choices, read again at most every ``every`` seconds."""
        cached = self._options
        if cached is None or time.monotonic() - cached[0] > self.every:
            with self.engine.connect() as conn:
                cached = (time.monotonic(), channels_and_queues(conn))
            self._options = cached
        return cached[1]


def _csrf_input(request: Request) -> Markup:
    token = request.state.session.get("csrf", "")
    return Markup(f'<input type="hidden" name="csrf_token" value="{escape(token)}">')


def create_app(settings: Settings) -> FastAPI:
    """Build the app; the engine is made here and disposed when the app stops."""
    from heartline.web.routes import (
        admin,
        api,
        auth,
        coaching,
        dashboard,
        disputes,
        friction,
        interactions,
        people,
        recognition,
        voice,
        wellbeing,
    )  # fmt: skip

    engine = make_engine(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # type: ignore[no-untyped-def]
        migrate(engine)
        app.state.freshness.check(force=True)
        yield
        engine.dispose()

    app = FastAPI(
        title="Heartline",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        description=(
            "Heartline's REST API. Authenticate with `Authorization: Bearer <token>` (an admin "
            "creates tokens on the Admin page) or a signed-in session. Errors are always "
            '`{"error": {"status", "code", "message"}}`.'
        ),
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.codec = SessionCodec(settings.secret_key)
    app.state.freshness = Freshness(engine)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["csrf_input"] = _csrf_input
    templates.env.globals["version"] = __version__
    templates.env.filters["kpi"] = fmt_value
    app.state.templates = templates
    secure_cookie = settings.environment != "development"

    @app.middleware("http")
    async def sessions(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        data = app.state.codec.loads(request.cookies.get(SESSION_COOKIE))
        fresh = "csrf" not in data
        if fresh:
            data["csrf"] = new_csrf_token()
        request.state.session = data
        request.state.session_changed = fresh
        response = await call_next(request)
        api_call = request.url.path.startswith("/api/") and "authorization" in request.headers
        if request.state.session_changed and not api_call:
            response.set_cookie(
                SESSION_COOKIE,
                app.state.codec.dumps(request.state.session),
                max_age=SESSION_MAX_AGE,
                httponly=True,
                samesite="lax",
                secure=secure_cookie,
                path="/",
            )
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    errors.install(app)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for module in (
        auth, dashboard, interactions, people, disputes, friction, admin, api,
        coaching, wellbeing, voice, recognition,
    ):  # fmt: skip
        app.include_router(module.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
