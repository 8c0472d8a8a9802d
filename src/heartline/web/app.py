"""The web application factory."""

from __future__ import annotations

from contextlib import asynccontextmanager
from html import escape

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from heartline import __version__
from heartline.settings import Settings
from heartline.store.engine import make_engine, migrate
from heartline.store.queries import counts


def create_app(settings: Settings) -> FastAPI:
    """Build the app; the engine is made here and disposed when the app stops."""
    engine = make_engine(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # type: ignore[no-untyped-def]
        migrate(engine)
        yield
        engine.dispose()

    app = FastAPI(title="Heartline", version=__version__, lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/", response_class=HTMLResponse)
    def home() -> str:
        c = counts(engine)
        rows = "".join(
            f"<tr><th>{escape(k)}</th><td>{v:,}</td></tr>" for k, v in vars(c).items()
        )
        return (
            "<!doctype html><html lang=en><head><meta charset=utf-8><title>Heartline</title>"
            "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;color:#1f2937}"
            "th{text-align:left;padding-right:2rem;font-weight:500}h1{color:#be185d}</style></head>"
            "<body><h1>Heartline</h1><p>Lead with empathy, not surveillance. "
            "The leader dashboards are on their way; this is what is in the store now.</p>"
            f"<table>{rows}</table></body></html>"
        )

    return app
