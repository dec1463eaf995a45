"""Settings come from NEWSSTREAM_* variables, are validated, and never show secrets."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import Field, SecretStr

from streams.commands.broker import free_port
from streams.errors import ConfigError
from streams.runtime.kafka import (
    client_kwargs,
    describe_broker,
    idempotence_supported,
    producer_kwargs,
)
from streams.settings import Settings, load_settings, main, settings_table


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSSTREAM_BROKER", "kafka://a:9092,b:9093")
    monkeypatch.setenv("NEWSSTREAM_PARTITIONS", "12")
    monkeypatch.setenv("NEWSSTREAM_ALERT_MIN_LEVEL", "high")
    settings = Settings()
    assert settings.bootstrap_servers == "a:9092,b:9093"
    assert settings.faust_broker == "kafka://a:9092;kafka://b:9093"
    assert settings.partitions == 12
    assert settings.alert_min_level == "high"


def test_settings_reject_invalid_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSSTREAM_PARTITIONS", "zero")
    load_settings.cache_clear()
    with pytest.raises(ConfigError, match="NEWSSTREAM_PARTITIONS"):
        load_settings()
    load_settings.cache_clear()


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("PARTITIONS", "abc", "input should be a valid integer"),
        ("BROKER", "localhost:notaport", "is not host:port with a port from 1 to 65535"),
        ("BROKER", "kafka://127.0.0.1:99999", "is not host:port"),
        ("BROKER", "a:9092,,b:9092", "is not host:port"),
        ("SOURCE_TZ", "Mars/Olympus", "is not an IANA time zone"),
        ("SOURCE_TZ", "../etc/passwd", "is not an IANA time zone"),
        ("SOURCE_TZ", "Europe", "is not an IANA time zone"),
        ("SOURCE_TZ", "A/" * 60, "is not an IANA time zone"),
    ],
)
def test_settings_invalid_value_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, says: str
) -> None:
    monkeypatch.setenv(f"NEWSSTREAM_{variable}", value)
    load_settings.cache_clear()
    with pytest.raises(ConfigError) as caught:
        load_settings()
    load_settings.cache_clear()
    message = str(caught.value)
    assert message.startswith(f"invalid configuration: NEWSSTREAM_{variable}: ")
    assert says in message
    assert "\n" not in message and "pydantic" not in message


@pytest.mark.parametrize(
    "broker", ["localhost:9092", "kafka://a:9092,b:9093", "broker-1", "[::1]:9092"]
)
def test_settings_accept_broker_lists(broker: str) -> None:
    assert Settings(broker=broker).broker == broker


def test_settings_accept_known_zones() -> None:
    assert Settings(source_tz="Europe/Warsaw").source_tz == "Europe/Warsaw"


def test_settings_command_options_are_named_as_typed() -> None:
    from streams.settings import settings_from

    with pytest.raises(ConfigError, match=r"^invalid configuration: --partitions: .*\(got 0\)$"):
        settings_from({"partitions": "--partitions"}, partitions=0)


def test_settings_keep_passwords_secret(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("NEWSSTREAM_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("NEWSSTREAM_SASL_MECHANISM", "SCRAM-SHA-512")
    monkeypatch.setenv("NEWSSTREAM_SASL_USERNAME", "svc-news")
    monkeypatch.setenv("NEWSSTREAM_SASL_PASSWORD", "hunter2-very-secret")
    settings = Settings()
    logging.getLogger("test").warning(
        "settings: %s / %r / %s", settings, settings, describe_broker(settings)
    )
    assert "hunter2-very-secret" not in caplog.text
    assert "hunter2-very-secret" not in repr(settings) + str(settings.model_dump())
    kwargs = client_kwargs(settings)
    assert kwargs["sasl_plain_password"] == "hunter2-very-secret"
    assert kwargs["sasl_mechanism"] == "SCRAM-SHA-512"


def test_settings_idempotence_only_on_apache_kafka() -> None:
    assert producer_kwargs(Settings(broker_kind="kafka"))["enable_idempotence"] is True
    assert producer_kwargs(Settings(broker_kind="embedded"))["enable_idempotence"] is False


def test_settings_auto_broker_kind_counts_a_silent_broker_as_kafka() -> None:
    """Nothing answers: the producer is idempotent, and its start says the broker is down."""
    silent = Settings(broker=f"127.0.0.1:{free_port()}")
    assert silent.broker_kind == "auto"
    assert idempotence_supported(silent) is True
    secured = Settings(broker=silent.broker, security_protocol="SSL")
    assert idempotence_supported(secured) is True


def test_settings_round_trip_through_worker_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    original = Settings(
        broker="k1:9092",
        partitions=7,
        sasl_username="svc",
        sasl_password="pw-1",  # type: ignore[arg-type]
        rules_file=None,
    ).isolated("run-1")
    env = original.as_env()
    assert env["NEWSSTREAM_TOPIC_RAW"] == "run-1.raw"
    assert env["NEWSSTREAM_APP_ID"] == "newsstream-run-1"
    assert "NEWSSTREAM_RULES_FILE" not in env
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    rebuilt = Settings()
    assert rebuilt == original
    assert rebuilt.sasl_password is not None and rebuilt.sasl_password.get_secret_value() == "pw-1"


def test_settings_table_lists_every_variable_with_its_default() -> None:
    table = settings_table()
    rows = {line.split(" | ")[0].strip("| `"): line for line in table.splitlines()[2:]}
    assert list(rows) == [f"NEWSSTREAM_{name.upper()}" for name in Settings.model_fields]
    assert "| `localhost:9092` |" in rows["NEWSSTREAM_BROKER"]
    assert "| `172800` |" in rows["NEWSSTREAM_DEDUP_WINDOW_S"]
    assert (
        "One of `none`, `low`, `medium`, `high`, `critical`." in rows["NEWSSTREAM_ALERT_MIN_LEVEL"]
    )
    assert "At least 1, at most 1024." in rows["NEWSSTREAM_PARTITIONS"]
    assert "| – |" in rows["NEWSSTREAM_SASL_PASSWORD"]


def test_settings_table_reads_no_environment_and_shows_no_secret(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = settings_table()
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("NEWSSTREAM_SASL_PASSWORD=from-dotenv-secret\n")
    monkeypatch.setenv("NEWSSTREAM_SASL_PASSWORD", "hunter2-very-secret")
    monkeypatch.setenv("NEWSSTREAM_BROKER", "private-host:9092")
    after = settings_table()
    assert after == before
    assert "hunter2" not in after and "from-dotenv" not in after and "private-host" not in after


def test_settings_table_hides_a_secret_that_has_a_default() -> None:
    class WithDefault(Settings):
        sasl_password: SecretStr | None = Field(
            default=SecretStr("built-in-secret"), description="a secret with a default"
        )

    table = settings_table(WithDefault)
    assert "built-in-secret" not in table
    assert "| `NEWSSTREAM_SASL_PASSWORD` | (secret) |" in table


def test_settings_command_checks_and_rewrites_the_readme(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = tmp_path / "README.md"
    begin = "<!-- begin {}: generated by `python -m streams.settings --readme`, do not edit -->"
    readme.write_text(
        "# x\n\n"
        + "\n\n".join(
            f"{begin.format(n)}\nstale\n<!-- end {n} -->"
            for n in ("settings-table", "error-types-table")
        )
        + "\n\nafter\n"
    )
    assert main(["--check", "--path", str(readme)]) == 1
    assert main(["--readme", "--path", str(readme)]) == 0
    assert main(["--check", "--path", str(readme)]) == 0
    text = readme.read_text()
    assert "stale" not in text and settings_table() in text and text.endswith("after\n")
    assert main(["--markdown"]) == 0
    assert settings_table() in capsys.readouterr().out
