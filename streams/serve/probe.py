"""How long an alert takes from the broker to a live page: produced -> SSE event received.

`sse_latency` opens the event stream of a running `newsstream serve`, has `produce` publish
one alert at a time, and times each until its event arrives. `newsstream bench --delivery`
uses it, with `probe_alert` for alerts of its own.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

import aiohttp
import orjson

from streams.models import Alert

__all__ = ["sse_latency", "sse_events", "watch_stream", "probe_alert", "ProbeTimeoutError"]

#: Seconds to wait for one alert's event before the probe gives up.
EVENT_TIMEOUT_S = 30.0


class ProbeTimeoutError(TimeoutError):
    """An alert's event did not arrive in time."""


def probe_alert(n: int, tag: str = "probe", rules: Sequence[str] = ()) -> Alert:
    """A distinct low-level alert for latency runs (its id derives from `tag` and `n`), as
    if it matched `rules` (whose webhooks `notify` then POSTs it to)."""
    now = datetime.now(UTC)
    return Alert(
        alert_id=hashlib.blake2b(f"{tag}-{n}".encode(), digest_size=12).hexdigest(),
        kind="escalation",
        level="low",
        title=f"Latency probe {n}",
        summary="A synthetic alert that measures delivery to the live page.",
        article_id=f"{tag}-{n}",
        created_at=now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
        reason="latency probe",
        story_id=f"{tag}-{n}",
        rules=list(rules),
    )


async def sse_events(response: aiohttp.ClientResponse) -> Callable[[], Awaitable[dict[str, str]]]:
    """A reader of the stream's events, one at a time (fields `event`, `id`, `data`)."""
    buffer = b""

    async def next_event() -> dict[str, str]:
        nonlocal buffer
        while b"\n\n" not in buffer:
            chunk = await response.content.readany()
            if not chunk:
                raise ConnectionError("the event stream ended")
            buffer += chunk
        block, _, buffer = buffer.partition(b"\n\n")
        event: dict[str, str] = {}
        for line in block.decode().split("\n"):
            name, _, value = line.partition(":")
            if name in ("event", "id", "data"):
                event[name] = event.get(name, "") + value.removeprefix(" ")
        return event

    return next_event


async def sse_latency(
    url: str,
    token: str | None,
    produce: Callable[[int], Awaitable[str]],
    count: int = 50,
    *,
    timeout: float = EVENT_TIMEOUT_S,
) -> list[float]:
    """Seconds from producing each of `count` alerts to receiving its SSE event.

    `url` is the server's base URL (`http://127.0.0.1:8080/`), `token` its bearer token (or
    None), `produce(n)` publishes the n-th alert to the alerts topic and returns its
    `alert_id`. The stream is opened first, without backlog; alerts go one at a time.
    """
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    stream_url = url.rstrip("/") + "/alerts/stream?backlog=0"
    latencies: list[float] = []
    client_timeout = aiohttp.ClientTimeout(total=None, sock_connect=timeout)
    async with (
        aiohttp.ClientSession(timeout=client_timeout) as session,
        session.get(stream_url, headers=headers) as response,
    ):
        response.raise_for_status()
        next_event = await sse_events(response)
        while "id" not in await asyncio.wait_for(next_event(), timeout):
            pass  # the opening: retry, then the cursor
        for n in range(count):
            started = time.perf_counter()
            alert_id = await produce(n)
            try:
                await asyncio.wait_for(_until_alert(next_event, alert_id), timeout)
            except TimeoutError as exc:
                raise ProbeTimeoutError(
                    f"no event for alert {alert_id} within {timeout:g} s"
                ) from exc
            latencies.append(time.perf_counter() - started)
    return latencies


async def _until_alert(next_event: Callable[[], Awaitable[dict[str, str]]], alert_id: str) -> None:
    while True:
        event = await next_event()
        if event.get("event") == "alert" and orjson.loads(event["data"])["alert_id"] == alert_id:
            return


async def watch_stream(
    url: str, token: str | None, seen: dict[str, float], ready: Callable[[], None]
) -> None:
    """Record in `seen` when (time.time()) each alert's event arrives on the server's stream,
    until cancelled; `ready` is called once the stream is open."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    stream_url = url.rstrip("/") + "/alerts/stream?backlog=0"
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None)) as session,
        session.get(stream_url, headers=headers) as response,
    ):
        response.raise_for_status()
        next_event = await sse_events(response)
        ready()
        while True:
            event = await next_event()
            if event.get("event") == "alert":
                seen.setdefault(orjson.loads(event["data"])["alert_id"], time.time())
