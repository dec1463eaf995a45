"""Prometheus metrics of the worker: messages in, out, dead-lettered, and processing latency."""

from __future__ import annotations

from prometheus_client import Counter, Histogram, start_http_server

from streams.errors import ConfigError

__all__ = [
    "MESSAGES_IN",
    "MESSAGES_OUT",
    "DEAD_LETTERS",
    "PUBLISH_RETRIES",
    "PROCESSING_SECONDS",
    "serve_metrics",
]

MESSAGES_IN = Counter(
    "newsstream_messages_in_total", "Messages consumed, by agent.", ["agent", "topic"]
)
MESSAGES_OUT = Counter("newsstream_messages_out_total", "Messages published, by topic.", ["topic"])
DEAD_LETTERS = Counter(
    "newsstream_dead_letters_total",
    "Dead letters stored by the broker, by error type.",
    ["error_type"],
)
PUBLISH_RETRIES = Counter(
    "newsstream_publish_retries_total",
    "Records sent again after the broker did not store them, by topic and error class.",
    ["topic", "error"],
)
#: Buckets from 0.5 ms to 5 s: a 3 KB article takes a few ms through the core.
PROCESSING_SECONDS = Histogram(
    "newsstream_processing_seconds",
    "Time from consuming a message to its outputs being acknowledged, by agent.",
    ["agent"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)


def serve_metrics(port: int, addr: str = "0.0.0.0") -> None:  # noqa: S104 - scraped from outside
    """Serve /metrics on the port (0 turns the endpoint off); ConfigError when it is taken.

    Checked before the worker joins its group, so a busy port stops it with one line.
    """
    if not port:
        return
    try:
        start_http_server(port, addr=addr)
    except OSError as exc:
        raise ConfigError(
            f"cannot serve metrics on port {port} ({exc.strerror or exc}): set "
            "NEWSSTREAM_METRICS_PORT to a free port, or to 0 to turn metrics off"
        ) from exc
