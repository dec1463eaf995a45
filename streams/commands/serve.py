"""`newsstream serve`: the live alerts page, its event stream and its JSON API."""

from __future__ import annotations

import argparse

__all__ = ["cmd_serve"]


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the live alerts page, its event stream and a JSON API over HTTP."""
    raise NotImplementedError
