"""`newsstream alerts`: following news.alerts with an aiokafka consumer, filtered, printed.

The broker client and the settings are imported where they are used, so that building the
command line (`newsstream --help`) does not load them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import orjson

from streams.models import LEVELS, Alert, Level

if TYPE_CHECKING:
    from streams.settings import Settings

__all__ = ["AlertFilter", "follow_alerts", "format_alert", "cmd_alerts"]

#: ANSI SGR codes of each level's label on a terminal.
LEVEL_COLOURS = {"low": "36", "medium": "33", "high": "31", "critical": "1;41"}


@dataclass(frozen=True)
class AlertFilter:
    """Which alerts a subscriber wants: minimum level, categories, an entity substring."""

    min_level: Level = "none"
    categories: frozenset[str] = frozenset()
    entity: str | None = None

    def accepts(self, alert: Alert) -> bool:
        """True when the alert passes every condition."""
        if LEVELS.index(alert.level) < LEVELS.index(self.min_level):
            return False
        if self.categories and not self.categories & set(alert.categories):
            return False
        if self.entity:
            wanted = self.entity.casefold()
            return any(wanted in name.casefold() for name in alert.entities)
        return True


async def follow_alerts(
    settings: Settings,
    on_alert: Callable[[Alert], None],
    *,
    wanted: AlertFilter = AlertFilter(),
    from_beginning: bool = False,
    max_alerts: int | None = None,
    idle_timeout: float | None = None,
    first_timeout: float | None = None,
) -> int:
    """Pass matching alerts to `on_alert`; returns how many.

    Stops after `max_alerts`, or `idle_timeout` s without a new record; `first_timeout`, when
    given, replaces the idle limit until the first record arrives (a worker is starting).
    """
    from aiokafka import AIOKafkaConsumer

    from streams.runtime.kafka import client_kwargs, start_client

    consumer = AIOKafkaConsumer(
        settings.topic_alerts,
        **client_kwargs(settings),
        group_id=None,
        auto_offset_reset="earliest" if from_beginning else "latest",
        enable_auto_commit=False,
    )
    await start_client(consumer, settings)
    seen = 0
    got_any = False
    loop = asyncio.get_running_loop()
    last = loop.time()
    try:
        while max_alerts is None or seen < max_alerts:
            batches = await consumer.getmany(timeout_ms=500)
            if not batches:
                limit = first_timeout if first_timeout is not None and not got_any else idle_timeout
                if limit is not None and loop.time() - last > limit:
                    break
                continue
            got_any = True
            last = loop.time()
            for records in batches.values():
                for record in records:
                    try:
                        alert = Alert.model_validate_json(record.value or b"")
                    except ValueError:
                        continue
                    if wanted.accepts(alert):
                        on_alert(alert)
                        seen += 1
    finally:
        await consumer.stop()
    return seen


def format_alert(alert: Alert, colour: bool) -> str:
    """One human-readable block for an alert."""
    level = alert.level.upper()
    if colour:
        level = f"\033[{LEVEL_COLOURS.get(alert.level, '0')}m{level}\033[0m"
    lines = [f"[{level}] {alert.title or '(no title)'}"]
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


def cmd_alerts(args: argparse.Namespace) -> int:
    """Follow news.alerts, filtered."""
    from streams.settings import load_settings

    wanted = AlertFilter(
        min_level=args.level, categories=frozenset(args.category or ()), entity=args.entity
    )
    try:
        asyncio.run(
            follow_alerts(
                load_settings(),
                _alert_printer(args.json),
                wanted=wanted,
                from_beginning=args.from_beginning,
                max_alerts=args.max,
                idle_timeout=args.idle_timeout,
            )
        )
    except KeyboardInterrupt:
        pass
    return 0
