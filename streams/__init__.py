"""newsstream: an event-driven stream processor for breaking news.

`streams.enrich(article)` enriches one article in-process (see `streams.api`); the stream
runs as `newsstream worker`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from streams.api import enrich

try:
    __version__ = version("newsstream")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__", "enrich"]


def __getattr__(name: str) -> Any:
    # The pipeline is imported on first use, so `newsstream --help` stays quick.
    if name == "enrich":
        from streams.api import enrich

        return enrich
    raise AttributeError(f"module 'streams' has no attribute {name!r}")
