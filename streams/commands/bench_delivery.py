"""`newsstream bench --delivery`: alert produced -> webhook received, and -> page event."""

from __future__ import annotations

from typing import Any

__all__ = ["bench_delivery"]


def bench_delivery(alerts: int) -> dict[str, Any]:
    """Produce `alerts` alerts on an embedded broker and time their delivery."""
    raise NotImplementedError
