"""The command line without a broker: enrich, help texts, errors as one line and exit 1."""

from __future__ import annotations

import argparse
import subprocess
import sys
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


def test_cli_invalid_configuration_is_reported() -> None:
    import os

    proc = newsstream("enrich", "-", env={**os.environ, "NEWSSTREAM_PARTITIONS": "many"})
    assert proc.returncode == 1
    assert "partitions" in proc.stderr.decode()


@pytest.mark.parametrize(
    "command", ["demo", "worker", "enrich", "produce", "alerts", "topics", "bench"]
)
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
    assert list(commands) == ["demo", "worker", "enrich", "produce", "alerts", "topics", "bench"]
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
        (["topics", "--json"], {"json": True, "create": False}),
        (["produce", "--json"], {"json": True, "paths": []}),
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
