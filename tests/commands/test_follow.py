"""The commands that follow a topic: `alerts` options and text, `tail` records, broker watch."""

from __future__ import annotations

import asyncio
import logging

import orjson
import pytest
from aiokafka.structs import ConsumerRecord

from streams.commands.alerts import format_alert, level_warning
from streams.commands.follow import BrokerWatch
from streams.commands.parser import build_parser
from streams.commands.tail import format_record, json_line
from streams.core.pipeline import MessageContext, dead_letter
from streams.errors import BrokerUnavailableError, DecodeError
from streams.models import Alert
from streams.settings import Settings

SETTINGS = Settings(broker="127.0.0.1:1", metrics_port=0, alert_min_level="medium")

ALERT = Alert(
    alert_id="a" * 24,
    kind="escalation",
    level="high",
    title="Troops cross the border",
    summary="Troops crossed the border at dawn.",
    article_id="art-1",
    entities=["Moldova"],
    categories=["military"],
    actions=["MOBILIZE"],
    published_at="2026-03-02T11:55:00+00:00",
    source="wire",
    url="https://example.org/a",
    created_at="2026-03-02T12:00:00.000Z",
    reason="rule default: level high",
)


def _record(value: bytes | None, topic: str = "news.deadletter") -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(
        topic=topic,
        partition=0,
        offset=7,
        timestamp=1_772_452_800_000,
        timestamp_type=0,
        key=b"k-1",
        value=value,
        checksum=None,
        serialized_key_size=3,
        serialized_value_size=len(value or b""),
        headers=(),
    )


def test_follow_alerts_unknown_category_is_an_error_listing_the_valid_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["alerts", "--category", "militray"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "militray" in err and "military" in err and "nuclear" in err


def test_follow_alerts_and_tail_take_topic_and_max_wait() -> None:
    args = build_parser().parse_args(["alerts", "--topic", "alerts.baltic", "--max-wait", "5"])
    assert (args.topic, args.max_wait) == ("alerts.baltic", 5.0)
    args = build_parser().parse_args(["tail", "news.deadletter", "--json", "--max", "3"])
    assert (args.topic, args.json, args.max, args.from_beginning) == (
        "news.deadletter",
        True,
        3,
        False,
    )


@pytest.mark.parametrize(
    ("level", "warned"), [("low", True), ("medium", False), ("high", False), ("none", False)]
)
def test_follow_alerts_warns_when_the_level_is_below_the_workers(level: str, warned: bool) -> None:
    warning = level_warning(level, SETTINGS)  # type: ignore[arg-type]
    assert (warning is not None) == warned
    if warning:
        assert "medium" in warning and "NEWSSTREAM_ALERT_MIN_LEVEL" in warning
        assert "\n" not in warning


def test_follow_alert_text_has_time_source_and_url() -> None:
    text = format_alert(ALERT, colour=False)
    assert "2026-03-02T11:55:00+00:00" in text and "2026-03-02T12:00:00.000Z" in text
    assert "wire" in text and "https://example.org/a" in text


def test_follow_tail_decodes_a_dead_letter() -> None:
    ctx = MessageContext(key=b"k-1", topic="news.raw", partition=2, offset=41)
    letter = dead_letter(b'{"id": "x", "body": "broken', ctx, DecodeError("not UTF-8"))
    text = format_record(_record(letter.model_dump_json(by_alias=True).encode()))
    lines = text.splitlines()
    assert lines[0].startswith("news.deadletter[0]@7  key k-1  2026-03-02T12:00:00Z")
    assert "decode_error: not UTF-8" in text
    assert "news.raw[2]@41" in text
    assert '{"id": "x", "body": "broken' in text
    assert 3 <= len(lines) <= 6


def test_follow_tail_shows_alerts_articles_and_anything_else() -> None:
    alert = format_record(_record(ALERT.model_dump_json(by_alias=True).encode(), "news.alerts"))
    assert "[HIGH] Troops cross the border" in alert
    assert "plain text here" in format_record(_record(b"plain text here", "other"))
    assert format_record(_record(None)).endswith("(tombstone)")


def test_follow_tail_json_is_one_parseable_line_per_record() -> None:
    assert orjson.loads(json_line(_record(b'{"a": 1,\n "b": 2}'))) == {"a": 1, "b": 2}
    assert orjson.loads(json_line(_record(b"not json"))) == "not json"
    assert json_line(_record(None)) == "null"


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_follow_broker_watch_reports_each_state_change_once() -> None:
    lines: list[str] = []
    clock = _Clock()
    answers = [False, True]

    async def probe() -> bool:
        return answers.pop(0)

    watch = BrokerWatch("127.0.0.1:1", probe, status=lines.append, clock=clock)
    log = logging.getLogger("aiokafka.client")

    async def scenario() -> None:
        with watch.installed():
            await watch.check(True)
            for _ in range(1000):  # the broker is gone: aiokafka fails again and again
                log.error("Unable connect to node with id 1: [Errno 111] refused")
                clock.now += 0.5
                await watch.check(False)
            for _ in range(40):  # quiet: the watch probes with a back-off until it answers
                clock.now += 0.5
                await watch.check(False)

    asyncio.run(scenario())
    assert lines == [
        "lost the connection to the broker at 127.0.0.1:1; retrying",
        "reconnected to the broker at 127.0.0.1:1",
    ]
    assert answers == []  # probed twice: once refused, then again after the back-off


def test_follow_broker_watch_gives_up_after_max_wait() -> None:
    clock = _Clock()

    async def probe() -> bool:
        return False

    watch = BrokerWatch("127.0.0.1:1", probe, max_wait=10, status=lambda _: None, clock=clock)

    async def scenario() -> None:
        with watch.installed():
            for _ in range(100):
                logging.getLogger("aiokafka").error("Unable connect to node with id 1")
                clock.now += 1
                await watch.check(False)

    with pytest.raises(BrokerUnavailableError, match=r"for 10 s \(--max-wait\)"):
        asyncio.run(scenario())
