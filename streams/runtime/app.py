"""The Faust app and its agents, thin adapters over the pure core.

    news.raw ─► enrich ─► <app>-stories ─► alert ─► news.enriched, news.alerts
                 └─► news.deadletter

- `enrich` (scales with the partitions of news.raw): core enrichment, in the worker's core
  processes (streams.runtime.core_pool); bad input is dead-lettered.
- `alert` (streams.runtime.alert_stage): near-duplicate stories, `duplicate_of`, subscriber
  rules, and spike counts per entity and country. It reads one partition, so that duplicates
  and mentions from any source meet in one place, and publishes news.enriched. Its state is
  stored in `<app>-alert-state` and restored from there when the partition moves
  (streams.runtime.state_log).

Both batch their outputs (see Batch) and acknowledge their inputs once the outputs are stored;
the alert stage's state changes go out in the same batch as the outputs they produced.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import faust

from streams.core.alerts.rules import Rule
from streams.core.alerts.state import AlertState
from streams.core.pipeline import MessageContext
from streams.errors import ConfigError
from streams.runtime.alert_stage import AlertStage, Outcome
from streams.runtime.batching import Batches
from streams.runtime.core_pool import CorePool, Pending
from streams.runtime.driver import NewsFaustApp
from streams.runtime.kafka import credentials, fetch_wait_ms
from streams.runtime.metrics import MESSAGES_IN
from streams.runtime.publish import KafkaPublisher, MemoryPublisher, Publisher
from streams.runtime.records import to_json
from streams.runtime.state_log import KafkaStateLog, MemoryStateLog, StateLog
from streams.settings import Settings, configured_rules

__all__ = ["NewsApp", "check_startup", "create_app", "describe_partitions", "to_json"]

log = logging.getLogger(__name__)


@dataclass
class NewsApp:
    """The Faust app with its agents, the alert stage's state, the core's processes and the
    publisher they use."""

    app: faust.App
    enrich_agent: Any
    alert_agent: Any
    state: AlertState
    pool: CorePool
    publisher: Publisher
    settings: Settings
    rules: tuple[Rule, ...]


def check_startup(settings: Settings) -> None:
    """Refuse to start on what would fail every message: a NER model that cannot be loaded.

    The model is loaded once here (and cached for the process), so a missing spaCy or model is
    one ConfigError at start-up instead of an internal_error dead letter per message.
    """
    if not settings.ner_model:
        return
    from streams.core.entities.model import load_model

    name = settings.ner_model
    try:
        load_model(name)
    except ImportError as exc:
        raise ConfigError(
            f"NEWSSTREAM_NER_MODEL is {name!r} but spaCy is not installed: "
            "pip install 'newsstream[spacy]', or unset NEWSSTREAM_NER_MODEL"
        ) from exc
    except (OSError, ValueError) as exc:
        first = str(exc).strip().partition("\n")[0]
        raise ConfigError(f"NEWSSTREAM_NER_MODEL: spaCy cannot load {name!r}: {first}") from exc


def describe_partitions(partitions: Iterable[Any]) -> str:
    """Topic partitions as `topic:0,1 other:0`, sorted, for the log (bench reads it too)."""
    by_topic: dict[str, list[int]] = {}
    for tp in partitions:
        by_topic.setdefault(tp.topic, []).append(tp.partition)
    return " ".join(
        f"{topic}:{','.join(map(str, sorted(parts)))}" for topic, parts in sorted(by_topic.items())
    )


def _faust_app(settings: Settings) -> faust.App:
    app = NewsFaustApp(
        settings.app_id,
        broker=settings.faust_broker,
        broker_credentials=credentials(settings).faust(),
        store="memory://",
        datadir=settings.data_dir,
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication,
        topic_disable_leader=True,
        web_enabled=False,
        producer_acks=-1,
        consumer_auto_offset_reset="earliest",
        broker_session_timeout=settings.session_timeout_s,
        broker_heartbeat_interval=settings.heartbeat_interval_s,
        broker_commit_interval=1.0,
        # A rebalance or shutdown need not wait for the events a Batch still holds: they are
        # not acknowledged, so their offsets are not committed and the partition's next owner
        # processes them again (same ids: at-least-once, never lost). Waiting could stall a
        # rebalance while the stream is paused with a batch half full.
        stream_wait_empty=False,
    )
    app.fetch_wait_ms = fetch_wait_ms(settings)
    return app


def _received(event: Any, agent: str) -> tuple[MessageContext, bytes]:
    """Count an input event; where it came from, and its value as bytes."""
    message = event.message
    stamp = getattr(message, "timestamp", None)
    ctx = MessageContext(
        key=message.key if isinstance(message.key, bytes | None) else None,
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        timestamp=datetime.fromtimestamp(stamp, UTC) if stamp else None,
    )
    MESSAGES_IN.labels(agent=agent, topic=ctx.topic).inc()
    value = event.value if isinstance(event.value, bytes) else bytes(event.value or b"")
    return ctx, value


def _raw_topic(app: faust.App, name: str, partitions: int | None = None) -> Any:
    """A topic of bytes: the agents decode (or dead-letter) values themselves."""
    return app.topic(
        name,
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        partitions=partitions,
    )


class _Agents:
    """The agents' bodies and the signal handlers that settle their batches.

    A plain object rather than closures in create_app: the batches, publisher and alert
    stage the agents share are attributes here.
    """

    def __init__(
        self,
        app: faust.App,
        settings: Settings,
        publisher: Publisher,
        stage: AlertStage,
        owned: KafkaPublisher | None,
    ) -> None:
        self._app = app
        self._settings = settings
        self._publisher = publisher
        self._stage = stage
        self._owned = owned  # the producer this app started, closed at shutdown
        self.pool = CorePool(settings, settings.core_processes)
        self._batches = Batches()

    async def enrich(self, stream: Any) -> None:
        """news.raw: each event enriched for the alert stage, or dead-lettered.

        The core runs in the pool's processes: up to `pool.depth` events are in flight while
        more input waits; their records join the batch in input order.
        """
        batch = self._batches.open(stream, self._publisher, "enrich")
        pool = self.pool
        window: deque[tuple[Any, MessageContext, bytes, Pending]] = deque()
        async for event in batch.stream.events():
            ctx, value = _received(event, "enrich")
            window.append((event, ctx, value, pool.submit(value, ctx)))
            while window and (len(window) >= pool.depth or batch.stream.channel.empty()):
                event, ctx, value, pending = window.popleft()
                batch.add(event, await pool.records(value, ctx, pending))
                await batch.flush_due([])

    async def alert(self, stream: Any) -> AsyncIterator[Outcome]:
        """The stories topic through the alert stage; its state changes trail each batch."""
        stage = self._stage
        batch = self._batches.open(stream, self._publisher, "alert", trailer=stage.changes)
        outcomes: list[Outcome] = []
        async for event in batch.stream.events():
            await stage.make_current(batch.flush)
            ctx, value = _received(event, "alert")
            records, outcome = stage.handle(value, ctx, int(event.message.offset))
            batch.add(event, records)
            outcomes.append(outcome)
            for done in await batch.flush_due(outcomes):
                yield done

    async def on_assigned(self, sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        """Partitions were assigned: the alert state may have to be restored."""
        assigned = args[0] if args else kwargs.get("assigned", ())
        log.info("partitions assigned: %s", describe_partitions(assigned))
        self._stage.partitions_assigned(assigned)

    async def on_revoked(self, sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        """Partitions move: publish what is held, commit what is acknowledged."""
        await self._batches.settle(self._app.consumer.commit)

    async def on_shutdown(self, sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        """The worker stops: settle as for a rebalance, then close our producer."""
        await self._batches.settle(self._app.consumer.commit)
        self.pool.close()
        if self._owned is not None:
            await self._owned.stop()


def _outputs(
    settings: Settings, publisher: Publisher | None, state_log: StateLog | None
) -> tuple[Publisher, KafkaPublisher | None, StateLog]:
    """The publisher, the one this app owns (if it made it) and the state's restorer."""
    if publisher is None:
        owned = KafkaPublisher(settings)
        return owned, owned, state_log or KafkaStateLog(settings, owned)
    if state_log is None:
        if not isinstance(publisher, MemoryPublisher):
            raise TypeError("a publisher other than the default needs its own state_log")
        state_log = MemoryStateLog(publisher, settings.state_topic)
    return publisher, None, state_log


def create_app(
    settings: Settings, publisher: Publisher | None = None, state_log: StateLog | None = None
) -> NewsApp:
    """Build the app; `publisher` defaults to the app's own topics (tests may pass another).

    `state_log` restores the alert state: the changelog topic by default, the records a
    MemoryPublisher caught when one is passed.
    """
    app = _faust_app(settings)
    out, owned, restorer = _outputs(settings, publisher, state_log)
    rules = configured_rules(settings)
    stage = AlertStage(settings, rules, restorer)
    agents = _Agents(app, settings, out, stage, owned)
    app.on_partitions_assigned.connect(agents.on_assigned)
    app.on_partitions_revoked.connect(agents.on_revoked)
    app.on_before_shutdown.connect(agents.on_shutdown)
    enrich_agent = app.agent(_raw_topic(app, settings.topic_raw), name="enrich")(agents.enrich)
    stories = _raw_topic(app, settings.stories_topic, partitions=1)
    alert_agent = app.agent(stories, name="alert")(agents.alert)
    return NewsApp(app, enrich_agent, alert_agent, stage.state, agents.pool, out, settings, rules)
