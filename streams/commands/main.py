"""The `newsstream` entry point: parse the command line, run the command, report a domain error.

Only the modules of `streams.commands` print to the console.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from streams.commands.parser import build_parser
from streams.errors import NewsstreamError

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run a command; a domain error is one line on stderr and exit code 1."""
    args = build_parser().parse_args(argv)
    if args.command != "worker":
        from streams.runtime.logs import configure_logging

        configure_logging("WARNING", "text")
    try:
        code = args.func(args)
    except NewsstreamError as exc:
        print(f"newsstream {args.command}: {exc}", file=sys.stderr)
        code = 1
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        code = 0
    sys.exit(code)
