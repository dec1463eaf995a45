"""`newsstream notify`: deliver alerts to the webhooks of the subscriber rules they matched.

The broker clients, aiohttp and the settings are imported where they are used, so that
building the command line (`newsstream --help`) does not load them.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from streams.core.alerts.rules import Rule
    from streams.core.delivery.destinations import Destination
    from streams.runtime.notify.service import NotifyOptions, NotifyStats
    from streams.settings import Settings

__all__ = ["notify_destinations", "serve_until_signal", "cmd_notify"]

log = logging.getLogger("streams.notify")

#: Seconds in-flight deliveries get to finish after SIGTERM or Ctrl-C (unless --grace).
DEFAULT_GRACE_S = 10.0


def notify_destinations(settings: Settings) -> tuple[tuple[Rule, ...], list[Destination]]:
    """The rules and every webhook destination, secrets read from the environment now;
    ConfigError when one is missing or no rule has a webhook."""
    from pydantic import ValidationError

    from streams.core.alerts.rules import RateLimit
    from streams.core.delivery.destinations import resolve_destinations
    from streams.errors import ConfigError
    from streams.settings import configured_rules

    rules = configured_rules(settings)
    try:
        default = RateLimit(count=settings.notify_rate_count, per_s=settings.notify_rate_window_s)
    except ValidationError as exc:
        raise ConfigError(
            "NEWSSTREAM_NOTIFY_RATE_COUNT / NEWSSTREAM_NOTIFY_RATE_WINDOW_S out of range "
            "(at most 100000 per 86400 s)"
        ) from exc
    destinations = resolve_destinations(rules, os.environ, default)
    if not destinations:
        where = settings.rules_file or "no rules file (NEWSSTREAM_RULES_FILE is not set)"
        raise ConfigError(
            f"no rule has webhooks ({where}): give a rule `webhooks: [{{url_env: ..., "
            "format: slack}]` (see the README's Webhooks section)"
        )
    return rules, destinations


async def serve_until_signal(
    settings: Settings,
    rules: Sequence[Rule],
    destinations: Sequence[Destination],
    options: NotifyOptions,
) -> NotifyStats:
    """Run the notify loop until SIGTERM or SIGINT (a second one stops at once)."""
    from streams.runtime.notify.service import run_notify

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    main = asyncio.current_task()

    def on_signal(signum: int) -> None:
        if stop.is_set() and main is not None:
            main.cancel()
            return
        log.info(
            "%s: finishing in-flight deliveries (up to %g s)",
            signal.Signals(signum).name,
            options.grace_s,
        )
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, on_signal, signum)
    try:
        return await run_notify(settings, rules, destinations, stop, options)
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)


def cmd_notify(args: argparse.Namespace) -> int:
    """Deliver alerts to the webhooks of the rules they matched (signed POSTs, retried)."""
    import logging.config

    from streams.runtime.kafka import describe_broker, idempotence_supported
    from streams.runtime.logs import logging_config
    from streams.runtime.notify.service import NotifyOptions
    from streams.settings import load_settings

    settings = load_settings()
    logging.config.dictConfig(logging_config(settings.log_level, settings.log_format))
    rules, destinations = notify_destinations(settings)
    log.info(
        "notify starting against %s, group %s on %s: %s",
        describe_broker(settings),
        settings.notify_group,
        settings.topic_alerts,
        ", ".join(f"{d.name} ({d.format})" for d in destinations),
    )
    idempotence_supported(settings)  # with broker_kind auto, asks the broker now, off the loop
    options = NotifyOptions(grace_s=args.grace if args.grace is not None else DEFAULT_GRACE_S)
    try:
        stats = asyncio.run(serve_until_signal(settings, rules, destinations, options))
    except asyncio.CancelledError:
        log.warning("notify stopped at once by a second signal")
        return 0
    log.info(
        "notify stopped: %d records read, %d deliveries, %d parked",
        stats.records,
        stats.delivered,
        stats.parked,
    )
    return 0
