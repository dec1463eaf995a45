"""What a webhook receives: the alert as published (`json`), or a Slack-compatible message
(`slack`: a `text` fallback and `blocks`, which Mattermost and Teams workflows also take);
and, past a rate limit, one digest of the alerts held back."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import orjson

from streams.core.fit import to_json
from streams.models import Alert, AlertDigest, WebhookFormat

__all__ = [
    "Payload",
    "single_payload",
    "digest_payload",
    "digest_key",
    "slack_message",
    "slack_digest",
]

#: Slack's limits: a header block's text, a section's text, blocks per message.
SLACK_HEADER_CHARS = 150
SLACK_SECTION_CHARS = 3000
SLACK_MAX_BLOCKS = 50


@dataclass(frozen=True)
class Payload:
    """One POST body, its Idempotency-Key, and the alerts it delivers."""

    body: bytes
    key: str
    alerts: tuple[Alert, ...]


def digest_key(alerts: Sequence[Alert]) -> str:
    """A digest's Idempotency-Key: `digest-` and 32 hex digits of a SHA-256 of its alert ids
    in order, so the same digest sent again carries the same key."""
    joined = "\n".join(alert.alert_id for alert in alerts).encode("utf-8")
    return "digest-" + hashlib.sha256(joined).hexdigest()[:32]


def _escape(text: str) -> str:
    """Text for Slack mrkdwn: its three control characters escaped, as Slack asks."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(alert: Alert) -> str:
    """`<url|source>` for an http(s) article URL; the source alone (or nothing) otherwise."""
    label = _escape(alert.source or "article")
    url = alert.url or ""
    if url.startswith(("http://", "https://")) and not any(c in url for c in "|<> "):
        return f"<{url}|{label}>"
    return label if alert.source else ""


def _headline(alert: Alert) -> str:
    return f"{alert.level.upper()}: {alert.title or alert.summary[:120]}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_message(alert: Alert) -> dict[str, object]:
    """One alert as an incoming-webhook message: headline, summary and link, then why."""
    body = _escape(alert.summary)
    link = _link(alert)
    if link:
        body += f"\n{link}"
    why = [_escape(alert.reason)]
    if alert.categories:
        why.append(", ".join(alert.categories))
    why.append(alert.created_at)
    return {
        "text": _headline(alert),
        "blocks": [
            {
                "type": "header",
                "text": {"type": "plain_text", "text": _cut(_headline(alert), SLACK_HEADER_CHARS)},
            },
            {"type": "section", "text": {"type": "mrkdwn", "text": _cut(body, 2900)}},
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": _cut(" · ".join(why), 2900)}],
            },
        ],
    }


def slack_digest(rule: str, alerts: Sequence[Alert], window_s: float) -> dict[str, object]:
    """Alerts held back by a rate limit as one message: a line each, packed into as few
    sections as Slack's limits allow; what does not fit is counted at the end."""
    title = f"{len(alerts)} alerts for {rule} (rate limit, {window_s:g} s window)"
    blocks: list[dict[str, object]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(title, SLACK_HEADER_CHARS)}}
    ]
    lines: list[str] = []
    shown = 0
    for alert in alerts:
        link = _link(alert)
        line = f"*{alert.level.upper()}* {_escape(alert.title or alert.summary[:120])}"
        line = _cut(line + (f" {link}" if link else ""), 1000)
        if sum(len(x) + 1 for x in lines) + len(line) > SLACK_SECTION_CHARS - 100:
            if len(blocks) >= SLACK_MAX_BLOCKS - 2:
                break
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
            lines = []
        lines.append(line)
        shown += 1
    if lines:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
    if shown < len(alerts):
        more = f"and {len(alerts) - shown} more"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": more}]})
    return {"text": title, "blocks": blocks}


def single_payload(alert: Alert, fmt: WebhookFormat) -> Payload:
    """One alert's POST. The `json` body is the alert exactly as the worker published it
    (streams.runtime.records serialises it with the same `to_json`); the key its alert_id,
    the same for every webhook, so a receiver behind several gets it once."""
    body = to_json(alert) if fmt == "json" else orjson.dumps(slack_message(alert))
    return Payload(body, alert.alert_id, (alert,))


def digest_payload(
    rule: str, alerts: Sequence[Alert], window_s: float, fmt: WebhookFormat
) -> Payload:
    """The digest of alerts held back by a rate limit: an AlertDigest (`json`) or one
    Slack message listing them."""
    if fmt == "json":
        digest = AlertDigest(rule=rule, count=len(alerts), window_s=window_s, alerts=list(alerts))
        body = to_json(digest)
    else:
        body = orjson.dumps(slack_digest(rule, alerts, window_s))
    return Payload(body, digest_key(alerts), tuple(alerts))
