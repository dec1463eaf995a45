"""A core job whose process dies on one message, for the core pool's tests.

It lives in an importable module because the pool's processes are spawned: they unpickle the
job, so its class must be found by name in a fresh interpreter.
"""

from __future__ import annotations

import os

from streams.core.pipeline import MessageContext
from streams.runtime.core_pool import Job
from streams.runtime.publish import Record

#: The message on which the process exits at once, as a crash in native code would.
POISON = b'{"id": "poison", "body": "This message stops the process that reads it."}'


class PoisonJob(Job):
    """The normal job, except that POISON ends the process."""

    def records(self, value: bytes, ctx: MessageContext) -> list[Record]:
        if value == POISON:
            os._exit(70)
        return super().records(value, ctx)
