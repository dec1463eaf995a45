"""What each agent output becomes on the wire: topic, key and JSON value, with its log line.

Kept apart from the agents so that both stages key, route and log their outputs the same way,
and so that building a record needs neither Faust nor a broker.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from streams.core.alerts.rules import Rule
from streams.core.fit import to_json
from streams.core.pipeline import MessageContext
from streams.models import Alert, DeadLetter, EnrichedArticle
from streams.runtime.publish import Record

__all__ = ["to_json", "dead_letter_record", "enrich_records", "article_record", "alert_records"]

#: One logger for what the agents do to messages (operators filter on it).
log = logging.getLogger("streams.agents")


def dead_letter_record(letter: DeadLetter, key: bytes | None, topic: str) -> Record:
    """The dead-letter record of a bad input, under the input's own key; logged.

    The publisher counts it (newsstream_dead_letters_total) once the broker has stored it.
    """
    log.warning(
        "dead-lettered %s: %s",
        letter.error.type,
        letter.error.message,
        extra={"topic": letter.topic, "partition": letter.partition, "offset": letter.offset},
    )
    return (topic, key, to_json(letter))


def article_record(article: EnrichedArticle, topic: str) -> Record:
    """An enriched article, keyed by its id."""
    return (topic, article.article_id.encode("utf-8"), to_json(article))


def enrich_records(
    result: EnrichedArticle | DeadLetter, ctx: MessageContext, stories_topic: str, deadletter: str
) -> list[Record]:
    """What one enrich result publishes: the article for the alert stage, or its dead letter."""
    if isinstance(result, DeadLetter):
        return [dead_letter_record(result, ctx.key, deadletter)]
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
    return [article_record(result, stories_topic)]


def alert_records(
    alert: Alert, matched: Sequence[Rule], article_id: str | None, alerts_topic: str
) -> list[Record]:
    """An alert on the alerts topic and on each distinct topic of the rules it matched."""
    key = alert.alert_id.encode("utf-8")
    payload = to_json(alert)
    log.info(
        "alert %s %s %s: %s",
        alert.kind,
        alert.level,
        alert.alert_id,
        alert.title or alert.summary,
        extra={"alert_id": alert.alert_id, "article_id": article_id},
    )
    topics = [alerts_topic, *dict.fromkeys(r.topic for r in matched if r.topic)]
    return [(topic, key, payload) for topic in topics]
