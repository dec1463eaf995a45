"""The routes of `newsstream serve`: the page, its event stream, the JSON API, /healthz.

- `GET /` the live page; `GET /static/...` its assets (shipped in streams/serve/static/);
- `GET /alerts/stream` Server-Sent Events: `alert` events (data: the alert's JSON, id: the
  per-partition cursor after it), oldest first; a fresh stream first sends the most recent
  kept alerts (`backlog`, default 200), one that resumes with `Last-Event-ID` every kept
  alert past that cursor, and a `gap` event when some it missed are no longer kept;
  `: keep-alive` comments every 15 s;
- `GET /api/alerts` the kept alerts, newest (`created_at`) first: the filters of
  streams.serve.filters, `since` (an ISO 8601 time, compared with `created_at`, or an event
  id), `limit`;
- `GET /api/stories/{story_id}` a story's articles (from news.enriched) and alerts;
- `GET /healthz` whether the server reads the topics (no token needed).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_request import BaseRequest
from pydantic import SecretStr

from streams.models import CATEGORIES, LEVELS
from streams.serve.auth import auth_middleware
from streams.serve.feed import AlertFeed, KeptAlert, Subscriber, parse_cursor
from streams.serve.filters import AlertQuery, InvalidQueryError
from streams.serve.stories import StoryIndex

__all__ = [
    "FEED",
    "STORIES",
    "build_app",
    "render_page",
    "STATIC_DIR",
    "KEEPALIVE_S",
    "BACKLOG",
    "PathOnlyAccessLogger",
]

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
#: Seconds between keep-alive comments on a quiet stream: under the 30-60 s idle timeouts of
#: common proxies and load balancers.
KEEPALIVE_S = 15.0
#: Alerts a fresh stream (and the API, by default) starts with: a screenful and more.
BACKLOG = 200
#: Milliseconds a browser waits before it reconnects a dropped stream (the SSE `retry`).
RETRY_MS = 2000

FEED = web.AppKey("feed", AlertFeed)
STORIES = web.AppKey("stories", StoryIndex)
_KEEPALIVE = web.AppKey("keepalive", float)
_PAGE = web.AppKey("page", bytes)

#: The page loads nothing from elsewhere: scripts, styles and the map are its own.
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class PathOnlyAccessLogger(AbstractAccessLogger):
    """Access lines without the query string, where a `?token=` would show."""

    def log(self, request: BaseRequest, response: web.StreamResponse, time: float) -> None:
        """One line: method, path, status, duration."""
        self.logger.info("%s %s %d %.3fs", request.method, request.path, response.status, time)


@web.middleware
async def _security_headers(
    request: web.Request, handler: Callable[[web.Request], Any]
) -> web.StreamResponse:
    response: web.StreamResponse = await handler(request)
    if not response.prepared:
        response.headers.update(_SECURITY_HEADERS)
    return response


def _query(request: web.Request) -> AlertQuery:
    try:
        return AlertQuery.from_params(request.query)
    except InvalidQueryError as exc:
        raise web.HTTPBadRequest(
            text=orjson.dumps({"error": str(exc)}).decode(), content_type="application/json"
        ) from exc


def _int_param(request: web.Request, name: str, default: int, most: int) -> int:
    value = request.query.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise web.HTTPBadRequest(
            text=orjson.dumps({"error": f"{name}: not a whole number"}).decode(),
            content_type="application/json",
        )
    return min(int(value), most)


def render_page() -> bytes:
    """index.html with the level and category choices of the models filled in."""
    levels = [level for level in LEVELS if level != "none"]
    fills = {
        "level-options": "".join(f'<option value="{v}">{v}</option>' for v in levels),
        "category-options": "".join(
            f'<option value="{v}">{v.replace("_", " ")}</option>' for v in CATEGORIES
        ),
        "level-legend": " ".join(f'<i class="lv-{v}"></i>{v}' for v in reversed(levels)),
    }
    text = (STATIC_DIR / "index.html").read_text("utf-8")
    for name, markup in fills.items():
        text = text.replace(f"<!-- {name} -->", markup)
    return text.encode()


async def page(request: web.Request) -> web.Response:
    """The live page."""
    return web.Response(
        body=request.app[_PAGE],
        content_type="text/html",
        charset="utf-8",
        headers={"Cache-Control": "no-store"},
    )


async def healthz(request: web.Request) -> web.Response:
    """Alive, and whether the kept alerts have been read back."""
    feed = request.app[FEED]
    ready = feed.ready.is_set()
    return web.json_response(
        {"status": "ok" if ready else "starting", "streams": feed.subscribers},
        status=200,
    )


def _since(request: web.Request, feed: AlertFeed) -> tuple[list[KeptAlert], list[int]]:
    """The kept alerts after `since` (reading order) and the partitions with a gap."""
    since = request.query.get("since", "").strip()
    if not since:
        return feed.kept(), []
    cursor = parse_cursor(since)
    if cursor is not None:
        return feed.beyond(cursor)
    try:
        when = datetime.fromisoformat(since.replace("Z", "+00:00"))
    except ValueError:
        raise web.HTTPBadRequest(
            text=orjson.dumps(
                {"error": "since: neither an ISO 8601 time nor an event id (0:15,1:7)"}
            ).decode(),
            content_type="application/json",
        ) from None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return [k for k in feed.kept() if _created(k) > when], []


def _created(kept: KeptAlert) -> datetime:
    try:
        return datetime.fromisoformat(kept.alert.created_at.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


async def api_alerts(request: web.Request) -> web.Response:
    """The kept alerts that match, newest `created_at` first, with the cursor to ask `since`
    next."""
    feed = request.app[FEED]
    query = _query(request)
    limit = _int_param(request, "limit", BACKLOG, feed.history * max(1, len(feed.partitions)))
    found, gaps = _since(request, feed)
    matching = sorted(
        (k for k in found if query.accepts(k.alert)),
        key=lambda k: (k.alert.created_at, k.seq),
        reverse=True,
    )
    body = {
        "cursor": feed.position,
        "count": min(len(matching), limit),
        "truncated": len(matching) > limit,
        "gap_partitions": gaps,
        "alerts": [orjson.Fragment(k.data) for k in matching[:limit]],
    }
    return web.Response(
        body=orjson.dumps(body),
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


async def api_story(request: web.Request) -> web.Response:
    """A story: its articles (oldest first) and its kept alerts (newest first)."""
    story_id = request.match_info["story_id"]
    feed, stories = request.app[FEED], request.app[STORIES]
    alerts = list(feed.find(lambda k: k.alert.story_id == story_id))
    articles = stories.members(story_id)
    if not alerts and not articles:
        raise web.HTTPNotFound(
            text=orjson.dumps({"error": f"no story {story_id!r} is kept"}).decode(),
            content_type="application/json",
        )
    body = {
        "story_id": story_id,
        "articles": articles,
        "alerts": [orjson.Fragment(k.data) for k in alerts],
    }
    return web.Response(
        body=orjson.dumps(body),
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


def _event(kept: KeptAlert) -> bytes:
    return f"id: {kept.event_id}\nevent: alert\ndata: {kept.data}\n\n".encode()


def _opening(request: web.Request, feed: AlertFeed, query: AlertQuery) -> tuple[bytes, int]:
    """What a stream sends first (the backlog, or what it missed), and the last seq in it.

    Called right after subscribing, with no await in between: the subscriber's queue holds
    exactly the alerts read after this.
    """
    parts = [f"retry: {RETRY_MS}\n\n".encode()]
    last_id = request.headers.get("Last-Event-ID", "").strip()
    cursor = parse_cursor(last_id) if last_id else None
    if cursor is not None:
        found, gaps = feed.beyond(cursor)
        if gaps:
            note = {
                "partitions": gaps,
                "message": "some alerts after Last-Event-ID are no longer kept "
                f"(the last {feed.history} per partition are)",
            }
            parts.append(b"event: gap\ndata: " + orjson.dumps(note) + b"\n\n")
        events = [k for k in found if query.accepts(k.alert)]
    else:
        if last_id:
            parts.append(b": Last-Event-ID is no event id of this server; starting afresh\n\n")
        backlog = _int_param(request, "backlog", BACKLOG, feed.history * len(feed.partitions))
        events = [k for k in feed.kept() if query.accepts(k.alert)][-backlog:] if backlog else []
    parts.extend(_event(k) for k in events)
    # the cursor after everything read so far: a reconnect starts there even when no event
    # came (an `id` line without data sets the browser's last event id, and nothing else)
    parts.append(f"id: {feed.position}\n\n".encode())
    return b"".join(parts), feed.last_seq


async def _pump(
    response: web.StreamResponse, subscriber: Subscriber, sent: int, every: float
) -> None:
    """Write the subscriber's alerts as they come; keep-alive comments when none do."""
    while True:
        try:
            kept = await asyncio.wait_for(subscriber.queue.get(), every)
        except TimeoutError:
            line = b": keep-alive\n\n"
            if subscriber.skipped is not None and subscriber.skipped[0] > sent:
                sent = subscriber.skipped[0]
                line = f": keep-alive\nid: {subscriber.skipped[1]}\n\n".encode()
            await response.write(line)
            continue
        sent = kept.seq
        await response.write(_event(kept))


async def stream(request: web.Request) -> web.StreamResponse:
    """Server-Sent Events of the alerts that match the query (see the module)."""
    feed = request.app[FEED]
    query = _query(request)
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",  # nginx: pass events on at once
            **_SECURITY_HEADERS,
        }
    )
    await response.prepare(request)
    subscriber = feed.subscribe(query.accepts)
    try:
        opening, sent = _opening(request, feed, query)
        await response.write(opening)
        await _pump(response, subscriber, sent, request.app[_KEEPALIVE])
    except asyncio.CancelledError:
        if not subscriber.dropped:
            raise
        # too slow (or shutting down): end this stream; the client resumes from its last id
        task = asyncio.current_task()
        if task is not None:
            task.uncancel()
        if request.transport is not None:
            request.transport.abort()
    except ConnectionResetError:
        pass  # the client went away
    finally:
        feed.unsubscribe(subscriber)
    return response


def build_app(
    feed: AlertFeed,
    stories: StoryIndex,
    *,
    token: SecretStr | None = None,
    keepalive: float = KEEPALIVE_S,
) -> web.Application:
    """The application over a feed and a story index: routes and the token check."""
    app = web.Application(middlewares=[_security_headers, auth_middleware(token)])
    app[FEED] = feed
    app[STORIES] = stories
    app[_KEEPALIVE] = keepalive
    app[_PAGE] = render_page()
    app.router.add_get("/", page)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/alerts/stream", stream)
    app.router.add_get("/api/alerts", api_alerts)
    app.router.add_get("/api/stories/{story_id}", api_story)
    app.router.add_static("/static", STATIC_DIR, show_index=False, follow_symlinks=False)

    async def on_shutdown(app: web.Application) -> None:
        app[FEED].close_all()

    app.on_shutdown.append(on_shutdown)
    return app
