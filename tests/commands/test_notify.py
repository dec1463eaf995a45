"""`newsstream notify` refuses, in one line, a set-up it cannot deliver with."""

from __future__ import annotations

from pathlib import Path

from streams.commands.parser import build_parser
from tests.support.kafka_io import run_cli

#: No broker is contacted: the configuration is checked first.
NO_BROKER = {"NEWSSTREAM_BROKER": "127.0.0.1:1"}


def test_notify_without_webhooks_exits_1_saying_so(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - name: desk\n    min_level: high\n")
    done = run_cli(["notify"], {**NO_BROKER, "NEWSSTREAM_RULES_FILE": str(rules)}, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("newsstream notify: no rule has webhooks")
    assert "Traceback" not in done.stderr


def test_notify_missing_secret_variable_is_named_never_its_value(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n  - name: desk\n    webhooks:\n"
        "      - {url_env: DESK_HOOK_URL, secret_env: DESK_HOOK_SECRET}\n"
    )
    env = {
        **NO_BROKER,
        "NEWSSTREAM_RULES_FILE": str(rules),
        "DESK_HOOK_URL": "https://hooks.example.org/T0/very-secret-path",
    }
    done = run_cli(["notify"], env, timeout=60)
    assert done.returncode == 1
    assert "DESK_HOOK_SECRET" in done.stderr and "is not set" in done.stderr
    assert "very-secret-path" not in done.stderr + done.stdout


def test_notify_grace_option() -> None:
    args = build_parser().parse_args(["notify", "--grace", "2.5"])
    assert args.grace == 2.5
    assert build_parser().parse_args(["notify"]).grace is None
