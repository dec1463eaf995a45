"""Reading Server-Sent Events in tests: a small parser of the wire format."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp


@dataclass
class Event:
    """One dispatched event (or a bare `id:` line, with `event` and `data` empty)."""

    event: str = ""
    data: str = ""
    id: str | None = None
    comments: list[str] = field(default_factory=list)


def parse(text: str) -> list[Event]:
    """The events of a stream's text, in order (comments kept with the event they precede)."""
    events = []
    current = Event()
    data: list[str] = []
    for line in text.split("\n"):
        if line == "":
            if data or current.id is not None or current.comments or current.event:
                current.data = "\n".join(data)
                events.append(current)
            current, data = Event(), []
        elif line.startswith(":"):
            current.comments.append(line[1:].strip())
        else:
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "data":
                data.append(value)
            elif name == "event":
                current.event = value
            elif name == "id":
                current.id = value
    return events


async def read_until(
    response: aiohttp.ClientResponse,
    done: Callable[[list[Event]], bool],
    timeout: float = 10.0,
) -> list[Event]:
    """Read the stream until `done(events)` holds; the events read (by this call)."""
    events: list[Event] = []
    rest = ""

    async def run() -> list[Event]:
        nonlocal rest
        while True:
            chunk = await response.content.readany()
            if not chunk:
                return events + parse(rest)
            rest += chunk.decode()
            if "\n\n" in rest:
                cut = rest.rindex("\n\n") + 2
                events.extend(parse(rest[:cut]))
                rest = rest[cut:]
                if done(events):
                    return events

    return await asyncio.wait_for(run(), timeout)


def alert_events(events: list[Event]) -> list[Event]:
    """The `alert` events only."""
    return [e for e in events if e.event == "alert"]
