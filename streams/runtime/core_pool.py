"""The enrichment core in processes of its own, beside the worker's event loop.

In one process the event loop does everything in turn: fetching, Faust's per-event work, the
core, encoding, publishing, the alert stage. With the core in a child process (spawned, not
forked: the worker has threads), the loop prepares the next events and publishes the last
ones while the child enriches, so a worker's throughput is the core's own. The child returns
the records to publish (topic, key, JSON), which are cheap to send back.

A child that dies (a crash in a native library on one message, the OOM killer) breaks the pool:
the pool is started again and each message that was in flight is enriched once more, one at a
time; a message that breaks the new pool too is dead-lettered as internal_error, so one bad
message costs itself, never the worker. NEWSSTREAM_CORE_PROCESSES=0 keeps the core in the
event loop (the same code path, run in place).
"""

from __future__ import annotations

import asyncio
import logging
import logging.config
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from streams.core.pipeline import CoreOptions, MessageContext, dead_letter, enrich
from streams.errors import BadMessageError
from streams.runtime.logs import logging_config
from streams.runtime.publish import Record
from streams.runtime.records import dead_letter_record, enrich_records
from streams.settings import Settings

__all__ = ["CorePool", "Job", "Pending", "enrich_to_records"]

log = logging.getLogger(__name__)

#: Messages in flight per child process: enough that a child never waits for the loop.
DEPTH_PER_PROCESS = 4
#: A short article the child enriches at start, so its first real message pays no loading.
_WARM_UP = b'{"id": "warm-up", "body": "Troops moved to the border on Monday, officials said."}'


@dataclass(frozen=True)
class Pending:
    """A message being enriched, and which pool it was given to."""

    future: asyncio.Future[list[Record]]
    generation: int


@dataclass(frozen=True)
class Job:
    """What enriching a message needs besides the message: the options and the topics."""

    options: CoreOptions
    stories_topic: str
    deadletter_topic: str

    def records(self, value: bytes, ctx: MessageContext) -> list[Record]:
        """One raw message through the core: the records it publishes."""
        result = enrich(value, ctx, self.options)
        return enrich_records(result, ctx, self.stories_topic, self.deadletter_topic)


#: The job of this process when it is a pool's child (set by its initializer).
_CHILD_JOB: Job | None = None


def _start_child(job: Job, level: str, fmt: str) -> None:
    """A child's initializer: the worker's logging, the job, the core loaded, and a watch
    that ends the child when the worker is gone (a worker killed with SIGKILL cannot stop
    it, and it would wait for work for ever)."""
    global _CHILD_JOB  # noqa: PLW0603 - one job per child process, set once at its start
    logging.config.dictConfig(logging_config(level, fmt))
    _CHILD_JOB = job
    threading.Thread(target=_exit_with_parent, name="parent-watch", daemon=True).start()
    enrich(_WARM_UP, options=job.options)


def _exit_with_parent() -> None:
    """Wait until the parent process has ended, then end this one."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()
        os._exit(0)


def enrich_to_records(value: bytes, ctx: MessageContext) -> list[Record]:
    """In a pool's child: one raw message through the core, the records it publishes."""
    if _CHILD_JOB is None:
        raise RuntimeError("enrich_to_records runs in a CorePool child process")
    return _CHILD_JOB.records(value, ctx)


class CorePool:
    """Enriches messages in `processes` child processes (0: in place, in the event loop).

    `job`: what each message goes through (the settings' enrichment by default).
    """

    def __init__(self, settings: Settings, processes: int, job: Job | None = None) -> None:
        self._settings = settings
        self._processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._generation = 0  # counts the pools started: a broken one is replaced once
        self._job = job or Job(
            settings.core_options(), settings.stories_topic, settings.topic_deadletter
        )

    @property
    def depth(self) -> int:
        """How many messages the agent keeps in flight (1: one at a time, in place)."""
        return max(1, DEPTH_PER_PROCESS * self._processes)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            settings = self._settings
            self._pool = ProcessPoolExecutor(
                self._processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_child,
                initargs=(self._job, settings.log_level, settings.log_format),
            )
        return self._pool

    def start(self) -> None:
        """Start the child processes now (they load the core), not on the first message."""
        if self._processes:
            self._executor().submit(int)

    def submit(self, value: bytes, ctx: MessageContext) -> Pending:
        """Start enriching one message; its records come out of `records`."""
        loop = asyncio.get_running_loop()
        if self._processes == 0:
            done: asyncio.Future[list[Record]] = loop.create_future()
            done.set_result(self._job.records(value, ctx))
            return Pending(done, self._generation)
        try:
            future: Future[list[Record]] = self._executor().submit(enrich_to_records, value, ctx)
        except BrokenProcessPool as exc:  # broken by an earlier message: records() retries
            future = Future()
            future.set_exception(exc)
        return Pending(asyncio.wrap_future(future), self._generation)

    async def records(self, value: bytes, ctx: MessageContext, pending: Pending) -> list[Record]:
        """The records of a message `submit` started; once more, alone, in a new pool if a
        child died meanwhile, and its dead letter if it breaks that pool too."""
        try:
            return await pending.future
        except BrokenProcessPool:
            self._restart(pending.generation)
        retry = self.submit(value, ctx)
        try:
            return await retry.future
        except BrokenProcessPool:
            self._restart(retry.generation)
            log.error(
                "the core's process died on this message twice: dead-lettered",
                extra={"topic": ctx.topic, "partition": ctx.partition, "offset": ctx.offset},
            )
            problem = BadMessageError("the enrichment process died on this message")
            letter = dead_letter(value, ctx, problem, self._job.options.max_output_bytes)
            return [dead_letter_record(letter, ctx.key, self._settings.topic_deadletter)]

    def _restart(self, generation: int) -> None:
        """Drop the pool that broke (once: later messages of the same pool find it gone)."""
        if generation != self._generation:
            return
        self._generation += 1
        pool, self._pool = self._pool, None
        if pool is not None:
            log.warning("a core process died: starting a new pool")
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the child processes (messages still in flight are not acknowledged)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
