"""The argument parser of `newsstream`: every command, its options, help texts and examples.

A command's help is the first line of its `cmd_NAME` docstring; its implementation lives in
`streams.commands.NAME`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import get_args

from streams import __version__
from streams.commands.alerts import cmd_alerts
from streams.commands.bench import cmd_bench
from streams.commands.broker import DEFAULT_PORT, cmd_broker
from streams.commands.demo import cmd_demo
from streams.commands.enrich import cmd_enrich
from streams.commands.notify import cmd_notify
from streams.commands.produce import cmd_produce
from streams.commands.serve import cmd_serve
from streams.commands.tail import cmd_tail
from streams.commands.topics import cmd_topics
from streams.commands.worker import cmd_worker
from streams.models import LEVELS, Category

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


def _add_follow(parser: argparse.ArgumentParser, noun: str) -> None:
    """The options of a command that follows a topic: where to start and when to stop."""
    parser.add_argument("--from-beginning", action="store_true", help="replay the topic first")
    parser.add_argument("--max", type=int, help=f"stop after this many {noun}")
    _add_idle_stop(parser, "--idle-timeout")
    parser.add_argument(
        "--max-wait",
        type=float,
        metavar="SECONDS",
        help="exit with code 1 after this long without the broker (default: keep retrying)",
    )


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


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
    p.add_argument("--port", type=int, help="the embedded broker's port (default: a free one)")

    p = _command(sub, cmd_broker, "newsstream broker --port 9092")
    p.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})"
    )

    _command(sub, cmd_worker, "NEWSSTREAM_BROKER=localhost:9092 newsstream worker")

    p = _command(
        sub,
        cmd_enrich,
        "newsstream enrich - < articles.jsonl > enriched.jsonl\n"
        "  newsstream enrich --article --pretty page.html",
    )
    p.add_argument("path", nargs="?", default="-", help="input file, or - for stdin (default)")
    p.add_argument(
        "--article",
        action="store_true",
        help="the whole input is one article (text, HTML or a JSON object), not JSONL",
    )
    p.add_argument("--pretty", action="store_true", help="indent the JSON output")
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

    p = _command(
        sub,
        cmd_alerts,
        "newsstream alerts --level high --category military\n"
        "  newsstream alerts --topic alerts.baltic --max-wait 60",
    )
    _add_level(p, "none")
    p.add_argument(
        "--category",
        action="append",
        choices=get_args(Category),
        metavar="CATEGORY",
        help=f"keep alerts with this category (repeat): {', '.join(get_args(Category))}",
    )
    p.add_argument("--entity", help="keep alerts naming this entity (substring, any case)")
    p.add_argument("--topic", help="follow this topic, e.g. a rule's (default: news.alerts)")
    _add_follow(p, "alerts")
    _add_json(p, "one JSON alert per line")

    p = _command(
        sub,
        cmd_tail,
        "newsstream tail news.deadletter --from-beginning\n"
        "  newsstream tail news.enriched --json --max 10",
    )
    p.add_argument("topic", help="the topic to show, e.g. news.deadletter or news.enriched")
    _add_follow(p, "records")
    _add_json(p, "each record's value as one JSON line")

    p = _command(sub, cmd_notify, "SLACK_WEBHOOK_URL=https://hooks.slack.com/... newsstream notify")
    p.add_argument(
        "--grace",
        type=float,
        metavar="SECONDS",
        help="on SIGTERM or Ctrl-C, how long deliveries under way may finish (default 10)",
    )

    p = _command(
        sub,
        cmd_serve,
        "newsstream serve\n  NEWSSTREAM_SERVE_TOKEN=... newsstream serve --host 0.0.0.0",
    )
    p.add_argument("--host", help="address to listen on (default: NEWSSTREAM_SERVE_HOST)")
    p.add_argument("--port", type=int, help="port to listen on (default: NEWSSTREAM_SERVE_PORT)")

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
    mode.add_argument(
        "--delivery",
        dest="mode",
        action="store_const",
        const="delivery",
        help="alert produced -> webhook received (notify) and -> page event (serve) latency",
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
    p.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="with --stream: worker processes in one consumer group (one per core)",
    )
    _add_json(p, "print the figures as JSON")
    return parser
