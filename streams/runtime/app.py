"""The Faust app and its agents, thin adapters over the pure core.

    news.raw ─► enrich ─► <app>-stories ─► alert ─► news.enriched, news.alerts
                 └─► news.deadletter

- `enrich` (scales with the partitions of news.raw): core enrichment; bad input is dead-lettered.
- `alert`: near-duplicate stories, `duplicate_of`, subscriber rules, and spike counts per
  entity and country. It reads one partition, so that duplicates and mentions from any
  source meet in one place. It publishes news.enriched. Its state (streams.core.alerts.state)
  is stored in `<app>-alert-state` and restored from there when the partition moves
  (streams.runtime.state_log).

Both batch their outputs (see Batch) and acknowledge their inputs once the outputs are stored;
the alert stage's state changes go out in the same batch as the outputs they produced.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import faust
import orjson
from faust.types import TP
from pydantic import ValidationError

from streams.core.alerts.compose import escalation_alert
from streams.core.alerts.dedup import DedupParams
from streams.core.alerts.rules import Rule, matching_rules
from streams.core.alerts.spikes import SpikeParams
from streams.core.alerts.state import AlertState, epoch
from streams.core.pipeline import MessageContext, dead_letter, enrich
from streams.errors import InvalidSchemaError
from streams.models import Alert, DeadLetter, EnrichedArticle
from streams.runtime.batching import Batches
from streams.runtime.metrics import DEAD_LETTERS, MESSAGES_IN
from streams.runtime.publish import KafkaPublisher, MemoryPublisher, Publisher, Record
from streams.runtime.state_log import KafkaStateLog, MemoryStateLog, StateLog, state_records
from streams.settings import Settings, configured_rules

__all__ = ["NewsApp", "create_app", "to_json"]

log = logging.getLogger("streams.agents")

#: Expired stories and quiet spike keys are swept from the state every this many articles.
STATE_SWEEP_EVERY = 500


def to_json(model: EnrichedArticle | DeadLetter | Alert) -> bytes:
    """Serialise a message model as UTF-8 JSON, with its `schema` field."""
    return orjson.dumps(model.model_dump(mode="json", by_alias=True))


@dataclass
class NewsApp:
    """The Faust app with its agents, the alert stage's state and the publisher they use."""

    app: faust.App
    enrich_agent: Any
    alert_agent: Any
    state: AlertState
    publisher: Publisher
    settings: Settings
    rules: tuple[Rule, ...]


def _faust_app(settings: Settings) -> faust.App:
    credentials: faust.SASLCredentials | faust.SSLCredentials | None = None
    if settings.security_protocol.startswith("SASL"):
        context = (
            ssl.create_default_context(cafile=settings.ssl_cafile)
            if settings.security_protocol == "SASL_SSL"
            else None
        )
        credentials = faust.SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_password.get_secret_value() if settings.sasl_password else None,
            mechanism=settings.sasl_mechanism or "PLAIN",
            ssl_context=context,
        )
    elif settings.security_protocol == "SSL":
        credentials = faust.SSLCredentials(ssl.create_default_context(cafile=settings.ssl_cafile))
    return faust.App(
        settings.app_id,
        broker=settings.faust_broker,
        broker_credentials=credentials,
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


def _context(event: Any) -> MessageContext:
    message = event.message
    stamp = getattr(message, "timestamp", None)
    return MessageContext(
        key=message.key if isinstance(message.key, bytes | None) else None,
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        timestamp=datetime.fromtimestamp(stamp, UTC) if stamp else None,
    )


def _value(event: Any) -> bytes:
    return event.value if isinstance(event.value, bytes) else bytes(event.value or b"")


def create_app(
    settings: Settings, publisher: Publisher | None = None, state_log: StateLog | None = None
) -> NewsApp:
    """Build the app; `publisher` defaults to the app's own topics (tests may pass another).

    `state_log` restores the alert state: the changelog topic by default, the records a
    MemoryPublisher caught when one is passed.
    """
    app = _faust_app(settings)
    batches = Batches()
    owned: KafkaPublisher | None = None
    if publisher is None:
        owned = publisher = KafkaPublisher(settings)
        state_log = state_log or KafkaStateLog(settings, owned)
    elif state_log is None:
        if not isinstance(publisher, MemoryPublisher):
            raise TypeError("a publisher other than the default needs its own state_log")
        state_log = MemoryStateLog(publisher, settings.state_topic)
    restorer: StateLog = state_log

    async def settle(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        """Partitions move: publish what is held, commit what is acknowledged."""
        await batches.settle(app.consumer.commit)

    async def shut_down(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        """The worker stops: settle as for a rebalance, then close our producer."""
        await batches.settle(app.consumer.commit)
        if owned is not None:
            await owned.stop()

    app.on_partitions_revoked.connect(settle)
    app.on_before_shutdown.connect(shut_down)
    out: Publisher = publisher
    options = settings.core_options()
    rules = configured_rules(settings)
    dedup = DedupParams(window_s=settings.dedup_window_s, max_distance=settings.dedup_max_distance)
    spikes = SpikeParams(
        window_s=settings.spike_window_s,
        alpha=settings.spike_alpha,
        factor=settings.spike_factor,
        min_count=settings.spike_min_count,
    )

    def raw_topic(name: str, partitions: int | None = None) -> Any:
        return app.topic(
            name,
            key_type=bytes,
            value_type=bytes,
            key_serializer="raw",
            value_serializer="raw",
            partitions=partitions,
        )

    state = AlertState(dedup, spikes)
    stories_partition = TP(settings.stories_topic, 0)
    # Whether the state in memory is current: this worker has kept the stories partition
    # since the state was last restored.
    state_current = False

    async def on_assigned(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        nonlocal state_current
        assigned = args[0] if args else kwargs.get("assigned", ())
        if stories_partition not in assigned:
            state_current = False  # another worker may change the state meanwhile

    app.on_partitions_assigned.connect(on_assigned)

    def dead_letter_record(letter: DeadLetter, key: bytes | None) -> Record:
        DEAD_LETTERS.labels(error_type=letter.error.type).inc()
        log.warning(
            "dead-lettered %s: %s",
            letter.error.type,
            letter.error.message,
            extra={"topic": letter.topic, "partition": letter.partition, "offset": letter.offset},
        )
        return (settings.topic_deadletter, key, to_json(letter))

    def alert_records(alert: Alert, matched: list[Rule], article_id: str | None) -> list[Record]:
        key = alert.alert_id.encode("utf-8")
        payload = to_json(alert)
        log.info(
            "alert %s %s %s: %s",
            alert.kind,
            alert.level,
            alert.alert_id,
            alert.title,
            extra={"alert_id": alert.alert_id, "article_id": article_id},
        )
        topics = [settings.topic_alerts, *dict.fromkeys(r.topic for r in matched if r.topic)]
        return [(topic, key, payload) for topic in topics]

    @app.agent(raw_topic(settings.topic_raw), name="enrich")
    async def enrich_agent(stream: Any) -> AsyncIterator[EnrichedArticle | DeadLetter]:
        batch = batches.open(stream, out, "enrich")
        results: list[EnrichedArticle | DeadLetter] = []
        async for event in batch.stream.events():
            ctx = _context(event)
            MESSAGES_IN.labels(agent="enrich", topic=ctx.topic).inc()
            result = enrich(_value(event), ctx, options)
            if isinstance(result, DeadLetter):
                batch.add(event, [dead_letter_record(result, ctx.key)])
            else:
                key = result.article_id.encode("utf-8")
                batch.add(event, [(settings.stories_topic, key, to_json(result))])
                log.debug(
                    "enriched %s (%s)",
                    result.article_id,
                    result.escalation.level,
                    extra={
                        "topic": ctx.topic,
                        "partition": ctx.partition,
                        "offset": ctx.offset,
                        "article_id": result.article_id,
                    },
                )
            results.append(result)
            if batch.due():
                await batch.flush()
                for item in results:
                    yield item
                results.clear()

    def state_trailer() -> list[Record]:
        return state_records(settings.state_topic, state.take_changes())

    @app.agent(raw_topic(settings.stories_topic, partitions=1), name="alert")
    async def alert_agent(stream: Any) -> AsyncIterator[Alert | DeadLetter | None]:
        nonlocal state_current
        batch = batches.open(stream, out, "alert", trailer=state_trailer)
        outcomes: list[Alert | DeadLetter | None] = []
        processed = 0
        latest = 0.0  # the newest event time seen: the window ends there
        async for event in batch.stream.events():
            if not state_current:
                await batch.flush()
                await restorer.restore(state)
                state_current = True
            ctx = _context(event)
            MESSAGES_IN.labels(agent="alert", topic=ctx.topic).inc()
            value = _value(event)
            try:
                article = EnrichedArticle.model_validate_json(value)
            except ValidationError as exc:
                error = InvalidSchemaError(f"not an EnrichedArticle: {exc.error_count()} errors")
                letter = dead_letter(value, ctx, error)
                batch.add(event, [dead_letter_record(letter, ctx.key)])
                outcomes.append(letter)
            else:
                now = epoch(article.received_at)
                matched = matching_rules(article, rules)
                article, alerts = state.place(article, bool(matched), now)
                records: list[Record] = [
                    (settings.topic_enriched, article.article_id.encode("utf-8"), to_json(article))
                ]
                created = datetime.now(UTC)
                alert = escalation_alert(article, matched, created) if alerts else None
                if alert is not None:
                    records += alert_records(alert, matched, article.article_id)
                for spike in state.spike_alerts(article, now, int(event.message.offset), created):
                    records += alert_records(spike, [], None)
                batch.add(event, records)
                outcomes.append(alert)
                latest = max(latest, now)
            processed += 1
            if processed % STATE_SWEEP_EVERY == 0:
                state.sweep(latest)
            if batch.due():
                await batch.flush()
                for outcome in outcomes:
                    yield outcome
                outcomes.clear()

    return NewsApp(app, enrich_agent, alert_agent, state, out, settings, rules)
