"""The argument parser of `newsstream`: every command, its options, help texts and examples.

A command's help is the first line of its `cmd_NAME` docstring; its implementation lives in
`streams.commands.NAME`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from streams import __version__
from streams.commands.alerts import cmd_alerts
from streams.commands.bench import cmd_bench
from streams.commands.demo import cmd_demo
from streams.commands.enrich import cmd_enrich
from streams.commands.produce import cmd_produce
from streams.commands.topics import cmd_topics
from streams.commands.worker import cmd_worker
from streams.models import LEVELS

__all__ = ["build_parser"]


def _command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    func: Callable[[argparse.Namespace], int],
    example: str,
) -> argparse.ArgumentParser:
    """A subcommand named after `func` (cmd_NAME), its help the first line of func's docstring."""
    doc = (func.__doc__ or "").strip().partition("\n")[0]
    helptext = doc[:1].lower() + doc[1:].removesuffix(".")
    parser = sub.add_parser(
        func.__name__.removeprefix("cmd_"),
        help=helptext,
        description=helptext,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(func=func)
    return parser


def _add_level(parser: argparse.ArgumentParser, default: str) -> None:
    """--level: the lowest alert level a command shows (demo and alerts differ by default)."""
    parser.add_argument("--level", choices=LEVELS, default=default, help="lowest level to show")


def _add_idle_stop(parser: argparse.ArgumentParser, flag: str, default: str = "") -> None:
    """A SECONDS option that stops a command following alerts once they stop coming."""
    parser.add_argument(
        flag,
        type=float,
        metavar="SECONDS",
        help=f"stop after this long without a new alert{default}",
    )


def _add_partitions(parser: argparse.ArgumentParser, when: str = "") -> None:
    """--partitions: how many partitions each topic of a local pipeline gets."""
    parser.add_argument("--partitions", type=int, default=4, help=f"partitions per topic{when}")


def _add_json(parser: argparse.ArgumentParser, helptext: str) -> None:
    """--json: machine-readable output instead of text."""
    parser.add_argument("--json", action="store_true", help=helptext)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(
        prog="newsstream",
        description="Event-driven stream processor for breaking news.",
        epilog="Configuration comes from NEWSSTREAM_* environment variables (see the README).",
    )
    parser.add_argument("--version", action="version", version=f"newsstream {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _command(sub, cmd_demo, "newsstream demo")
    p.add_argument("--feed", help="JSONL feed to publish (default: the bundled sample feed)")
    _add_level(p, "medium")
    _add_partitions(p)
    _add_idle_stop(p, "--exit-after-idle", " (default: run until Ctrl-C)")

    _command(sub, cmd_worker, "NEWSSTREAM_BROKER=localhost:9092 newsstream worker")

    p = _command(sub, cmd_enrich, "newsstream enrich - < articles.jsonl > enriched.jsonl")
    p.add_argument("path", nargs="?", default="-", help="JSONL file, or - for stdin (default)")
    p.add_argument(
        "--reference-time",
        metavar="ISO",
        help="reference time for datelines without a year (default: received_at)",
    )
    p.add_argument("--flush", action="store_true", help="flush after every line")

    p = _command(sub, cmd_produce, "newsstream produce feed.jsonl page.html")
    p.add_argument(
        "paths", nargs="*", help="files or folders: .jsonl = a message per line, else one each"
    )
    p.add_argument("--sample", action="store_true", help="also publish the bundled sample feed")
    p.add_argument("--topic", help="topic to publish to (default: NEWSSTREAM_TOPIC_RAW)")
    _add_json(p, "print a JSON summary")

    p = _command(sub, cmd_alerts, "newsstream alerts --level high --category military")
    _add_level(p, "none")
    p.add_argument("--category", action="append", help="keep alerts with this category (repeat)")
    p.add_argument("--entity", help="keep alerts naming this entity (substring, any case)")
    p.add_argument("--from-beginning", action="store_true", help="replay the topic first")
    p.add_argument("--max", type=int, help="stop after this many alerts")
    _add_idle_stop(p, "--idle-timeout")
    _add_json(p, "one JSON alert per line")

    p = _command(sub, cmd_topics, "newsstream topics --create")
    p.add_argument("--create", action="store_true", help="create missing topics")
    _add_json(p, "print the topics as JSON")

    p = _command(
        sub,
        cmd_bench,
        "newsstream bench --core --articles 2000\n  newsstream bench --stream --articles 5000",
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--core",
        dest="mode",
        action="store_const",
        const="core",
        help="the pure core, no broker (the default)",
    )
    mode.add_argument(
        "--stream",
        dest="mode",
        action="store_const",
        const="stream",
        help="the whole pipeline: a worker process on the embedded broker, vs a raw pipe",
    )
    p.set_defaults(mode="core")
    _add_partitions(p, " (with --stream)")
    p.add_argument(
        "--broker",
        action="store_true",
        help="with --stream: use NEWSSTREAM_BROKER instead of an embedded broker",
    )
    p.add_argument("--articles", type=int, default=2000, help="how many articles to process")
    p.add_argument("--size", type=int, default=3000, help="bytes of text per article")
    _add_json(p, "print the figures as JSON")
    return parser
