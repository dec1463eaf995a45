"""`newsstream notify`: deliver alerts to the webhooks of the subscriber rules they matched."""

from __future__ import annotations

import argparse

__all__ = ["cmd_notify"]


def cmd_notify(args: argparse.Namespace) -> int:
    """Deliver alerts to the webhooks of the rules they matched (signed POSTs, retried)."""
    raise NotImplementedError
