"""`newsstream demo`: embedded broker, topics, a worker process, the live page, the sample feed,
live alerts.

The topic admin client and the settings are imported where they are used, so that building the
command line (`newsstream --help`) does not load them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from streams.commands.alerts import AlertFilter, follow_alerts, format_alert
from streams.commands.broker import (
    EmbeddedBroker,
    command_process,
    export_lines,
    free_port,
    port_in_use,
)
from streams.commands.console import plural
from streams.commands.produce import iter_file_messages, produce_records, sample_feed_path
from streams.models import Alert, Level

if TYPE_CHECKING:
    from streams.settings import Settings

__all__ = ["worker_process", "page_process", "demo_settings", "run_demo", "cmd_demo"]

#: With --exit-after-idle: how long to wait for the worker's first alert before giving up.
FIRST_ALERT_TIMEOUT_S = 120.0
#: Seconds a worker gets to stop on SIGTERM before it is killed.
WORKER_STOP_TIMEOUT_S = 15.0


def _child_env(bootstrap: str, extra_env: dict[str, str] | None) -> dict[str, str]:
    """What a child command's environment adds to this one's: `bootstrap` (the embedded
    broker), JSON logs, and `extra_env`."""
    return {
        "NEWSSTREAM_BROKER": bootstrap,
        "NEWSSTREAM_BROKER_KIND": "embedded",
        "NEWSSTREAM_LOG_FORMAT": "json",
        **(extra_env or {}),
    }


def worker_process(
    bootstrap: str, *, log_path: Path, extra_env: dict[str, str] | None = None
) -> contextlib.AbstractContextManager[subprocess.Popen[bytes]]:
    """Run `newsstream worker` as a child process group against `bootstrap`; stop it on exit."""
    env = _child_env(bootstrap, {"NEWSSTREAM_METRICS_PORT": "0", **(extra_env or {})})
    return command_process(["worker"], env, log_path, WORKER_STOP_TIMEOUT_S)


def page_process(
    bootstrap: str, *, port: int, log_path: Path, extra_env: dict[str, str] | None = None
) -> contextlib.AbstractContextManager[subprocess.Popen[bytes]]:
    """Run `newsstream serve` on 127.0.0.1:`port` against `bootstrap`; stop it on exit."""
    args = ["serve", "--host", "127.0.0.1", "--port", str(port)]
    return command_process(args, _child_env(bootstrap, extra_env), log_path, WORKER_STOP_TIMEOUT_S)


def page_port(wanted: int) -> int:
    """`wanted` (NEWSSTREAM_SERVE_PORT) when it is free on loopback, else a free port."""
    return wanted if wanted and not port_in_use("127.0.0.1", wanted) else free_port()


def demo_settings(partitions: int = 4) -> Settings:
    """The demo's settings, checked before anything starts: the environment's, on the
    embedded broker, with `partitions` (ConfigError naming --partitions when out of range)."""
    from streams.runtime.app import check_startup
    from streams.settings import settings_from

    settings = settings_from(
        {"partitions": "--partitions"},
        broker_kind="embedded",
        partitions=partitions,
        metrics_port=0,
    )
    check_startup(settings)
    return settings


def run_demo(
    feed: Path,
    *,
    min_level: Level,
    on_status: Callable[[str], None],
    on_alert: Callable[[Alert, float], None],
    partitions: int = 4,
    idle_exit: float | None = None,
    port: int | None = None,
) -> int:
    """Run the whole pipeline locally until Ctrl-C (or `idle_exit` s without alerts).

    The broker listens on `port` (default: a free one); the status says how to reach it.
    """
    from streams.runtime.topics import ensure_topics

    checked = demo_settings(partitions)
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="newsstream-demo-") as scratch,
        EmbeddedBroker(port=port) as broker,
    ):
        workdir = Path(scratch)  # the worker's state and log, removed when the demo ends
        on_status(f"embedded broker listening on {broker.bootstrap} (pid {broker.pid})")
        lines = "\n".join(export_lines(broker.bootstrap))
        on_status(f"to publish to it from another shell (newsstream produce FILE):\n{lines}")
        settings = checked.model_copy(update={"broker": broker.bootstrap})
        asyncio.run(ensure_topics(settings))
        on_status(f"topics created ({plural(partitions, 'partition')} each)")
        log_path = workdir / "worker.log"
        extra = {"NEWSSTREAM_PARTITIONS": str(partitions), "NEWSSTREAM_DATA_DIR": str(workdir)}
        web_port = page_port(settings.serve_port)
        with (
            worker_process(broker.bootstrap, log_path=log_path, extra_env=extra) as worker,
            page_process(broker.bootstrap, port=web_port, log_path=workdir / "serve.log") as page,
        ):
            on_status(f"worker started (pid {worker.pid}, log {log_path} until the demo ends)")
            access = (
                "open it with ?token=<NEWSSTREAM_SERVE_TOKEN>"
                if settings.serve_token
                else "loopback only, no token"
            )
            on_status(f"live page: http://127.0.0.1:{web_port}/ (pid {page.pid}, {access})")
            sent = asyncio.run(produce_records(settings, iter_file_messages(feed)))
            on_status(
                f"published {sent} articles from {feed.name}; waiting for alerts (Ctrl-C stops)"
            )

            def show(alert: Alert) -> None:
                on_alert(alert, time.monotonic() - started)

            with contextlib.suppress(KeyboardInterrupt):
                return asyncio.run(
                    follow_alerts(
                        settings,
                        show,
                        wanted=AlertFilter(min_level=min_level),
                        from_beginning=True,
                        idle_timeout=idle_exit,
                        first_timeout=FIRST_ALERT_TIMEOUT_S if idle_exit is not None else None,
                    )
                )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Run the whole pipeline on the embedded broker and show alerts."""
    colour = sys.stdout.isatty()
    first: list[float] = []

    def status(text: str) -> None:
        print(f"-- {text}", flush=True)

    shown = [0]

    def show(alert: Alert, elapsed: float) -> None:
        shown[0] += 1
        if not first:
            first.append(elapsed)
            status(f"first alert {elapsed:.1f} s after start")
        print(format_alert(alert, colour) + "\n", flush=True)

    feed = Path(args.feed) if args.feed else sample_feed_path()
    run_demo(
        feed,
        min_level=args.level,
        on_status=status,
        on_alert=show,
        partitions=args.partitions,
        idle_exit=args.exit_after_idle,
        port=args.port,
    )
    status(f"stopped after {shown[0]} alerts; broker, worker and live page are shut down")
    return 0
