"""The enrichment core in child processes: the same records as in place, and a child that
dies costs at most the message that killed it."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from streams.core.pipeline import CoreOptions, MessageContext
from streams.runtime.core_pool import CorePool
from streams.settings import Settings
from tests.support.articles import CALM_SPORT, CLEAN_ESCALATION, as_bytes
from tests.support.poison import POISON, PoisonJob

SETTINGS = Settings(broker="127.0.0.1:1", metrics_port=0)
MESSAGES = [as_bytes(CLEAN_ESCALATION), b"\xff\xfe not json", as_bytes(CALM_SPORT)]


def _ctx(n: int) -> MessageContext:
    return MessageContext(key=f"k{n}".encode(), topic="news.raw", partition=0, offset=n)


Stable = list[tuple[str, bytes | None, Any]]


def _stable(records: list[tuple[str, bytes | None, bytes | None]]) -> Stable:
    """Records without the fields that depend on the moment of processing."""
    out: Stable = []
    for topic, key, value in records:
        data = orjson.loads(value or b"null")
        for field in ("processed_at", "received_at"):
            data.pop(field, None)
        out.append((topic, key, data))
    return out


async def _all(pool: CorePool, messages: list[bytes]) -> list[Stable]:
    pending = [pool.submit(m, _ctx(n)) for n, m in enumerate(messages)]
    return [
        _stable(await pool.records(m, _ctx(n), p))
        for n, (m, p) in enumerate(zip(messages, pending, strict=True))
    ]


@pytest.fixture
def pool() -> Iterator[CorePool]:
    pool = CorePool(SETTINGS, 1, PoisonJob(*_job_fields()))
    yield pool
    pool.close()


def _job_fields() -> tuple[CoreOptions, str, str]:
    return (SETTINGS.core_options(), SETTINGS.stories_topic, SETTINGS.topic_deadletter)


async def test_core_pool_gives_the_records_the_core_gives_in_place(pool: CorePool) -> None:
    in_place = await _all(CorePool(SETTINGS, 0), MESSAGES)
    assert await _all(pool, MESSAGES) == in_place
    assert [r[0][0] for r in in_place] == [
        SETTINGS.stories_topic,
        SETTINGS.topic_deadletter,
        SETTINGS.stories_topic,
    ]
    assert pool.depth == 4 and CorePool(SETTINGS, 0).depth == 1


async def test_core_pool_dead_letters_the_message_that_kills_its_process(pool: CorePool) -> None:
    """The messages in flight with the poison are enriched again in a new pool; the poison,
    which kills that one too, is dead-lettered as internal_error; the pool goes on."""
    messages = [MESSAGES[0], POISON, MESSAGES[2], MESSAGES[0]]
    results = await asyncio.wait_for(_all(pool, messages), timeout=120)
    expected = await _all(CorePool(SETTINGS, 0), [MESSAGES[0], MESSAGES[2]])
    assert [results[0], results[2]] == expected
    [(topic, key, letter)] = results[1]
    assert (topic, key) == (SETTINGS.topic_deadletter, b"k1")
    assert letter["error"]["type"] == "internal_error"
    assert "died" in letter["error"]["message"] and letter["offset"] == 1
    assert results[3] == expected[0]
    assert await _all(pool, [MESSAGES[2]]) == [expected[1]]  # the new pool serves on


#: A worker stand-in: starts a pool, prints its child's pid once the child runs, then waits.
_HOLDER = """
import time
from streams.runtime.core_pool import CorePool
from streams.settings import Settings
pool = CorePool(Settings(broker="127.0.0.1:1", metrics_port=0), 1)
pool.start()
pool._executor().submit(int).result(timeout=120)
print(*pool._executor()._processes, flush=True)
time.sleep(600)
"""


def test_core_pool_child_ends_when_the_worker_is_killed() -> None:
    """SIGKILL gives the worker no chance to stop its core process: the child notices."""
    holder = subprocess.Popen(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", _HOLDER], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        child = int(holder.stdout.readline())
        assert _alive(child)
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 20
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    """True while `pid` runs (a zombie, ended but not reaped, does not count)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False
