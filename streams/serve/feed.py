"""The alerts the live page shows: the recent ones per partition, and a fan-out to streams.

`AlertFeed` holds the last `history` alerts of each partition of the alerts topic, in the
order they were read, each with its event id: the per-partition cursor just after it
("0:15,1:7": partition 0 was read up to offset 14, partition 1 up to 6). A stream that
reconnects with that id gets every kept alert beyond it, on every partition, and is told
when some it missed are no longer kept.

Streams subscribe with a bounded queue each; an alert is put on every queue without
waiting, and a subscriber whose queue is full is dropped (its task cancelled), so a slow
client never holds the others back. It can reconnect and resume from its last event id.

Nothing here talks to Kafka: streams.serve.reader feeds it (tests inject alerts directly).
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from pydantic import ValidationError

from streams.models import Alert

__all__ = [
    "Cursor",
    "KeptAlert",
    "Subscriber",
    "AlertFeed",
    "format_cursor",
    "parse_cursor",
    "CLIENT_QUEUE",
]

log = logging.getLogger(__name__)

#: Alerts a stream may have waiting before it counts as too slow and is dropped. Alerts come
#: in bursts of tens at most (a story's near-duplicates, a spike); a client that is hundreds
#: behind is gone or stuck, and it resumes from its last event id when it reconnects.
CLIENT_QUEUE = 256

#: A cursor: per partition, the next offset to read (the offset of the last alert seen + 1).
Cursor = dict[int, int]

_CURSOR = re.compile(r"\d{1,6}:\d{1,19}(?:,\d{1,6}:\d{1,19})*")


def format_cursor(cursor: Mapping[int, int]) -> str:
    """The text form of a cursor, partitions in order: `0:15,1:7`."""
    return ",".join(f"{p}:{o}" for p, o in sorted(cursor.items()))


def parse_cursor(text: str) -> Cursor | None:
    """A cursor from its text form; None when the text is not one."""
    text = text.strip()
    if not _CURSOR.fullmatch(text):
        return None
    cursor: Cursor = {}
    for part in text.split(","):
        partition, _, offset = part.partition(":")
        cursor[int(partition)] = int(offset)
    return cursor


@dataclass(frozen=True, slots=True)
class KeptAlert:
    """An alert as read from the topic, with where it was and the stream's event id."""

    seq: int  # order of reading, over all partitions
    partition: int
    offset: int
    alert: Alert
    data: str  # the alert's JSON, as the stream and the API send it
    event_id: str  # the feed's cursor just after this alert
    read_at: float  # time.time() when it was read: the latency probe compares it


@dataclass(eq=False)
class Subscriber:
    """One stream: the alerts it wants, waiting in a bounded queue."""

    accepts: Callable[[Alert], bool]
    queue: asyncio.Queue[KeptAlert] = field(default_factory=lambda: asyncio.Queue(CLIENT_QUEUE))
    task: asyncio.Task[object] | None = None
    dropped: bool = False
    #: The latest event id this subscriber has passed over without sending (an alert it does
    #: not want), with its seq: a keep-alive sends it so a reconnect does not start too early.
    skipped: tuple[int, str] | None = None


class AlertFeed:
    """The last `history` alerts of each partition, and the streams that follow them."""

    def __init__(self, history: int, queue_size: int = CLIENT_QUEUE) -> None:
        self.history = history
        self.queue_size = queue_size
        self.ready = asyncio.Event()  # set once the kept alerts have been read back
        self._kept: dict[int, deque[KeptAlert]] = {}
        self._position: Cursor = {}  # next offset to read, per partition
        self._floor: Cursor = {}  # every alert from this offset on is kept, per partition
        self._seq = 0
        self._subscribers: set[Subscriber] = set()

    # --- reading -------------------------------------------------------------------------

    def start_partition(self, partition: int, offset: int) -> None:
        """Reading of `partition` starts at `offset`: nothing before it is kept."""
        self._kept.setdefault(partition, deque(maxlen=self.history))
        self._position[partition] = offset
        self._floor[partition] = offset

    def add(self, partition: int, offset: int, value: bytes | None) -> KeptAlert | None:
        """Keep the record at `offset` when it is an alert and pass it to every subscriber;
        anything else only moves the cursor on (the alerts topic holds nothing else)."""
        self._position[partition] = offset + 1
        try:
            alert = Alert.model_validate_json(value or b"")
        except ValidationError:
            log.warning(
                "skipped a record that is no alert at partition %d offset %d", partition, offset
            )
            return None
        self._seq += 1
        kept = KeptAlert(
            seq=self._seq,
            partition=partition,
            offset=offset,
            alert=alert,
            data=alert.model_dump_json(by_alias=True),
            event_id=format_cursor(self._position),
            read_at=time.time(),
        )
        ring = self._kept.setdefault(partition, deque(maxlen=self.history))
        if len(ring) == ring.maxlen:
            self._floor[partition] = ring[0].offset + 1
        ring.append(kept)
        self._publish(kept)
        return kept

    # --- what is kept --------------------------------------------------------------------

    @property
    def position(self) -> str:
        """The cursor after everything read so far (a client that has it is up to date)."""
        return format_cursor(self._position)

    @property
    def last_seq(self) -> int:
        """The reading order (`KeptAlert.seq`) of the last alert read; 0 before any."""
        return self._seq

    @property
    def partitions(self) -> list[int]:
        """The partitions being read."""
        return sorted(self._position)

    def kept(self) -> list[KeptAlert]:
        """Every kept alert, in the order it was read."""
        return list(heapq.merge(*self._kept.values(), key=lambda k: k.seq))

    def beyond(self, cursor: Mapping[int, int]) -> tuple[list[KeptAlert], list[int]]:
        """The kept alerts past `cursor`, in reading order, and the partitions where alerts
        past it are no longer kept (the cursor is older than the kept history)."""
        gaps = [p for p, floor in self._floor.items() if p in cursor and cursor[p] < floor]
        after = [k for k in self.kept() if k.offset >= cursor.get(k.partition, 0)]
        return after, sorted(gaps)

    def find(self, predicate: Callable[[KeptAlert], bool]) -> Iterable[KeptAlert]:
        """The kept alerts that satisfy `predicate`, newest first."""
        return (k for k in reversed(self.kept()) if predicate(k))

    # --- fan-out -------------------------------------------------------------------------

    def subscribe(self, accepts: Callable[[Alert], bool]) -> Subscriber:
        """A new stream's subscription; alerts read from now on are queued for it."""
        subscriber = Subscriber(accepts, asyncio.Queue(self.queue_size), asyncio.current_task())
        self._subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """The stream ended."""
        self._subscribers.discard(subscriber)

    @property
    def subscribers(self) -> int:
        """How many streams follow the feed."""
        return len(self._subscribers)

    def close_all(self) -> None:
        """Shutting down: end every stream."""
        for subscriber in list(self._subscribers):
            self._drop(subscriber)

    def _publish(self, kept: KeptAlert) -> None:
        for subscriber in list(self._subscribers):
            if not subscriber.accepts(kept.alert):
                subscriber.skipped = (kept.seq, kept.event_id)
                continue
            try:
                subscriber.queue.put_nowait(kept)
            except asyncio.QueueFull:
                log.warning("dropped a stream %d alerts behind", subscriber.queue.qsize())
                self._drop(subscriber)

    def _drop(self, subscriber: Subscriber) -> None:
        subscriber.dropped = True
        self._subscribers.discard(subscriber)
        if subscriber.task is not None:
            subscriber.task.cancel()
