"""Publishing without a broker: the retry back-off, the in-memory publisher, and what the Kafka
publisher does, over a stand-in producer, with records refused for good or during an outage."""

from __future__ import annotations

import asyncio
import base64
import itertools
import logging
from typing import Any

import orjson
import pytest
from aiokafka.errors import (
    BrokerNotAvailableError,
    InvalidTopicError,
    KafkaConnectionError,
    KafkaTimeoutError,
    MessageSizeTooLargeError,
    NotLeaderForPartitionError,
    OutOfOrderSequenceNumber,
    RecordListTooLargeError,
    RequestTimedOutError,
    TopicAuthorizationFailedError,
)
from prometheus_client import REGISTRY

from streams.core.fit import to_json
from streams.core.pipeline import MessageContext, dead_letter
from streams.errors import DecodeError
from streams.runtime import publish
from streams.runtime.publish import (
    KafkaPublisher,
    MemoryPublisher,
    backoff_delays,
    refusal_letter,
    refused_for_good,
)
from streams.runtime.records import dead_letter_record
from streams.settings import Settings


def test_publish_backoff_doubles_up_to_the_cap() -> None:
    assert list(itertools.islice(backoff_delays(0.5, 5.0), 6)) == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]


async def test_publish_memory_publisher_keeps_order_and_tombstones() -> None:
    published = MemoryPublisher()
    await published.publish_many([("a", b"1", b"x"), ("b", b"2", b"y"), ("a", b"3", None)])
    assert published.on("a") == [(b"1", b"x"), (b"3", None)]


SETTINGS = Settings(broker="127.0.0.1:1", metrics_port=0, max_output_bytes=100_000)
DEAD = SETTINGS.topic_deadletter


class _Broker:
    """A producer that stores records the way a broker with these rules would.

    Values over `limit` bytes are refused as too large (on `refuse_topics` everything is
    refused with `refusal`); the first `outages` sends fail with a timeout, as in an outage.
    """

    def __init__(
        self,
        limit: int = 120_000,
        refuse_topics: tuple[str, ...] = (),
        refusal: type[Exception] = InvalidTopicError,
        outages: int = 0,
    ) -> None:
        self.limit = limit
        self.refuse_topics = refuse_topics
        self.refusal = refusal
        self.outages = outages
        self.stored: list[tuple[str, bytes | None, bytes | None]] = []
        self.sends = 0

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, topic: str, value: bytes | None, key: bytes | None = None) -> Any:
        self.sends += 1
        if value is not None and len(value) > 10 * self.limit:  # over max_request_size
            raise MessageSizeTooLargeError("over the request size")
        ack: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.outages:
            self.outages -= 1
            ack.set_exception(KafkaTimeoutError())
        elif topic in self.refuse_topics:
            ack.set_exception(self.refusal())
        elif value is not None and len(value) > self.limit:
            ack.set_exception(MessageSizeTooLargeError())
        else:
            self.stored.append((topic, key, value))
            ack.set_result(None)
        return ack


def _publisher(monkeypatch: pytest.MonkeyPatch, broker: _Broker) -> KafkaPublisher:
    monkeypatch.setattr(publish, "AIOKafkaProducer", lambda **_: broker)
    monkeypatch.setattr(publish, "PUBLISH_BACKOFF_S", 0.0)
    return KafkaPublisher(SETTINGS)


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.parametrize(
    "error",
    [
        MessageSizeTooLargeError(),
        RecordListTooLargeError(),
        InvalidTopicError(),
        TopicAuthorizationFailedError(),
    ],
)
def test_publish_refused_for_good_when_the_record_can_never_be_stored(error: Exception) -> None:
    assert refused_for_good(error)


@pytest.mark.parametrize(
    "error",
    [
        KafkaTimeoutError(),  # not flagged retriable by aiokafka, yet what an outage gives
        BrokerNotAvailableError(),
        KafkaConnectionError(),
        NotLeaderForPartitionError(),
        RequestTimedOutError(),
        OSError("connection refused"),
    ],
)
def test_publish_outage_errors_are_retried(error: Exception) -> None:
    assert not refused_for_good(error)


def test_publish_refusal_letter_carries_an_excerpt_of_the_output_under_its_key() -> None:
    value = b'{"schema":"newsstream.enriched/1"' + b" " * 300_000 + b"}"
    record = refusal_letter(
        ("news.enriched", b"a1", value), MessageSizeTooLargeError(), DEAD, 100_000
    )
    assert record is not None
    topic, key, letter_json = record
    assert (topic, key) == (DEAD, b"a1")
    assert letter_json is not None and len(letter_json) <= 100_000
    letter = orjson.loads(letter_json)
    assert letter["error"]["type"] == "too_large"
    assert "news.enriched" in letter["error"]["message"]
    assert letter["payload_excerpt"] is True
    assert letter["payload_size"] == len(value)
    assert value.startswith(base64.b64decode(letter["payload_b64"]))


def test_publish_refusal_letter_names_other_refusals_and_skips_tombstones() -> None:
    record = refusal_letter(("bad topic", b"k", b"v"), InvalidTopicError(), DEAD, 100_000)
    assert record is not None and record[2] is not None
    assert orjson.loads(record[2])["error"]["type"] == "publish_refused"
    assert refusal_letter(("state", b"k", None), InvalidTopicError(), DEAD, 100_000) is None


async def test_publish_a_too_large_output_is_dead_lettered_and_the_rest_stored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broker = _Broker()
    publisher = _publisher(monkeypatch, broker)
    before = _sample("newsstream_dead_letters_total", error_type="too_large")
    big = b"x" * 150_000
    huge = b"y" * 1_500_000  # refused by the producer itself, before any request
    await publisher.publish_many(
        [("news.enriched", b"a", b"small"), ("news.enriched", b"b", big), ("x", b"c", huge)]
    )
    assert ("news.enriched", b"a", b"small") in broker.stored
    letters = {k: orjson.loads(v or b"") for t, k, v in broker.stored if t == DEAD}
    assert set(letters) == {b"b", b"c"}
    assert [letters[k]["payload_size"] for k in (b"b", b"c")] == [len(big), len(huge)]
    assert letters[b"c"]["error"]["message"].startswith("x refused the output")
    assert all(letter["payload_excerpt"] for letter in letters.values())
    assert _sample("newsstream_dead_letters_total", error_type="too_large") == before + 2


async def test_publish_a_refused_dead_letter_is_dropped_with_an_error_not_retried(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    broker = _Broker(refuse_topics=(DEAD, "rule topic"), refusal=TopicAuthorizationFailedError)
    publisher = _publisher(monkeypatch, broker)
    before = _sample("newsstream_dead_letters_total", error_type="decode_error")
    ctx = MessageContext(key=b"k", topic="news.raw", partition=3, offset=77)
    letter = dead_letter(b"\xff", ctx, DecodeError("not UTF-8"))
    with caplog.at_level(logging.ERROR, logger="streams.runtime.publish"):
        await publisher.publish_many(
            [dead_letter_record(letter, b"k", DEAD), ("rule topic", b"r", b"alert")]
        )
    assert broker.stored == []
    assert broker.sends == 3  # the letter, the alert, and the alert's letter: each once
    dropped = [r for r in caplog.records if r.getMessage().startswith("dropped")]
    assert len(dropped) == 2
    assert (dropped[0].topic, dropped[0].partition, dropped[0].offset) == ("news.raw", 3, 77)  # type: ignore[attr-defined]
    assert _sample("newsstream_dead_letters_total", error_type="decode_error") == before


async def test_publish_an_outage_is_retried_until_stored_and_counted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broker = _Broker(outages=3)
    publisher = _publisher(monkeypatch, broker)
    labels = {"topic": "news.enriched", "error": "KafkaTimeoutError"}
    before = _sample("newsstream_publish_retries_total", **labels)
    await publisher.publish_many([("news.enriched", b"a", b"one"), ("news.enriched", b"b", b"two")])
    assert sorted(broker.stored) == [
        ("news.enriched", b"a", b"one"),
        ("news.enriched", b"b", b"two"),
    ]
    assert _sample("newsstream_publish_retries_total", **labels) == before + 3


async def test_publish_dead_letters_are_counted_when_stored_not_when_built() -> None:
    before = _sample("newsstream_dead_letters_total", error_type="decode_error")
    letter = dead_letter(b"\xff", MessageContext(), DecodeError("not UTF-8"))
    record = dead_letter_record(letter, None, DEAD)
    assert _sample("newsstream_dead_letters_total", error_type="decode_error") == before
    published = MemoryPublisher()
    await published.publish_many([record, ("news.enriched", b"a", to_json(letter)[:5])])
    assert _sample("newsstream_dead_letters_total", error_type="decode_error") == before + 1


async def test_publish_a_producer_out_of_sequence_is_replaced_and_the_records_sent_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stale = _Broker()
    fresh = _Broker()
    producers = iter([stale, fresh])
    monkeypatch.setattr(publish, "AIOKafkaProducer", lambda **_: next(producers))
    monkeypatch.setattr(publish, "PUBLISH_BACKOFF_S", 0.0)

    async def out_of_sequence(topic: str, value: bytes | None, key: bytes | None = None) -> Any:
        # what an idempotent producer answers for ever once its sequence state is stale
        ack: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        ack.set_exception(OutOfOrderSequenceNumber())
        return ack

    monkeypatch.setattr(stale, "send", out_of_sequence)
    await KafkaPublisher(SETTINGS).publish_many([("news.enriched", b"a", b"one")])
    assert fresh.stored == [("news.enriched", b"a", b"one")]
