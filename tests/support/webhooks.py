"""A real webhook receiver on loopback (aiohttp, in a thread of its own), told per test how
to misbehave: answer 500 or 429 for the first requests, answer late, or not at all; and
the alerts the delivery tests send."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Self

from aiohttp import web

from streams.core.delivery.signing import IDEMPOTENCY_HEADER
from streams.models import Alert

#: Where the receiver listens: a path and query that stand for a secret token, which must
#: never appear in a log line or a parked record.
SECRET_PATH = "/hooks/T000/B000/sekrit-token"


@dataclass(frozen=True)
class Reply:
    """One answer: status, headers, and how long to wait before giving it."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass(frozen=True)
class Received:
    """One request as the receiver saw it, with its arrival time (time.time())."""

    at: float
    headers: dict[str, str]
    body: bytes
    status: int


class Receiver:
    """An HTTP server on 127.0.0.1: the first requests get `script`'s replies in turn, the
    others `default`; every request is recorded."""

    def __init__(self, script: list[Reply] | None = None, default: Reply = Reply()) -> None:
        self.script = list(script or [])
        self.default = default
        self.received: list[Received] = []
        self.port = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{SECRET_PATH}?sig=also-secret"

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        with self._lock:
            reply = self.script.pop(0) if self.script else self.default
            self.received.append(Received(time.time(), dict(request.headers), body, reply.status))
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        return web.Response(status=reply.status, headers=reply.headers, text="ok")

    def start(self) -> Self:
        ready = threading.Event()

        def serve() -> None:
            loop = self._loop = asyncio.new_event_loop()
            app = web.Application()
            app.router.add_post(SECRET_PATH, self._handle)
            self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
            loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the webhook receiver did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def requests(self) -> list[Received]:
        """A copy of what was received so far."""
        with self._lock:
            return list(self.received)

    def keys(self) -> list[str]:
        """The Idempotency-Key of every request answered 2xx, in arrival order."""
        return [
            r.headers.get(IDEMPOTENCY_HEADER, "") for r in self.requests() if 200 <= r.status <= 299
        ]

    def wait_for(self, done: Callable[[list[Received]], bool], timeout: float) -> bool:
        """Poll until `done(requests)` holds; False after `timeout` s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if done(self.requests()):
                return True
            time.sleep(0.02)
        return done(self.requests())


def make_alert(n: int = 1, **fields: object) -> Alert:
    """An escalation alert numbered `n` (its id is 24 hex digits ending in n)."""
    values: dict[str, object] = {
        "alert_id": f"{n:024x}",
        "kind": "escalation",
        "level": "high",
        "title": f"Troops cross the border ({n})",
        "summary": "Troops crossed the border at dawn, officials said.",
        "article_id": f"art-{n}",
        "entities": ["Moldova"],
        "categories": ["military"],
        "actions": ["MOBILIZE"],
        "source": "wire",
        "url": f"https://example.org/a/{n}",
        "created_at": "2026-03-02T12:00:00.000Z",
        "reason": "rule desk: level high",
        "rules": ["desk"],
    }
    values.update(fields)
    return Alert.model_validate(values)
