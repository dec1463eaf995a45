"""The live alerts page of `newsstream serve`: a Kafka reader, a kept history with a fan-out
to Server-Sent Event streams, stories, filters, and the page itself (static/).

`start_server` and `serve_app` run it in-process; `sse_latency` measures its delivery.
"""

from __future__ import annotations

from streams.serve.auth import ExposedWithoutTokenError, check_exposure
from streams.serve.probe import probe_alert, sse_latency
from streams.serve.server import RunningServer, serve_app, start_server, url_of

__all__ = [
    "ExposedWithoutTokenError",
    "RunningServer",
    "check_exposure",
    "probe_alert",
    "serve_app",
    "sse_latency",
    "start_server",
    "url_of",
]
