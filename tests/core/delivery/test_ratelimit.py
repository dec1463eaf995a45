"""The rate limit: a window's count goes at once, the rest leaves as one digest."""

from __future__ import annotations

from streams.core.delivery.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_ratelimit_holds_what_exceeds_the_count_until_the_window_ends() -> None:
    clock = Clock()
    limiter: RateLimiter[int] = RateLimiter(3, 60.0, clock)
    assert [limiter.offer(i) for i in range(5)] == [True, True, True, False, False]
    assert limiter.held == 2 and limiter.due_at() == 160.0
    clock.now = 159.9
    assert limiter.release() == []
    clock.now = 160.0
    assert limiter.release() == [3, 4]
    assert limiter.held == 0 and limiter.due_at() is None


def test_ratelimit_digest_counts_as_the_first_message_of_a_new_window() -> None:
    clock = Clock()
    limiter: RateLimiter[int] = RateLimiter(2, 10.0, clock)
    assert [limiter.offer(i) for i in range(3)] == [True, True, False]
    clock.now = 110.0
    assert limiter.release() == [2]
    assert [limiter.offer(i) for i in (3, 4)] == [True, False]  # digest + 3 = the count


def test_ratelimit_keeps_holding_while_a_digest_waits() -> None:
    clock = Clock()
    limiter: RateLimiter[int] = RateLimiter(1, 10.0, clock)
    assert limiter.offer(0) and not limiter.offer(1)
    clock.now = 120.0  # the window ended, but the held one leaves first, with the next
    assert not limiter.offer(2)
    assert limiter.release() == [1, 2]


def test_ratelimit_quiet_spell_starts_a_fresh_window() -> None:
    clock = Clock()
    limiter: RateLimiter[int] = RateLimiter(1, 10.0, clock)
    assert limiter.offer(0)
    clock.now = 111.0
    assert limiter.offer(1)
    assert not limiter.offer(2)
