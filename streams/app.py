"""The Faust app and its agents, thin adapters over the pure core.

    news.raw ─► enrich ─► <app>-stories ─► alert ─► news.enriched, news.alerts
                 │                           └─► <app>-spike-keys ─► spikes ─► news.alerts
                 └─► news.deadletter

- `enrich` (scales with the partitions of news.raw): core enrichment; bad input is dead-lettered.
- `alert`: near-duplicate stories (table `dedup`), `duplicate_of`, subscriber rules; it reads
  one partition so that duplicates from any source meet. It publishes news.enriched.
- `spikes` (partitioned by entity or country): tumbling-window counts (table `spikes`).
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import faust
import orjson
from pydantic import ValidationError

from streams.core.alerting import escalation_alert, spike_alert
from streams.core.dedup import DedupParams, Seen, decide, expired
from streams.core.pipeline import MessageContext, dead_letter, enrich
from streams.core.rules import Rule, matching_rules
from streams.core.spikes import SpikeParams, SpikeState, observe
from streams.errors import InvalidSchemaError
from streams.metrics import DEAD_LETTERS, MESSAGES_IN, PROCESSING_SECONDS
from streams.models import LEVELS, Alert, DeadLetter, EnrichedArticle
from streams.publish import FaustPublisher, Publisher
from streams.settings import Settings, configured_rules
from streams.topics import DEDUP_TABLE, SPIKES_TABLE

__all__ = ["NewsApp", "create_app", "to_json", "spike_keys"]

log = logging.getLogger("streams.agents")

#: Entities per flagged article that count towards spikes (most mentioned first).
MAX_SPIKE_ENTITIES = 10
#: Expired dedup entries are swept every this many articles.
DEDUP_SWEEP_EVERY = 500


def to_json(model: EnrichedArticle | DeadLetter | Alert) -> bytes:
    """Serialise a message model as UTF-8 JSON, with its `schema` field."""
    return orjson.dumps(model.model_dump(mode="json", by_alias=True))


def spike_keys(article: EnrichedArticle) -> list[tuple[str, str]]:
    """(key, display name) of the entities and countries a flagged article counts towards."""
    named = sorted(
        (e for e in article.entities if e.type in ("PERSON", "ORG", "LOC")),
        key=lambda e: (-e.count, e.start),
    )[:MAX_SPIKE_ENTITIES]
    keys = {f"entity:{e.canonical}": e.canonical for e in named}
    for entity in article.entities:
        if entity.geo and entity.geo.country:
            keys[f"country:{entity.geo.country}"] = entity.geo.country
    return list(keys.items())


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


@dataclass
class NewsApp:
    """The Faust app with its agents, tables and the publisher they send through."""

    app: faust.App
    enrich_agent: Any
    alert_agent: Any
    spike_agent: Any
    dedup_table: Any
    spike_table: Any
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


def create_app(settings: Settings, publisher: Publisher | None = None) -> NewsApp:
    """Build the app; `publisher` defaults to the app's own topics (tests may pass another)."""
    app = _faust_app(settings)
    out: Publisher = publisher or FaustPublisher(app)
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

    dedup_table = app.Table(DEDUP_TABLE, partitions=1)
    spike_table = app.Table(SPIKES_TABLE, partitions=settings.partitions)
    seen: dict[str, Seen] = {}  # read-through copy of dedup_table, rebuilt when they differ

    async def send_dead_letter(letter: DeadLetter, key: bytes | None) -> None:
        DEAD_LETTERS.labels(error_type=letter.error.type).inc()
        log.warning(
            "dead-lettered %s: %s",
            letter.error.type,
            letter.error.message,
            extra={"topic": letter.topic, "partition": letter.partition, "offset": letter.offset},
        )
        await out.publish(settings.topic_deadletter, key, to_json(letter))

    @app.agent(raw_topic(settings.topic_raw), name="enrich")
    async def enrich_agent(stream: Any) -> AsyncIterator[EnrichedArticle | DeadLetter]:
        async for event in stream.events():
            started = time.perf_counter()
            ctx = _context(event)
            MESSAGES_IN.labels(agent="enrich", topic=ctx.topic).inc()
            result = enrich(_value(event), ctx, options)
            if isinstance(result, DeadLetter):
                await send_dead_letter(result, ctx.key)
            else:
                key = result.article_id.encode("utf-8")
                await out.publish(settings.stories_topic, key, to_json(result))
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
            PROCESSING_SECONDS.labels(agent="enrich").observe(time.perf_counter() - started)
            yield result

    def story_state() -> dict[str, Seen]:
        if len(seen) != len(dedup_table):
            seen.clear()
            seen.update({k: Seen.from_dict(v) for k, v in dedup_table.items()})
        return seen

    def remember(article_id: str, item: Seen) -> None:
        seen[article_id] = item
        dedup_table[article_id] = item.to_dict()

    async def publish_alert(alert: Alert, matched: list[Rule], article_id: str | None) -> None:
        key = alert.alert_id.encode("utf-8")
        payload = to_json(alert)
        await out.publish(settings.topic_alerts, key, payload)
        for topic in dict.fromkeys(r.topic for r in matched if r.topic):
            await out.publish(topic, key, payload)
        log.info(
            "alert %s %s %s: %s",
            alert.kind,
            alert.level,
            alert.alert_id,
            alert.title,
            extra={"alert_id": alert.alert_id, "article_id": article_id},
        )

    @app.agent(raw_topic(settings.stories_topic, partitions=1), name="alert")
    async def alert_agent(stream: Any) -> AsyncIterator[Alert | DeadLetter | None]:
        processed = 0
        async for event in stream.events():
            started = time.perf_counter()
            ctx = _context(event)
            MESSAGES_IN.labels(agent="alert", topic=ctx.topic).inc()
            value = _value(event)
            try:
                article = EnrichedArticle.model_validate_json(value)
            except ValidationError as exc:
                error = InvalidSchemaError(f"not an EnrichedArticle: {exc.error_count()} errors")
                letter = dead_letter(value, ctx, error)
                await send_dead_letter(letter, ctx.key)
                yield letter
                continue
            now = _epoch(article.received_at)
            level = LEVELS.index(article.escalation.level)
            matched = matching_rules(article, rules)
            state = story_state()
            decision = decide(
                article.article_id,
                int(article.fingerprint, 16),
                level,
                bool(matched),
                state,
                dedup,
                now,
            )
            article = article.model_copy(update={"duplicate_of": decision.duplicate_of})
            await out.publish(
                settings.topic_enriched, article.article_id.encode("utf-8"), to_json(article)
            )
            alert = None
            if decision.alert:
                alert = escalation_alert(article, matched, datetime.now(UTC))
                await publish_alert(alert, matched, article.article_id)
            if article.escalation.flag:
                for key, name in spike_keys(article):
                    body = {"name": name, "t": now, "categories": article.escalation.categories}
                    await out.publish(settings.spike_keys_topic, key.encode(), orjson.dumps(body))
            previous = state.get(article.article_id)
            remember(
                article.article_id,
                Seen(
                    int(article.fingerprint, 16),
                    previous.seen_at if previous else now,
                    decision.root,
                    previous.alerted if previous else -1,
                ),
            )
            if alert is not None:
                root = state[decision.root]
                remember(decision.root, Seen(root.fingerprint, root.seen_at, root.root, level))
            processed += 1
            if processed % DEDUP_SWEEP_EVERY == 0:
                for old in expired(state, dedup, now):
                    del dedup_table[old]
                    seen.pop(old, None)
            PROCESSING_SECONDS.labels(agent="alert").observe(time.perf_counter() - started)
            yield alert

    @app.agent(raw_topic(settings.spike_keys_topic), name="spikes")
    async def spike_agent(stream: Any) -> AsyncIterator[Alert | None]:
        async for event in stream.events():
            started = time.perf_counter()
            MESSAGES_IN.labels(agent="spikes", topic=event.message.topic).inc()
            key = (event.key or b"").decode("utf-8", "replace")
            body = orjson.loads(_value(event))
            stored = spike_table.get(key)
            state, fires = observe(
                SpikeState.from_dict(stored) if stored else None, float(body["t"]), spikes
            )
            alert = None
            if fires:
                alert = spike_alert(
                    key, body["name"], state, spikes, body["categories"], datetime.now(UTC)
                )
                await publish_alert(alert, [], None)
            spike_table[key] = state.to_dict()
            PROCESSING_SECONDS.labels(agent="spikes").observe(time.perf_counter() - started)
            yield alert

    return NewsApp(
        app, enrich_agent, alert_agent, spike_agent, dedup_table, spike_table, out, settings, rules
    )
