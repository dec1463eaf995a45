"""Which offsets may be committed: per partition, the end of the longest run of finished
records from the oldest one in flight. Records finish out of order (a slow webhook, a
retry); committing past an unfinished one would lose it at the next restart."""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

__all__ = ["Token", "OffsetTracker"]

P = TypeVar("P", bound=Hashable)


@dataclass(frozen=True)
class Token(Generic[P]):
    """A record in flight: its partition, offset, and the partition's epoch when it was
    taken (a revoked and reassigned partition starts a new epoch)."""

    partition: P
    offset: int
    epoch: int


@dataclass
class _Partition:
    epoch: int
    in_flight: deque[int] = field(default_factory=deque)  # offsets taken, in order
    finished: set[int] = field(default_factory=set)
    done_up_to: int | None = None  # next offset to commit, once advanced
    committed: int | None = None


class OffsetTracker(Generic[P]):
    """Offsets taken and finished per partition, and the positions safe to commit."""

    def __init__(self) -> None:
        self._parts: dict[P, _Partition] = {}
        self._epochs: dict[P, int] = {}

    def take(self, partition: P, offset: int) -> Token[P]:
        """Record that `offset` is in flight (offsets of a partition come in order)."""
        part = self._parts.get(partition)
        if part is None:
            part = self._parts[partition] = _Partition(self._epochs.get(partition, 0))
        part.in_flight.append(offset)
        return Token(partition, offset, part.epoch)

    def finish(self, token: Token[P]) -> None:
        """The record is done (delivered everywhere, or parked); a token of a partition
        forgotten since is ignored."""
        part = self._parts.get(token.partition)
        if part is None or part.epoch != token.epoch:
            return
        part.finished.add(token.offset)
        while part.in_flight and part.in_flight[0] in part.finished:
            offset = part.in_flight.popleft()
            part.finished.discard(offset)
            part.done_up_to = offset + 1

    def current(self, token: Token[P]) -> bool:
        """False once the token's partition was forgotten (revoked): its record now belongs to
        another consumer, and work not yet started on it is better dropped than duplicated."""
        part = self._parts.get(token.partition)
        return part is not None and part.epoch == token.epoch

    @property
    def pending(self) -> int:
        """Records in flight across every partition."""
        return sum(len(p.in_flight) for p in self._parts.values())

    def committable(self) -> dict[P, int]:
        """Per partition that advanced since `committed` was last told, the offset to commit
        (the next one to read)."""
        return {
            tp: p.done_up_to
            for tp, p in self._parts.items()
            if p.done_up_to is not None and p.done_up_to != p.committed
        }

    def committed(self, positions: dict[P, int]) -> None:
        """The broker stored these positions."""
        for tp, offset in positions.items():
            part = self._parts.get(tp)
            if part is not None:
                part.committed = offset

    def forget(self, partition: P) -> None:
        """The partition was revoked: drop its state; tokens taken before are now ignored."""
        part = self._parts.pop(partition, None)
        self._epochs[partition] = (part.epoch if part else self._epochs.get(partition, 0)) + 1
