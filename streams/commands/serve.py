"""`newsstream serve`: the live alerts page, its event stream and its JSON API.

The server (aiohttp and the broker client) is imported when the command runs, so that
building the command line does not load it.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

__all__ = ["cmd_serve", "EXPOSED_EXIT_CODE"]

#: Exit code when asked to listen beyond loopback without a token (a usage error, like
#: argparse's).
EXPOSED_EXIT_CODE = 2


def _ready(url: str) -> None:
    print(f"serving the live page at {url}", flush=True)
    print("stop with Ctrl-C", file=sys.stderr, flush=True)


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the live alerts page, its event stream and a JSON API over HTTP."""
    from streams.serve import ExposedWithoutTokenError, serve_app
    from streams.settings import load_settings

    settings = load_settings()

    async def run() -> None:
        task = asyncio.current_task()
        if task is not None:  # SIGTERM (docker stop, a supervisor): close streams, then exit
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
        await serve_app(settings, args.host, args.port, on_ready=_ready)

    try:
        asyncio.run(run())
    except ExposedWithoutTokenError as exc:
        print(f"newsstream serve: {exc}", file=sys.stderr)
        return EXPOSED_EXIT_CODE
    except OSError as exc:
        host = args.host or settings.serve_host
        port = settings.serve_port if args.port is None else args.port
        print(
            f"newsstream serve: cannot listen on {host}:{port}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
    except (KeyboardInterrupt, asyncio.CancelledError):
        pass
    return 0
