"""`newsstream worker`: the Faust worker of streams.runtime against NEWSSTREAM_BROKER."""

from __future__ import annotations

import argparse

__all__ = ["cmd_worker"]


def cmd_worker(args: argparse.Namespace) -> int:
    """Run a Faust worker against NEWSSTREAM_BROKER."""
    from streams.runtime.worker import run_worker
    from streams.settings import load_settings

    run_worker(load_settings())
    return 0
