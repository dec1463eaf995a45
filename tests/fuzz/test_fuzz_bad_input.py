"""Fuzzed bad input: every generated bad payload becomes a DeadLetter of the documented type.

About 10,000 payloads through the core and 2,000 through the enrich agent. How long the
worst payload takes is reported by `python -m benchmarks.fuzz_worst_case`, not asserted here.
"""

from __future__ import annotations

import asyncio
import base64

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.core.pipeline import CoreOptions, enrich
from streams.errors import ERROR_TYPES
from streams.models import DeadLetter, EnrichedArticle
from streams.runtime.app import create_app
from streams.runtime.publish import MemoryPublisher
from streams.settings import Settings
from tests.support.hostile import BAD_PAYLOADS, FUZZ_MAX_BYTES, hostile_text

OPTIONS = CoreOptions(max_message_bytes=FUZZ_MAX_BYTES)
FUZZ = settings(
    max_examples=1200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


@pytest.mark.parametrize(("strategy", "error_type"), BAD_PAYLOADS, ids=[t for _, t in BAD_PAYLOADS])
def test_fuzz_core_dead_letters_every_bad_payload(
    strategy: st.SearchStrategy[bytes], error_type: str
) -> None:
    @FUZZ
    @given(strategy)
    def check(payload: bytes) -> None:
        result = enrich(payload, options=OPTIONS)
        assert isinstance(result, DeadLetter), f"not dead-lettered: {payload[:120]!r}"
        assert result.error.type == error_type, (result.error, payload[:120])
        assert result.error.message
        assert base64.b64decode(result.payload_b64) == payload

    check()


@FUZZ
@given(hostile_text())
def test_fuzz_core_survives_hostile_text(payload: bytes) -> None:
    result = enrich(payload, options=OPTIONS)
    assert isinstance(result, EnrichedArticle | DeadLetter)
    if isinstance(result, DeadLetter):
        assert result.error.type in ERROR_TYPES
        assert result.error.type != "internal_error", result.error.message


#: A bad payload of any kind, with the dead-letter type it must get.
mixed_bad = st.one_of(*(st.tuples(strategy, st.just(error)) for strategy, error in BAD_PAYLOADS))


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(mixed_bad, min_size=50, max_size=50))
def test_fuzz_agent_dead_letters_and_keeps_running(payloads: list[tuple[bytes, str]]) -> None:
    publisher = MemoryPublisher()
    news = create_app(
        Settings(
            broker="127.0.0.1:1",
            metrics_port=0,
            max_message_bytes=FUZZ_MAX_BYTES,
            core_processes=0,  # in place: 40 apps; tests/runtime/test_core_pool.py for the pool
        ),
        publisher=publisher,
    )

    async def feed() -> None:
        async with news.enrich_agent.test_context() as agent:
            for i, (payload, _) in enumerate(payloads):
                await agent.put(payload, key=str(i).encode())

    asyncio.run(feed())
    dead = publisher.on(news.settings.topic_deadletter)
    assert len(dead) == len(payloads)
    assert [key for key, _ in dead] == [str(i).encode() for i in range(len(payloads))]
    types = []
    for _, value in dead:
        assert value is not None
        types.append(orjson.loads(value)["error"]["type"])
    assert types == [t for _, t in payloads]
    assert publisher.on(news.settings.stories_topic) == []
