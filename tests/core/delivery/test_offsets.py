"""Offsets: commit only past the run of finished records, whatever order they finish in."""

from __future__ import annotations

from streams.core.delivery.offsets import OffsetTracker


def test_offsets_out_of_order_finishes_commit_the_contiguous_run() -> None:
    tracker: OffsetTracker[str] = OffsetTracker()
    tokens = [tracker.take("p0", offset) for offset in range(5)]
    tracker.finish(tokens[1])
    tracker.finish(tokens[2])
    assert tracker.committable() == {}
    tracker.finish(tokens[0])
    assert tracker.committable() == {"p0": 3}
    tracker.finish(tokens[4])
    assert tracker.committable() == {"p0": 3}
    assert tracker.pending == 2
    tracker.finish(tokens[3])
    assert tracker.committable() == {"p0": 5} and tracker.pending == 0


def test_offsets_partitions_are_independent() -> None:
    tracker: OffsetTracker[str] = OffsetTracker()
    a, b = tracker.take("p0", 10), tracker.take("p1", 7)
    tracker.take("p0", 11)
    tracker.finish(b)
    tracker.finish(a)
    assert tracker.committable() == {"p0": 11, "p1": 8}


def test_offsets_gaps_in_offsets_do_not_block() -> None:
    tracker: OffsetTracker[str] = OffsetTracker()
    tokens = [tracker.take("p0", offset) for offset in (3, 7, 8)]  # compaction left gaps
    for token in tokens:
        tracker.finish(token)
    assert tracker.committable() == {"p0": 9}


def test_offsets_committed_positions_are_not_offered_again() -> None:
    tracker: OffsetTracker[str] = OffsetTracker()
    tracker.finish(tracker.take("p0", 0))
    tracker.committed(tracker.committable())
    assert tracker.committable() == {}
    tracker.finish(tracker.take("p0", 1))
    assert tracker.committable() == {"p0": 2}


def test_offsets_a_forgotten_partition_ignores_its_old_tokens() -> None:
    tracker: OffsetTracker[str] = OffsetTracker()
    old = tracker.take("p0", 0)
    tracker.forget("p0")
    again = tracker.take("p0", 0)  # reassigned: read again from the committed position
    tracker.finish(old)
    assert tracker.committable() == {} and tracker.pending == 1
    tracker.finish(again)
    assert tracker.committable() == {"p0": 1}


def test_offsets_current_until_the_partition_is_forgotten() -> None:
    tracker: OffsetTracker[str] = OffsetTracker()
    token = tracker.take("p0", 0)
    assert tracker.current(token)
    tracker.forget("p0")
    assert not tracker.current(token)
    assert tracker.current(tracker.take("p0", 0))
