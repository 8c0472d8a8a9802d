"""A webhook receiver on 127.0.0.1 for tests: keeps every POST, answers scripted statuses."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class WebhookReceiver:
    """Keeps each POST as (headers, raw body); answers ``statuses`` in turn, then ``default``.

    Use as a context manager, or call :meth:`close`.  ``delay_s`` holds the first
    answer back (to test client timeouts).
    """

    def __init__(
        self,
        statuses: list[int] | None = None,
        *,
        default: int = 200,
        delay_s: float = 0.0,
        path: str = "/hook",
    ) -> None:
        self.statuses = list(statuses or [])
        self.default = default
        self.delay_s = delay_s
        self.requests: list[tuple[dict[str, str], bytes]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                owner.requests.append((dict(self.headers.items()), body))
                if owner.delay_s and len(owner.requests) == 1:
                    time.sleep(owner.delay_s)
                status = owner.statuses.pop(0) if owner.statuses else owner.default
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> WebhookReceiver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def wait_for(self, needle: str, timeout: float = 20.0) -> tuple[dict[str, str], bytes]:
        """The first request whose body contains ``needle``, waiting up to ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for headers, body in list(self.requests):
                if needle.encode() in body:
                    return headers, body
            time.sleep(0.1)
        raise AssertionError(f"no webhook request mentioned {needle!r} within {timeout} s")
