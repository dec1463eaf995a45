"""Following topics from the command line: the one consumer loop of `alerts` and `tail`.

The loop reads with its own group-less consumer (a viewer moves no group's offsets), says on
stderr when it follows and when the broker goes or comes back, and stops after a number of
records, a quiet spell, or (when asked) too long without the broker.

aiokafka logs every failed attempt to reach a broker that went away: tens of lines a
second, for as long as it is away. While a follow runs, those lines are taken off its
loggers; a `BrokerWatch` turns them into one line when the connection is lost and one when
it is back, probing the broker with a back-off in between. The broker client is imported
where it is used, so that building the command line does not load it.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from streams.errors import BrokerUnavailableError

if TYPE_CHECKING:
    from streams.settings import Settings

__all__ = ["BrokerWatch", "Follow", "follow", "status_line"]

#: First and longest wait between two probes of a broker that went away (doubling between).
PROBE_BACKOFF_S = 1.0
PROBE_BACKOFF_MAX_S = 30.0
#: How long one probe (a TCP connection to a bootstrap server) may take.
PROBE_TIMEOUT_S = 2.0
#: How long one poll of the consumer waits for records.
POLL_MS = 500
#: Words of aiokafka's log lines that say a broker could not be reached.
_CONNECTION_WORDS = ("unable connect", "connection", "connect to", "metadata", "failed fetch")


def status_line(text: str) -> None:
    """A state change for the person watching: one line on stderr, never on stdout (which
    may be piped into a script)."""
    print(text, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Follow:
    """What to read and when to stop."""

    topics: tuple[str, ...]
    from_beginning: bool = False
    max_records: int | None = None
    idle_timeout: float | None = None  # stop after this long without a record
    first_timeout: float | None = None  # replaces idle_timeout until the first record
    max_wait: float | None = None  # give up after this long without the broker


class BrokerWatch(logging.Handler):
    """Collects aiokafka's connection failures; reports lost and regained connections once.

    `probe` answers whether the broker accepts connections again; it is asked with a back-off
    (PROBE_BACKOFF_S doubling up to PROBE_BACKOFF_MAX_S) while the connection is lost.
    """

    def __init__(
        self,
        where: str,
        probe: Callable[[], Awaitable[bool]],
        *,
        max_wait: float | None = None,
        status: Callable[[str], None] = status_line,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(logging.DEBUG)
        self.where = where
        self.lost_since: float | None = None
        self._probe = probe
        self._max_wait = max_wait
        self._status = status
        self._clock = clock
        self._failures = 0
        self._seen = 0
        self._delay = PROBE_BACKOFF_S
        self._next_probe = 0.0

    def emit(self, record: logging.LogRecord) -> None:
        """Count a connection failure; pass any other record on to the root logger."""
        if record.levelno >= logging.WARNING and any(
            word in record.getMessage().lower() for word in _CONNECTION_WORDS
        ):
            self._failures += 1
        elif record.levelno >= logging.WARNING:
            logging.getLogger().handle(record)

    @contextmanager
    def installed(self) -> Iterator[BrokerWatch]:
        """Take aiokafka's log records while the block runs."""
        logger = logging.getLogger("aiokafka")
        propagate = logger.propagate
        logger.addHandler(self)
        logger.propagate = False
        try:
            yield self
        finally:
            logger.removeHandler(self)
            logger.propagate = propagate

    async def check(self, got_records: bool) -> None:
        """After a poll: report a change of state; BrokerUnavailableError once the broker has
        been away longer than `max_wait`."""
        now = self._clock()
        failed, self._seen = self._failures != self._seen, self._failures
        if got_records or (not failed and self.lost_since is None):
            self._regained()
            return
        if self.lost_since is None:
            self.lost_since = now
            self._delay = PROBE_BACKOFF_S
            self._next_probe = now + self._delay
            self._status(f"lost the connection to the broker at {self.where}; retrying")
        elif not failed and now >= self._next_probe:
            if await self._probe():
                self._regained()
                return
            self._delay = min(2 * self._delay, PROBE_BACKOFF_MAX_S)
            self._next_probe = now + self._delay
        if self._max_wait is not None and now - self.lost_since > self._max_wait:
            raise BrokerUnavailableError(
                f"no broker at {self.where} for {self._max_wait:g} s (--max-wait); giving up"
            )

    def _regained(self) -> None:
        if self.lost_since is not None:
            self.lost_since = None
            self._status(f"reconnected to the broker at {self.where}")


def _tcp_probe(servers: str) -> Callable[[], Awaitable[bool]]:
    """A probe that opens (and closes) a TCP connection to any bootstrap server."""

    async def probe() -> bool:
        for server in servers.split(","):
            host, _, port = server.strip().rpartition(":")
            try:
                _, writer = await asyncio.wait_for(
                    asyncio.open_connection(host.strip("[]"), int(port)), PROBE_TIMEOUT_S
                )
            except (OSError, ValueError, TimeoutError):
                continue
            writer.close()
            return True
        return False

    return probe


class _Quiet:
    """The idle limit: how long without records before the follow stops."""

    def __init__(self, how: Follow) -> None:
        self._how = how
        self._got_any = False
        self._last = time.monotonic()

    def over(self) -> bool:
        """True once the quiet spell is longer than the limit in force."""
        first = self._how.first_timeout
        limit = first if first is not None and not self._got_any else self._how.idle_timeout
        return limit is not None and time.monotonic() - self._last > limit

    def reset(self) -> None:
        """A record came."""
        self._got_any = True
        self._last = time.monotonic()


async def follow(
    settings: Settings,
    how: Follow,
    on_record: Callable[[Any], bool],
    status: Callable[[str], None] = status_line,
) -> int:
    """Pass each record (an aiokafka ConsumerRecord) to `on_record`, which says whether it
    counts towards `max_records`; returns how many counted."""
    from aiokafka import AIOKafkaConsumer

    from streams.runtime.kafka import client_kwargs, describe_broker, start_client

    consumer = AIOKafkaConsumer(
        *how.topics,
        **client_kwargs(settings),
        group_id=None,
        auto_offset_reset="earliest" if how.from_beginning else "latest",
        enable_auto_commit=False,
    )
    await start_client(consumer, settings)
    where = describe_broker(settings)
    watch = BrokerWatch(
        where, _tcp_probe(settings.bootstrap_servers), max_wait=how.max_wait, status=status
    )
    start = "the beginning" if how.from_beginning else "new records"
    status(f"following {', '.join(how.topics)} at {where} from {start}")
    try:
        with watch.installed():
            return await _consume(consumer, how, on_record, watch)
    finally:
        await _stop(consumer)


async def _stop(consumer: Any) -> None:
    """Stop the consumer. aiokafka lets the cancellation of its own fetch task escape `stop`
    when the broker is gone; only a cancellation of this task itself goes on."""
    try:
        await consumer.stop()
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise


async def _consume(
    consumer: Any, how: Follow, on_record: Callable[[Any], bool], watch: BrokerWatch
) -> int:
    counted = 0
    quiet = _Quiet(how)
    while how.max_records is None or counted < how.max_records:
        batches = await consumer.getmany(timeout_ms=POLL_MS)
        await watch.check(bool(batches))
        if not batches:
            if quiet.over():
                break
            continue
        quiet.reset()
        for record in _in_order(batches.values()):
            if how.max_records is not None and counted >= how.max_records:
                break
            counted += bool(on_record(record))
    return counted


def _in_order(batches: Sequence[Any] | Any) -> Iterator[Any]:
    for records in batches:
        yield from records
