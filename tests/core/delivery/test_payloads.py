"""Payloads: the json body is the alert as published; Slack messages and digests fit."""

from __future__ import annotations

import orjson

from streams.core.delivery.payloads import (
    SLACK_MAX_BLOCKS,
    digest_key,
    digest_payload,
    single_payload,
)
from streams.models import AlertDigest
from streams.runtime.records import alert_records
from tests.support.webhooks import make_alert


def test_payloads_json_body_is_byte_identical_to_the_published_alert() -> None:
    alert = make_alert(1, title="Ünïcode & <tags>")
    published = alert_records(alert, [], alert.article_id, "news.alerts")[0][2]
    payload = single_payload(alert, "json")
    assert payload.body == published
    assert payload.key == alert.alert_id and payload.alerts == (alert,)


def test_payloads_slack_message_has_text_fallback_and_escaped_blocks() -> None:
    alert = make_alert(2, title="A <b>&</b> B", summary="x < y & z")
    message = orjson.loads(single_payload(alert, "slack").body)
    assert message["text"] == "HIGH: A <b>&</b> B"
    header, section, context = message["blocks"]
    assert header["type"] == "header" and len(header["text"]["text"]) <= 150
    assert section["text"]["text"].startswith("x &lt; y &amp; z")
    assert "<https://example.org/a/2|wire>" in section["text"]["text"]
    assert "military" in context["elements"][0]["text"]


def test_payloads_slack_link_is_left_out_for_a_url_that_would_break_it() -> None:
    alert = make_alert(3, url="javascript:alert(1)", source=None)
    section = orjson.loads(single_payload(alert, "slack").body)["blocks"][1]
    assert "javascript" not in section["text"]["text"]


def test_payloads_json_digest_is_an_alert_digest_in_order() -> None:
    alerts = [make_alert(i) for i in range(4)]
    payload = digest_payload("desk", alerts, 60.0, "json")
    digest = AlertDigest.model_validate_json(payload.body)
    assert digest.count == 4 and digest.rule == "desk" and digest.window_s == 60.0
    assert [a.alert_id for a in digest.alerts] == [a.alert_id for a in alerts]
    assert payload.key == digest_key(alerts) and payload.key.startswith("digest-")
    assert digest_key(alerts) != digest_key(alerts[:3])


def test_payloads_slack_digest_lists_alerts_within_slack_limits() -> None:
    alerts = [make_alert(i, title="t" * 900) for i in range(400)]
    message = orjson.loads(digest_payload("desk", alerts, 60.0, "slack").body)
    assert message["text"].startswith("400 alerts for desk")
    blocks = message["blocks"]
    assert len(blocks) <= SLACK_MAX_BLOCKS
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    assert blocks[-1]["type"] == "context" and "more" in blocks[-1]["elements"][0]["text"]


def test_payloads_small_slack_digest_lists_every_alert() -> None:
    alerts = [make_alert(i) for i in range(5)]
    message = orjson.loads(digest_payload("desk", alerts, 60.0, "slack").body)
    text = "\n".join(b["text"]["text"] for b in message["blocks"] if b["type"] == "section")
    assert all(f"({i})" in text for i in range(5))
