"""The command line without a broker: enrich, help texts, errors as one line and exit 1."""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from streams.errors import NewsstreamError
from tests.support.articles import BAD_MESSAGES, CALM_SPORT, CLEAN_ESCALATION, SCRAPED_ESCALATION


def newsstream(
    *args: str, stdin: bytes = b"", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "streams", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
        env=env,
    )


def test_cli_enrich_writes_one_line_per_input_line_in_order() -> None:
    lines = [
        orjson.dumps(CLEAN_ESCALATION),
        orjson.dumps(SCRAPED_ESCALATION),
        *(p for p, _ in BAD_MESSAGES if b"\n" not in p),
        orjson.dumps(CALM_SPORT),
    ]
    proc = newsstream(
        "enrich", "-", "--reference-time", "2025-03-15T12:00:00Z", stdin=b"\n".join(lines) + b"\n"
    )
    assert proc.returncode == 0, proc.stderr.decode()
    out = [orjson.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == len(lines)
    assert out[0]["article_id"] == "esc-json-1"
    assert out[1]["schema"] == "newsstream.enriched/1"
    assert out[1]["published_at"].startswith("2025-03-14T09:15")
    assert out[-1]["article_id"] == "calm-sport-1"
    assert all(o["schema"] == "newsstream.deadletter/1" for o in out[2:-1])


def test_cli_enrich_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(orjson.dumps(CALM_SPORT) + b"\n")
    proc = newsstream("enrich", str(path))
    assert proc.returncode == 0
    assert orjson.loads(proc.stdout)["article_id"] == "calm-sport-1"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("enrich", "/no/such/file.jsonl"), "no such file"),
        (("enrich", "-", "--reference-time", "soon"), "--reference-time"),
        (("topics",), "cannot reach broker at 127.0.0.1:9"),
    ],
)
def test_cli_errors_are_one_line_and_exit_1(args: tuple[str, ...], message: str) -> None:
    import os

    env = {**os.environ, "NEWSSTREAM_BROKER": "127.0.0.1:9"}
    proc = newsstream(*args, env=env)
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert message in err
    assert "Traceback" not in err


def _one_line_error(proc: subprocess.CompletedProcess[bytes], command: str) -> str:
    """The error line of a command that failed as it should: exit 1, one line, no traceback."""
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"newsstream {command}: "), err
    return lines[0]


@pytest.mark.parametrize(
    "broker", ["localhost:notaport", "kafka://127.0.0.1:99999", "127.0.0.1:0", ":9092"]
)
def test_cli_bad_broker_address_is_one_line_naming_the_variable(broker: str) -> None:
    proc = newsstream("topics", env={**os.environ, "NEWSSTREAM_BROKER": broker})
    line = _one_line_error(proc, "topics")
    assert "NEWSSTREAM_BROKER" in line and broker in line


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", "--exit-after-idle", "1"],
        ["worker"],
        ["enrich", "-"],
        ["produce", "--sample"],
        ["alerts"],
        ["topics"],
        ["bench", "--stream", "--articles", "1"],
    ],
)
def test_cli_invalid_setting_is_one_line_naming_the_variable(argv: list[str]) -> None:
    env = {**os.environ, "NEWSSTREAM_MAX_MESSAGE_BYTES": "abc", "NEWSSTREAM_BROKER": "127.0.0.1:9"}
    line = _one_line_error(newsstream(*argv, env=env), argv[0])
    assert "NEWSSTREAM_MAX_MESSAGE_BYTES" in line
    assert "valid integer" in line and "'abc'" in line
    assert "pydantic" not in line


def test_cli_unknown_source_zone_is_refused_at_start() -> None:
    env = {**os.environ, "NEWSSTREAM_SOURCE_TZ": "Mars/Olympus"}
    line = _one_line_error(newsstream("enrich", "-", stdin=b"text\n", env=env), "enrich")
    assert "NEWSSTREAM_SOURCE_TZ" in line and "Mars/Olympus" in line


def test_cli_demo_partitions_out_of_range_is_one_line() -> None:
    line = _one_line_error(newsstream("demo", "--partitions", "0"), "demo")
    assert "--partitions" in line and "greater than or equal to 1" in line


@pytest.mark.parametrize("argv", [["enrich", "-"], ["worker"], ["demo"]])
def test_cli_unloadable_ner_model_stops_the_start(argv: list[str]) -> None:
    """Without spaCy (or without the model) nothing starts, rather than dead-lettering all."""
    env = {
        **os.environ,
        "NEWSSTREAM_NER_MODEL": "no_such_newsstream_model",
        "NEWSSTREAM_BROKER": "127.0.0.1:9",  # never contacted: the check comes first
        "NEWSSTREAM_METRICS_PORT": "0",
    }
    proc = newsstream(*argv, stdin=b"text\n", env=env)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "Traceback" not in err and proc.stdout == b""
    last = err.splitlines()[-1]  # the worker logs its start first
    assert last.startswith(f"newsstream {argv[0]}: NEWSSTREAM_NER_MODEL"), err
    assert "cannot reach broker" not in err


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port something listens on, on every address (as the metrics server binds)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("0.0.0.0", 0))  # noqa: S104 - the metrics server binds every address
        sock.listen()
        yield int(sock.getsockname()[1])


def test_cli_worker_with_busy_metrics_port_is_one_line(busy_port: int) -> None:
    env = {
        **os.environ,
        "NEWSSTREAM_METRICS_PORT": str(busy_port),
        "NEWSSTREAM_BROKER": "127.0.0.1:9",
    }
    proc = newsstream("worker", env=env)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    last = err.splitlines()[-1]
    assert last.startswith("newsstream worker: cannot serve metrics on port"), err
    assert "NEWSSTREAM_METRICS_PORT" in last


def test_cli_produce_skips_a_file_over_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 1_048_576)  # 5 MB, over the default 1,000,000 bytes
    env = {**os.environ, "NEWSSTREAM_BROKER": "127.0.0.1:9"}
    proc = newsstream("produce", str(big), env=env)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    assert f"{big}: 5,242,880 bytes, over NEWSSTREAM_MAX_MESSAGE_BYTES (1,000,000)" in err
    assert "cannot reach broker" not in err  # nothing left to send: no broker needed
    assert b"skipped 1 message" in proc.stdout


def test_cli_invalid_configuration_is_reported() -> None:
    import os

    proc = newsstream("enrich", "-", env={**os.environ, "NEWSSTREAM_PARTITIONS": "many"})
    assert proc.returncode == 1
    assert "NEWSSTREAM_PARTITIONS" in proc.stderr.decode()


#: Every command, in the order `newsstream --help` lists them.
COMMANDS = (
    "demo",
    "broker",
    "worker",
    "enrich",
    "produce",
    "alerts",
    "tail",
    "notify",
    "serve",
    "topics",
    "bench",
)


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_every_command_has_help_with_an_example(command: str) -> None:
    proc = newsstream(command, "--help")
    assert proc.returncode == 0
    assert b"example:" in proc.stdout
    assert f"newsstream {command}".encode() in proc.stdout


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    from streams.commands.parser import build_parser

    parser = build_parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_cli_commands_take_their_help_from_the_docstring_in_order() -> None:
    commands = _subparsers()
    assert tuple(commands) == COMMANDS
    assert commands["demo"].description == (
        "run the whole pipeline on the embedded broker and show alerts"
    )
    for name, parser in commands.items():
        func = parser.get_default("func")
        assert (func.__module__, func.__name__) == (f"streams.commands.{name}", f"cmd_{name}")
        summary = func.__doc__.strip()
        assert parser.description == summary[0].lower() + summary[1:-1]


def test_cli_parser_leaves_the_core_runtime_and_broker_client_unloaded() -> None:
    """`newsstream --help` and usage errors stay fast: commands import those when they run."""
    code = (
        "import sys, streams.commands.main; "
        "print(sorted(m for m in sys.modules if m.split('.')[:2] in "
        "(['streams', 'core'], ['streams', 'runtime'], ['streams', 'settings'], ['aiokafka'])))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, check=True)
    assert proc.stdout.strip() == b"[]"


def test_cli_every_option_has_help() -> None:
    for name, parser in _subparsers().items():
        for action in parser._actions:
            assert action.help, f"newsstream {name} {action.option_strings or action.dest}"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["demo"], {"level": "medium", "partitions": 4, "exit_after_idle": None}),
        (["demo", "--exit-after-idle", "6"], {"exit_after_idle": 6.0}),
        (["alerts"], {"level": "none", "idle_timeout": None, "json": False}),
        (["alerts", "--idle-timeout", "2.5", "--json"], {"idle_timeout": 2.5, "json": True}),
        (["bench", "--partitions", "2"], {"partitions": 2, "json": False, "mode": "core"}),
        (["bench", "--core", "--articles", "50"], {"mode": "core", "articles": 50}),
        (["bench", "--stream"], {"mode": "stream"}),
        (["bench", "--delivery", "--articles", "300"], {"mode": "delivery", "articles": 300}),
        (["topics", "--json"], {"json": True, "create": False}),
        (["produce", "--json"], {"json": True, "paths": []}),
        (["broker"], {"port": 9092}),
        (["broker", "--port", "19092"], {"port": 19092}),
        (["demo"], {"port": None}),
        (["demo", "--port", "19093"], {"port": 19093}),
        (["enrich"], {"path": "-", "article": False, "pretty": False}),
        (["enrich", "--article", "--pretty", "a.html"], {"path": "a.html", "article": True}),
    ],
)
def test_cli_shared_options_parse_per_command(argv: list[str], expected: dict[str, object]) -> None:
    from streams.commands.parser import build_parser

    args = vars(build_parser().parse_args(argv))
    assert {key: args[key] for key in expected} == expected


def test_cli_level_accepts_only_known_levels(capsys: pytest.CaptureFixture[str]) -> None:
    from streams.commands.parser import build_parser

    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["alerts", "--level", "severe"])
    assert exc.value.code == 2
    assert "invalid choice: 'severe'" in capsys.readouterr().err


def test_cli_bench_runs_one_mode(capsys: pytest.CaptureFixture[str]) -> None:
    from streams.commands.parser import build_parser

    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["bench", "--core", "--stream"])
    assert exc.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_cli_produce_takes_the_files_of_a_folder(tmp_path: Path) -> None:
    from streams.commands.produce import files_of

    (tmp_path / "pages" / "more").mkdir(parents=True)
    (tmp_path / "pages" / "b.html").write_text("<p>x</p>")
    (tmp_path / "pages" / "more" / "a.txt").write_text("x")
    (tmp_path / "pages" / ".hidden").write_text("x")
    single = tmp_path / "feed.jsonl"
    single.write_text("{}\n")
    found = files_of([tmp_path / "pages", single])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "pages/b.html",
        "pages/more/a.txt",
        "feed.jsonl",
    ]
    with pytest.raises(NewsstreamError, match="no such file or folder"):
        files_of([tmp_path / "missing"])


ARTICLE = (
    b"WARSAW, March 6 (Eastgate News) - Poland expelled the Belarusian ambassador on "
    b"Thursday.\n\nThe foreign ministry in Warsaw said troops were moved to the border.\n"
)


def test_cli_enrich_article_reads_the_whole_input_as_one_article() -> None:
    from streams.core.pipeline import MessageContext, enrich
    from streams.models import EnrichedArticle
    from streams.settings import Settings

    proc = newsstream("enrich", "--article", "-", stdin=ARTICLE)
    assert proc.returncode == 0, proc.stderr.decode()
    (line,) = proc.stdout.splitlines()
    article = orjson.loads(line)
    expected = enrich(ARTICLE, MessageContext(), Settings().core_options())
    assert isinstance(expected, EnrichedArticle)
    assert article["schema"] == "newsstream.enriched/1"
    assert article["article_id"] == expected.article_id
    assert article["text"] == ARTICLE.decode().strip()
    assert "Poland" in {e["canonical"] for e in article["entities"]}


def test_cli_enrich_article_reads_html_from_a_file(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    paragraphs = "".join(f"<p>{part}</p>\n" for part in ARTICLE.decode().split("\n\n"))
    page.write_text(f"<html><head><title>Expelled</title></head><body>{paragraphs}</body></html>")
    proc = newsstream("enrich", "--article", str(page))
    assert proc.returncode == 0, proc.stderr.decode()
    (line,) = proc.stdout.splitlines()
    article = orjson.loads(line)
    assert article["title"] == "Expelled"
    assert "<p>" not in article["text"] and "Belarusian ambassador" in article["text"]


def _json_documents(text: str) -> list[object]:
    decoder = json.JSONDecoder()
    found, at = [], 0
    while at < len(text.rstrip()):
        value, at = decoder.raw_decode(text, at)
        found.append(value)
        while at < len(text) and text[at].isspace():
            at += 1
    return found


@pytest.mark.parametrize("article", [True, False])
def test_cli_enrich_pretty_indents_the_json(article: bool) -> None:
    stdin = ARTICLE if article else orjson.dumps(CALM_SPORT) + b"\n" + orjson.dumps(CALM_SPORT)
    proc = newsstream("enrich", *(["--article"] if article else []), "--pretty", stdin=stdin)
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    assert out.startswith('{\n  "schema": "newsstream.enriched/1",\n')
    assert len(_json_documents(out)) == (1 if article else 2)
