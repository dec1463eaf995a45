"""The Faust app and its two agents, thin adapters over the pure core.

- `enrich`: news.raw -> news.enriched, or news.deadletter with the reason.
- `alert`: news.enriched -> news.alerts by the alert rules.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import faust
import orjson
from pydantic import ValidationError

from streams.core.alerting import AlertRules, alert_for
from streams.core.pipeline import CoreOptions, MessageContext, dead_letter, enrich
from streams.errors import InvalidSchemaError
from streams.metrics import DEAD_LETTERS, MESSAGES_IN, PROCESSING_SECONDS
from streams.models import Alert, DeadLetter, EnrichedArticle
from streams.publish import FaustPublisher, Publisher
from streams.settings import Settings

__all__ = ["NewsApp", "create_app", "to_json"]

log = logging.getLogger("streams.agents")


def to_json(model: EnrichedArticle | DeadLetter | Alert) -> bytes:
    """Serialise a message model as UTF-8 JSON, with its `schema` field."""
    return orjson.dumps(model.model_dump(mode="json", by_alias=True))


@dataclass
class NewsApp:
    """The Faust app with its agents and the publisher they send through."""

    app: faust.App
    enrich_agent: Any
    alert_agent: Any
    publisher: Publisher
    settings: Settings


def _faust_app(settings: Settings) -> faust.App:
    credentials: faust.SASLCredentials | faust.SSLCredentials | None = None
    if settings.security_protocol.startswith("SASL"):
        credentials = faust.SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_password.get_secret_value() if settings.sasl_password else None,
            mechanism=settings.sasl_mechanism or "PLAIN",
        )
    elif settings.security_protocol == "SSL":
        import ssl

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


def create_app(settings: Settings, publisher: Publisher | None = None) -> NewsApp:
    """Build the app; `publisher` defaults to the app's own topics (tests may pass another)."""
    app = _faust_app(settings)
    out: Publisher = publisher or FaustPublisher(app)
    options = CoreOptions(
        max_message_bytes=settings.max_message_bytes, source_tz=settings.source_tz
    )
    rules = AlertRules(min_level=settings.alert_min_level)

    def raw_topic(name: str) -> Any:
        return app.topic(
            name, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw"
        )

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
            value = event.value if isinstance(event.value, bytes) else bytes(event.value or b"")
            result = enrich(value, ctx, options)
            if isinstance(result, DeadLetter):
                await send_dead_letter(result, ctx.key)
            else:
                await out.publish(
                    settings.topic_enriched, result.article_id.encode("utf-8"), to_json(result)
                )
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

    @app.agent(raw_topic(settings.topic_enriched), name="alert")
    async def alert_agent(stream: Any) -> AsyncIterator[Alert | DeadLetter | None]:
        async for event in stream.events():
            started = time.perf_counter()
            ctx = _context(event)
            MESSAGES_IN.labels(agent="alert", topic=ctx.topic).inc()
            value = event.value if isinstance(event.value, bytes) else bytes(event.value or b"")
            try:
                article = EnrichedArticle.model_validate_json(value)
            except ValidationError as exc:
                error = InvalidSchemaError(f"not an EnrichedArticle: {exc.error_count()} errors")
                letter = dead_letter(value, ctx, error)
                await send_dead_letter(letter, ctx.key)
                yield letter
                continue
            alert = alert_for(article, rules, datetime.now(UTC))
            if alert is not None:
                await out.publish(
                    settings.topic_alerts, alert.alert_id.encode("utf-8"), to_json(alert)
                )
                log.info(
                    "alert %s %s: %s",
                    alert.level,
                    alert.alert_id,
                    alert.title,
                    extra={
                        "topic": ctx.topic,
                        "partition": ctx.partition,
                        "offset": ctx.offset,
                        "article_id": article.article_id,
                    },
                )
            PROCESSING_SECONDS.labels(agent="alert").observe(time.perf_counter() - started)
            yield alert

    return NewsApp(app, enrich_agent, alert_agent, out, settings)
