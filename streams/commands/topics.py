"""`newsstream topics`: describing newsstream's topics on the broker, or creating the missing."""

from __future__ import annotations

import argparse
import asyncio

import orjson

from streams.commands.console import plural

__all__ = ["cmd_topics"]


def cmd_topics(args: argparse.Namespace) -> int:
    """Describe the topics, or create the missing ones."""
    from streams.runtime.topics import describe_topics, ensure_topics
    from streams.settings import load_settings

    settings = load_settings()
    infos = asyncio.run(ensure_topics(settings) if args.create else describe_topics(settings))
    if args.json:
        print(orjson.dumps([info.__dict__ for info in infos]).decode())
        return 0
    for info in infos:
        state = "created" if info.created else ("exists" if info.exists else "missing")
        print(f"{info.name:<24} {plural(info.partitions, 'partition'):>14}  {state}")
    return 0 if all(i.exists for i in infos) else 1
