"""`newsstream alerts`: following news.alerts (or a rule's topic), filtered, printed.

The consumer loop is streams.commands.follow's, shared with `newsstream tail`.

The broker client and the settings are imported where they are used, so that building the
command line (`newsstream --help`) does not load them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson

from streams.filters import AlertFilter
from streams.models import LEVELS, Alert, Level

if TYPE_CHECKING:
    from streams.settings import Settings

__all__ = [
    "AlertFilter",
    "follow_alerts",
    "format_alert",
    "cmd_alerts",
    "level_warning",
    "worker_threshold",
]

#: The filter that takes every alert.
EVERY_ALERT = AlertFilter()
#: ANSI SGR codes of each level's label on a terminal.
LEVEL_COLOURS = {"low": "36", "medium": "33", "high": "31", "critical": "1;41"}


async def follow_alerts(
    settings: Settings,
    on_alert: Callable[[Alert], None],
    *,
    wanted: AlertFilter = EVERY_ALERT,
    topic: str | None = None,
    from_beginning: bool = False,
    max_alerts: int | None = None,
    idle_timeout: float | None = None,
    first_timeout: float | None = None,
    max_wait: float | None = None,
) -> int:
    """Pass matching alerts of `topic` (default: news.alerts) to `on_alert`; returns how many.

    Stops after `max_alerts`, or `idle_timeout` s without a new record; `first_timeout`, when
    given, replaces the idle limit until the first record arrives (a worker is starting);
    `max_wait`: BrokerUnavailableError after this long without the broker.
    """
    from streams.commands.follow import Follow, follow

    def take(record: Any) -> bool:
        try:
            alert = Alert.model_validate_json(record.value or b"")
        except ValueError:
            return False
        if not wanted.accepts(alert):
            return False
        on_alert(alert)
        return True

    how = Follow(
        topics=(topic or settings.topic_alerts,),
        from_beginning=from_beginning,
        max_records=max_alerts,
        idle_timeout=idle_timeout,
        first_timeout=first_timeout,
        max_wait=max_wait,
    )
    return await follow(settings, how, take)


def format_alert(alert: Alert, colour: bool) -> str:
    """One human-readable block for an alert."""
    level = alert.level.upper()
    if colour:
        level = f"\033[{LEVEL_COLOURS.get(alert.level, '0')}m{level}\033[0m"
    lines = [f"[{level}] {alert.title or '(no title)'}"]
    when = (
        f"published {alert.published_at}, alerted {alert.created_at}"
        if alert.published_at
        else f"alerted {alert.created_at}"
    )
    lines.append("  " + "  ".join(part for part in (when, alert.source, alert.url) if part))
    if alert.categories:
        lines.append(
            f"  categories: {', '.join(alert.categories)}  actions: {', '.join(alert.actions)}"
        )
    if alert.entities:
        lines.append(f"  entities:   {', '.join(alert.entities)}")
    lines.append(f"  {alert.summary}")
    return "\n".join(lines)


def _alert_printer(as_json: bool) -> Callable[[Alert], None]:
    colour = sys.stdout.isatty()

    def show(alert: Alert) -> None:
        if as_json:
            print(orjson.dumps(alert.model_dump(mode="json", by_alias=True)).decode(), flush=True)
        else:
            print(format_alert(alert, colour) + "\n", flush=True)

    return show


def worker_threshold(settings: Settings) -> Level | None:
    """The lowest level the worker alerts at: its rules' lowest, else
    NEWSSTREAM_ALERT_MIN_LEVEL; None when the rules file cannot be read (the worker says why)."""
    from streams.errors import ConfigError
    from streams.settings import configured_rules

    try:
        rules = configured_rules(settings)
    except ConfigError:
        return None
    return min((rule.min_level for rule in rules), key=LEVELS.index)


def level_warning(asked: Level, settings: Settings) -> str | None:
    """A one-line warning when `--level` asks for alerts the worker never makes."""
    threshold = worker_threshold(settings)
    if asked == "none" or threshold is None or LEVELS.index(asked) >= LEVELS.index(threshold):
        return None
    source = "the rules file" if settings.rules_file else "NEWSSTREAM_ALERT_MIN_LEVEL"
    return (
        f"warning: the worker alerts from {threshold} up ({source}), "
        f"so --level {asked} shows no more than --level {threshold}"
    )


def cmd_alerts(args: argparse.Namespace) -> int:
    """Follow news.alerts, filtered."""
    from streams.commands.follow import status_line
    from streams.settings import load_settings

    settings = load_settings()
    warning = level_warning(args.level, settings)
    if warning:
        status_line(warning)
    wanted = AlertFilter(
        min_level=args.level, categories=frozenset(args.category or ()), entity=args.entity
    )
    try:
        asyncio.run(
            follow_alerts(
                settings,
                _alert_printer(args.json),
                wanted=wanted,
                topic=args.topic,
                from_beginning=args.from_beginning,
                max_alerts=args.max,
                idle_timeout=args.idle_timeout,
                max_wait=args.max_wait,
            )
        )
    except KeyboardInterrupt:
        pass
    return 0
