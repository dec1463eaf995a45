"""The `newsstream` command line: the only module that prints to the console."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import orjson

from streams import __version__
from streams.errors import NewsstreamError
from streams.models import LEVELS, Alert

if TYPE_CHECKING:
    from streams.settings import Settings

__all__ = ["main", "build_parser"]

LEVEL_COLOURS = {"low": "36", "medium": "33", "high": "31", "critical": "1;41"}


def _settings() -> Settings:
    from streams.settings import load_settings

    return load_settings()


def _progress(label: str, total: int | None) -> Callable[[int], None]:
    """A progress reporter: a live line with rate and ETA on a terminal, plain lines otherwise."""
    started = time.monotonic()
    tty = sys.stderr.isatty()
    last = [0.0]

    def report(done: int) -> None:
        now = time.monotonic()
        if not tty and now - last[0] < 5 and done != total:
            return
        last[0] = now
        rate = done / max(now - started, 1e-9)
        eta = f", ETA {(total - done) / rate:.0f} s" if total and rate and done < total else ""
        of = f"/{total}" if total else ""
        line = f"{label}: {done}{of} ({rate:.0f}/s{eta})"
        if tty:
            end = "\n" if total is not None and done >= total else ""
            sys.stderr.write(f"\r{line}{end}")
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    return report


# --- enrich -----------------------------------------------------------------------------------


def _parse_reference(value: str | None) -> datetime | None:
    if value is None:
        return None
    from streams.core.temporal.published import parse_timestamp

    try:
        moment = parse_timestamp(value, "UTC")
    except ValueError as exc:
        raise NewsstreamError(f"--reference-time: not an ISO 8601 timestamp: {value!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def cmd_enrich(args: argparse.Namespace) -> int:
    """Enrich raw messages offline, one JSON line out per line in."""
    from streams.core.pipeline import MessageContext, enrich
    from streams.runtime.app import to_json

    settings = _settings()
    options = settings.core_options()
    ctx = MessageContext(reference_time=_parse_reference(args.reference_time))
    source: BinaryIO
    if args.path == "-":
        source = sys.stdin.buffer
    else:
        path = Path(args.path)
        if not path.is_file():
            raise NewsstreamError(f"{path}: no such file")
        source = path.open("rb")
    out = sys.stdout.buffer
    with source:
        for line in source:
            result = enrich(line.rstrip(b"\r\n"), ctx, options)
            out.write(to_json(result))
            out.write(b"\n")
            if args.flush:
                out.flush()
    out.flush()
    return 0


# --- worker, topics, produce, alerts ----------------------------------------------------------


def cmd_worker(args: argparse.Namespace) -> int:
    """Run a Faust worker against NEWSSTREAM_BROKER."""
    from streams.runtime.worker import run_worker

    run_worker(_settings())
    return 0


def cmd_topics(args: argparse.Namespace) -> int:
    """Describe the topics, or create the missing ones."""
    from streams.runtime.topics import describe_topics, ensure_topics

    settings = _settings()
    infos = asyncio.run(ensure_topics(settings) if args.create else describe_topics(settings))
    if args.json:
        print(orjson.dumps([info.__dict__ for info in infos]).decode())
        return 0
    for info in infos:
        state = "created" if info.created else ("exists" if info.exists else "missing")
        print(f"{info.name:<24} {info.partitions:>4} partitions  {state}")
    return 0 if all(i.exists for i in infos) else 1


def cmd_produce(args: argparse.Namespace) -> int:
    """Publish JSONL, text or HTML files to news.raw."""
    from streams.commands.client import iter_file_messages, produce_records, sample_feed_path

    settings = _settings()
    paths = [Path(p) for p in args.paths]
    if args.sample:
        paths.insert(0, sample_feed_path())
    if not paths:
        raise NewsstreamError("nothing to publish: give files, or --sample for the bundled feed")
    records = [record for path in paths for record in iter_file_messages(path)]
    progress = _progress("published", len(records)) if not args.json else None
    sent = asyncio.run(produce_records(settings, records, topic=args.topic, on_sent=progress))
    topic = args.topic or settings.topic_raw
    if args.json:
        print(orjson.dumps({"topic": topic, "sent": sent, "files": len(paths)}).decode())
    else:
        print(f"published {sent} messages from {len(paths)} file(s) to {topic}")
    return 0


def format_alert(alert: Alert, colour: bool) -> str:
    """One human-readable block for an alert."""
    level = alert.level.upper()
    if colour:
        level = f"\033[{LEVEL_COLOURS.get(alert.level, '0')}m{level}\033[0m"
    lines = [f"[{level}] {alert.title or '(no title)'}"]
    if alert.categories:
        lines.append(
            f"  categories: {', '.join(alert.categories)}  actions: {', '.join(alert.actions)}"
        )
    if alert.entities:
        lines.append(f"  entities:   {', '.join(alert.entities)}")
    lines.append(f"  {alert.summary}")
    return "\n".join(lines)


def _alert_printer(as_json: bool) -> Callable[[Alert], None]:
    colour = sys.stdout.isatty()

    def show(alert: Alert) -> None:
        if as_json:
            print(orjson.dumps(alert.model_dump(mode="json", by_alias=True)).decode(), flush=True)
        else:
            print(format_alert(alert, colour) + "\n", flush=True)

    return show


def cmd_alerts(args: argparse.Namespace) -> int:
    """Follow news.alerts, filtered."""
    from streams.commands.client import AlertFilter, follow_alerts

    wanted = AlertFilter(
        min_level=args.level, categories=frozenset(args.category or ()), entity=args.entity
    )
    try:
        asyncio.run(
            follow_alerts(
                _settings(),
                _alert_printer(args.json),
                wanted=wanted,
                from_beginning=args.from_beginning,
                max_alerts=args.max,
                idle_timeout=args.idle_timeout,
            )
        )
    except KeyboardInterrupt:
        pass
    return 0


# --- demo and bench ---------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    """Run the whole pipeline on the embedded broker and show alerts."""
    from streams.commands.client import sample_feed_path
    from streams.commands.demo import run_demo

    colour = sys.stdout.isatty()
    first: list[float] = []

    def status(text: str) -> None:
        print(f"-- {text}", flush=True)

    shown = [0]

    def show(alert: Alert, elapsed: float) -> None:
        shown[0] += 1
        if not first:
            first.append(elapsed)
            status(f"first alert {elapsed:.1f} s after start")
        print(format_alert(alert, colour) + "\n", flush=True)

    feed = Path(args.feed) if args.feed else sample_feed_path()
    run_demo(
        feed,
        min_level=args.level,
        on_status=status,
        on_alert=show,
        partitions=args.partitions,
        idle_exit=args.exit_after_idle,
    )
    status(f"stopped after {shown[0]} alerts; broker and worker are shut down")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure throughput, latency and memory of the core or the stream."""
    from streams.commands.bench import bench_core, bench_stream, format_table

    if args.stream:
        broker = _settings().bootstrap_servers if args.broker else None
        result = bench_stream(args.articles, args.partitions, args.size, broker)
    else:
        result = bench_core(args.articles, size=args.size)
    print(orjson.dumps(result).decode() if args.json else format_table(result))
    return 0


# --- parser -----------------------------------------------------------------------------------


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
    p.add_argument("paths", nargs="*", help="files: .jsonl = one message per line, else one each")
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
    p.add_argument("--core", action="store_true", help="the pure core, no broker (the default)")
    p.add_argument(
        "--stream",
        action="store_true",
        help="the whole pipeline: a worker process on the embedded broker, vs a raw pipe",
    )
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


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run a command; a domain error is one line on stderr and exit code 1."""
    args = build_parser().parse_args(argv)
    if args.command != "worker":
        from streams.runtime.logs import configure_logging

        configure_logging("WARNING", "text")
    try:
        code = args.func(args)
    except NewsstreamError as exc:
        print(f"newsstream {args.command}: {exc}", file=sys.stderr)
        code = 1
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        code = 0
    sys.exit(code)
