"""A rate limit per destination: at most `count` messages per window; alerts beyond are held
and leave together, as one digest, when the window ends. Driven by an injected clock, so the
windows are tested without waiting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["RateLimiter"]

T = TypeVar("T")


class RateLimiter(Generic[T]):
    """Fixed windows that start with the first message after a quiet spell.

    `offer` says whether an item may go now; if not, it is held. Once the window has ended,
    `release` hands over everything held (for one digest), and the digest counts as the
    first message of a new window.
    """

    def __init__(self, count: int, per_s: float, clock: Callable[[], float]) -> None:
        self.count = count
        self.per_s = per_s
        self._clock = clock
        self._start: float | None = None
        self._sent = 0
        self._held: list[T] = []

    @property
    def held(self) -> int:
        """How many items wait for the digest."""
        return len(self._held)

    def _roll(self, now: float) -> None:
        if self._start is None or now >= self._start + self.per_s:
            self._start, self._sent = now, 0

    def offer(self, item: T) -> bool:
        """True: send `item` now (it is counted). False: it is held for the digest (always,
        while others are held, so the digest keeps arrival order)."""
        if self._held:
            self._held.append(item)
            return False
        self._roll(self._clock())
        if self._sent < self.count:
            self._sent += 1
            return True
        self._held.append(item)
        return False

    def due_at(self) -> float | None:
        """When the held items may leave (the window's end); None when none are held."""
        if not self._held or self._start is None:
            return None
        return self._start + self.per_s

    def release(self) -> list[T]:
        """The held items, oldest first, once their window has ended (else []); the digest
        that carries them opens a new window as its first message."""
        due = self.due_at()
        now = self._clock()
        if due is None or now < due:
            return []
        held, self._held = self._held, []
        self._start, self._sent = now, 1
        return held
