"""The stream bench's own arithmetic: when a worker group has settled, where missing outputs
went, the CPU time of a process, and the core's speed against spaCy's."""

from __future__ import annotations

import os

from streams.commands.bench import versus_spacy
from streams.commands.bench_stream import cpu_seconds, missing_report, settled


def _line(assigned: str) -> str:
    return '{"level":"INFO","msg":"partitions assigned: ' + assigned + '"}\n'


def test_bench_stream_one_worker_settles_once_it_holds_every_partition() -> None:
    assert settled([_line("news.raw:0,1,2,3 x-stories:0")], "news.raw", 4)
    assert not settled([_line("news.raw:0,1")], "news.raw", 4)
    assert not settled(["worker starting\n"], "news.raw", 4)


def test_bench_stream_two_workers_settle_on_their_latest_split() -> None:
    first = _line("news.raw:0,1,2,3") + _line("news.raw:0,1 x-stories:0")
    second = _line("news.raw:2,3")
    assert settled([first, second], "news.raw", 4)
    # the second has joined but the first still holds everything: not yet
    assert not settled([_line("news.raw:0,1,2,3"), second], "news.raw", 4)
    # a worker with nothing of the topic (more workers than partitions) has not settled
    assert not settled([_line("news.raw:0,1,2,3"), _line("x-stories:0")], "news.raw", 4)


def test_bench_stream_missing_outputs_are_told_apart() -> None:
    report = missing_report({"a", "b", "c", "d"}, on_topic={"a", "z"}, dead_lettered={"b", "a"})
    assert report == {
        "missing": 4,
        "missing_unread": 1,
        "missing_dead_lettered": 1,
        "missing_lost": 2,
        "missing_sample": ["a", "b", "c", "d"],
    }
    assert missing_report(set(), set(), set())["missing"] == 0


def test_bench_stream_cpu_seconds_grow_with_work() -> None:
    before = cpu_seconds(os.getpid())
    total = 0
    while cpu_seconds(os.getpid()) - before < 0.02:
        total += sum(range(10_000))
    assert total > 0
    assert cpu_seconds(None) == 0.0 and cpu_seconds(2**22 + 12345) == 0.0


def test_bench_core_speed_ratio_to_spacy_or_why_not() -> None:
    assert "not measured" in versus_spacy(100.0, [])["spacy"]
    figures = versus_spacy(100.0, [0.02] * 10)  # spaCy at 50 articles/s
    assert figures["spacy_articles_per_s"] == 50.0
    assert figures["speed_ratio_to_spacy"] == 2.0 and figures["spacy_p50_ms"] == 20.0
