"""What the AsyncAPI document says beyond the models: the text of its topics and
operations, the payloads no model describes (Slack's body, the webhook headers, the internal
state records), and the messages with their keys and examples."""

from __future__ import annotations

from typing import Any

from streams.commands.asyncapi import examples as ex

__all__ = [
    "KAFKA_BINDING",
    "HTTP_BINDING",
    "DESCRIPTION",
    "SCHEMAS",
    "TOPICS",
    "OPERATIONS",
    "GROUPS",
    "ref",
    "messages",
]

#: The versions of the Kafka and HTTP bindings the document uses.
KAFKA_BINDING = "0.5.0"
HTTP_BINDING = "0.3.0"
#: An alert id: 24 hex digits (streams.core.alerts.compose.alert_id_of).
ALERT_ID_SCHEMA = {"type": "string", "pattern": "^[0-9a-f]{24}$"}

DESCRIPTION = """\
newsstream reads raw news articles from Kafka, enriches them (entities, time expressions,
quotes, escalation events) and raises alerts; `newsstream notify` POSTs the alerts to
webhooks and `newsstream serve` shows them live.

Every value is UTF-8 JSON. Topic names are the defaults (NEWSSTREAM_TOPIC_*; the internal
topics are named after NEWSSTREAM_APP_ID). Delivery is at least once: every output carries
an id derived from its input (`article_id`, `alert_id`, also the Kafka key), so a replay
gives the same ids and a consumer can de-duplicate. Each payload's `schema` field names its
type and version (`newsstream.alert/1`); the same schemas are in streams/schemas/*.json."""


SCHEMAS: dict[str, Any] = {
    "SlackMessage": {
        "title": "SlackMessage",
        "description": "What a `slack` webhook receives: a Slack-compatible incoming-webhook "
        "body (Mattermost and Teams workflows take it too). An alert: a header with the level "
        "and title, a section with the summary and a link to the article, a context line with "
        "the reason, categories and time. A digest: a header, one line per alert, and how many "
        "more did not fit.",
        "type": "object",
        "required": ["text", "blocks"],
        "properties": {
            "text": {
                "type": "string",
                "description": "One line (the level and title; for a digest, how many alerts "
                "for which rule): the notification's text and the fallback of clients that "
                "show no blocks.",
            },
            "blocks": {
                "type": "array",
                "description": "Block Kit layout blocks (header, section, context).",
                "items": {
                    "type": "object",
                    "required": ["type"],
                    "properties": {"type": {"type": "string", "description": "The block's kind."}},
                },
            },
        },
    },
    "AlertStateRecord": {
        "title": "AlertStateRecord",
        "description": "Internal, not a contract: one entry of the alert stage's state (a "
        "story seen, under `story/<article_id>`; a spike window, under `spike/<key>`), or "
        "null when the entry is deleted (a tombstone). A restoring worker also writes a "
        "marker under `restore-marker`. Its fields may change between versions.",
        "type": ["object", "null"],
    },
    "WebhookHeaders": {
        "title": "WebhookHeaders",
        "description": "The HTTP headers of every webhook POST. The signature is sent when "
        "the webhook names a `secret_env`: a receiver recomputes the HMAC over the timestamp, "
        "a dot and the raw body, compares in constant time, and refuses a timestamp more "
        "than a few minutes old (a replay). Each attempt is signed afresh.",
        "type": "object",
        "required": ["Content-Type", "X-Newsstream-Timestamp", "Idempotency-Key"],
        "properties": {
            "Content-Type": {"type": "string", "const": "application/json"},
            "X-Newsstream-Timestamp": {
                "type": "string",
                "pattern": "^[0-9]+$",
                "description": "When the request was made (and signed), Unix time in seconds.",
            },
            "X-Newsstream-Signature": {
                "type": "string",
                "pattern": "^sha256=[0-9a-f]{64}$",
                "description": "`sha256=` and the lowercase hex HMAC-SHA256, keyed with the "
                "webhook's secret, of `\"<X-Newsstream-Timestamp>.<body>\"` (the body's exact "
                "bytes); only when the webhook has a secret.",
            },
            "Idempotency-Key": {
                "type": "string",
                "description": "The same for every attempt and every webhook that gets one "
                "alert (its `alert_id`) or one digest (`digest-` and 32 hex digits of a SHA-256 "
                "of its alert ids in order): a receiver that has seen it can drop the repeat.",
            },
        },
    },
}


def ref(kind: str, name: str) -> dict[str, str]:
    """A reference to one of the document's components."""
    return {"$ref": f"#/components/{kind}/{name}"}


def _example(name: str, summary: str, payload: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "summary": summary, **extra, "payload": payload}


def _kafka_message(
    title: str, schema: str, key: dict[str, Any], description: str, examples: list[Any]
) -> dict[str, Any]:
    return {
        "name": schema,
        "title": title,
        "contentType": "application/json",
        "description": description,
        "payload": ref("schemas", schema),
        "bindings": {"kafka": {"key": key, "bindingVersion": KAFKA_BINDING}},
        "examples": examples,
    }


def _key(description: str, example: str, **schema: Any) -> dict[str, Any]:
    return {"type": "string", **schema, "description": description, "examples": [example]}


def messages() -> dict[str, Any]:
    """components.messages: each message once, with its Kafka key (or its HTTP headers)."""
    article_key = _key("The article's `article_id`.", ex.ARTICLE_ID)
    alert_key = _key("The alert's `alert_id`.", ex.ALERT_ID, **ALERT_ID_SCHEMA)
    posts = ex.webhook_posts()
    signed = f"signed with the secret `{ex.EXAMPLE_SECRET}`"
    unsigned = "to a webhook without a secret"
    return {
        "rawArticle": _kafka_message(
            "Raw article",
            "RawArticle",
            _key(
                "The producer's choice, read by no stage (a source or article id is usual; "
                "it may be absent); dead letters keep it.",
                ex.ARTICLE_ID,
            ),
            "An article from a producer. The value may also be a JSON string or plain UTF-8 "
            "text or HTML, read as `body`; anything unreadable goes to the dead-letter topic.",
            [
                _example(
                    "article",
                    "A wire story as a feed reader sends it",
                    ex.wire(ex.raw_article(), exclude_unset=True),
                )
            ],
        ),
        "enrichedArticle": _kafka_message(
            "Enriched article",
            "EnrichedArticle",
            article_key,
            "Every article that could be read, with its entities, time expressions, quotes, "
            "escalation assessment and near-duplicate fingerprint.",
            [_example("article", "The wire story, enriched", ex.wire(ex.enriched_article()))],
        ),
        "alert": _kafka_message(
            "Alert",
            "Alert",
            alert_key,
            "An escalation alert (an article matched a subscriber rule; once per story and "
            "level) or a spike alert (many escalating stories on one entity or country).",
            [
                _example("escalation", "An article matched two rules", posts["json"]["payload"]),
                _example("spike", "A country spiked", ex.wire(ex.spike_alert())),
            ],
        ),
        "deadLetter": _kafka_message(
            "Dead letter",
            "DeadLetter",
            _key(
                "The original message's key, unchanged (absent when it had none).", "lt-feed-5531"
            ),
            "A message that could not be processed, with its exact bytes and why: nothing "
            "is dropped silently.",
            [_example("decode-error", "A feed that is not UTF-8", ex.wire(ex.dead_letter()))],
        ),
        "undeliveredAlert": _kafka_message(
            "Undelivered alert",
            "UndeliveredAlert",
            alert_key,
            "An alert a webhook did not take after every attempt, parked with the last error "
            "so that it can be replayed.",
            [_example("parked", "A webhook kept answering 503", ex.wire(ex.undelivered_alert()))],
        ),
        "story": _kafka_message(
            "Story (internal)",
            "EnrichedArticle",
            article_key,
            "Internal: the enrich stage's articles on their way to the alert stage, which "
            "sets `duplicate_of` and publishes them on news.enriched.",
            [_example("article", "The wire story, enriched", ex.wire(ex.enriched_article()))],
        ),
        "alertStateRecord": _kafka_message(
            "Alert-stage state (internal)",
            "AlertStateRecord",
            _key("`story/<article_id>`, `spike/<key>` or `restore-marker`.", ex.state_key()),
            "Internal: the changelog of the alert stage's state, compacted; read back by a "
            "worker that takes the stage over.",
            [_example("story", "A story that alerted at level medium", ex.state_record())],
        ),
        "webhookAlert": _webhook_message(
            "Webhook alert (json)",
            "Alert",
            "The body of a `json` webhook's POST: the alert exactly as published on news.alerts.",
            [_example("alert", f"One alert, {signed}", **posts["json"])],
        ),
        "webhookDigest": _webhook_message(
            "Webhook digest (json)",
            "AlertDigest",
            "The body of a `json` webhook's POST when its rate limit's window ends with alerts "
            "held back: all of them in one message.",
            [_example("digest", f"Two alerts held back, {signed}", **posts["json-digest"])],
        ),
        "webhookSlack": _webhook_message(
            "Webhook message (slack)",
            "SlackMessage",
            "The body of a `slack` webhook's POST: an alert, or the digest of the alerts its "
            "rate limit held back, as a Slack incoming-webhook message.",
            [
                _example("alert", f"One alert, {unsigned}", **posts["slack"]),
                _example("digest", f"Two alerts held back, {unsigned}", **posts["slack-digest"]),
            ],
        ),
    }


def _webhook_message(
    title: str, schema: str, description: str, examples: list[Any]
) -> dict[str, Any]:
    headers = ref("schemas", "WebhookHeaders")
    return {
        "name": schema,
        "title": title,
        "contentType": "application/json",
        "description": description,
        "headers": headers,
        "payload": ref("schemas", schema),
        "bindings": {"http": {"headers": headers, "bindingVersion": HTTP_BINDING}},
        "examples": examples,
    }


#: channel id -> (Settings field of its topic, title, messages, description); the internal
#: topics' names come from `app_id`.
TOPICS: dict[str, tuple[str, str, tuple[str, ...], str]] = {
    "raw": (
        "topic_raw",
        "Raw articles",
        ("rawArticle",),
        "Producers write articles here (`newsstream produce`, feed readers, scrapers).",
    ),
    "enriched": (
        "topic_enriched",
        "Enriched articles",
        ("enrichedArticle",),
        "Every article that could be processed, after the alert stage has placed it in its story.",
    ),
    "alerts": (
        "topic_alerts",
        "Alerts",
        ("alert",),
        "What subscribers follow: `newsstream alerts`, `newsstream notify`, `newsstream serve`.",
    ),
    "deadLetters": (
        "topic_deadletter",
        "Dead letters",
        ("deadLetter",),
        "Messages that could not be processed: undecodable, invalid, too large, failed.",
    ),
    "undelivered": (
        "topic_undelivered",
        "Undelivered alerts",
        ("undeliveredAlert",),
        "Alerts `newsstream notify` could not deliver to a webhook after every attempt.",
    ),
    "stories": (
        "stories_topic",
        "Stories (internal)",
        ("story",),
        "Internal, one partition: the enrich stage hands its articles to the alert stage, "
        "so that near-duplicates from every partition meet in one place.",
    ),
    "alertState": (
        "state_topic",
        "Alert-stage state (internal)",
        ("alertStateRecord",),
        "Internal, one partition, compacted: the alert stage's stories and spike windows.",
    ),
}


#: operation id -> (role, action, channel, messages, summary).
OPERATIONS: dict[str, tuple[str, str, str, tuple[str, ...], str]] = {
    "produceRawArticles": (
        "cli",
        "send",
        "raw",
        ("rawArticle",),
        "`newsstream produce` publishes JSONL, text and HTML files as raw articles.",
    ),
    "enrichRawArticles": (
        "worker",
        "receive",
        "raw",
        ("rawArticle",),
        "The worker's enrich stage reads every raw article.",
    ),
    "handOverStories": (
        "worker",
        "send",
        "stories",
        ("story",),
        "The enrich stage hands each enriched article to the alert stage.",
    ),
    "placeStories": (
        "worker",
        "receive",
        "stories",
        ("story",),
        "The alert stage reads the enriched articles: near-duplicates, rules, spikes.",
    ),
    "sendEnrichedArticles": (
        "worker",
        "send",
        "enriched",
        ("enrichedArticle",),
        "The alert stage publishes every article, with the story it belongs to.",
    ),
    "sendAlerts": (
        "worker",
        "send",
        "alerts",
        ("alert",),
        "The alert stage publishes escalation and spike alerts.",
    ),
    "sendRuleTopicAlerts": (
        "worker",
        "send",
        "ruleTopic",
        ("alert",),
        "The alert stage also publishes an alert on the topic of each rule it matched.",
    ),
    "sendDeadLetters": (
        "worker",
        "send",
        "deadLetters",
        ("deadLetter",),
        "Both stages dead-letter what they cannot process, under the original key.",
    ),
    "storeAlertState": (
        "worker",
        "send",
        "alertState",
        ("alertStateRecord",),
        "The alert stage stores its state changes with the outputs they produced.",
    ),
    "restoreAlertState": (
        "worker",
        "receive",
        "alertState",
        ("alertStateRecord",),
        "A worker that takes the alert stage over reads its state back first.",
    ),
    "followAlerts": (
        "cli",
        "receive",
        "alerts",
        ("alert",),
        "`newsstream alerts` follows the alerts with filters (level, category, entity).",
    ),
    "notifyAlerts": (
        "notify",
        "receive",
        "alerts",
        ("alert",),
        "`newsstream notify` reads every alert and delivers it to its rules' webhooks.",
    ),
    "postWebhooks": (
        "notify",
        "send",
        "webhook",
        ("alert", "digest", "slack"),
        "`newsstream notify` POSTs an alert (or a digest) to each webhook of its rules.",
    ),
    "parkUndeliveredAlerts": (
        "notify",
        "send",
        "undelivered",
        ("undeliveredAlert",),
        "`newsstream notify` parks an alert a webhook did not take after every attempt.",
    ),
    "serveAlerts": (
        "serve",
        "receive",
        "alerts",
        ("alert",),
        "`newsstream serve` reads the recent and new alerts for its live page, SSE stream "
        "and JSON API.",
    ),
    "serveEnrichedArticles": (
        "serve",
        "receive",
        "enriched",
        ("enrichedArticle",),
        "`newsstream serve` reads the enriched articles to group its alerts into stories.",
    ),
}


#: operation id -> the Settings field naming its consumer group (the others read without one).
GROUPS = {
    "enrichRawArticles": "app_id",
    "placeStories": "app_id",
    "notifyAlerts": "notify_group",
}
