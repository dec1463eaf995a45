"""Settings come from NEWSSTREAM_* variables, are validated, and never show secrets."""

from __future__ import annotations

import logging

import pytest

from streams.errors import ConfigError
from streams.runtime.kafka import client_kwargs, describe_broker, producer_kwargs
from streams.settings import Settings, load_settings


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
    with pytest.raises(ConfigError, match="partitions"):
        load_settings()
    load_settings.cache_clear()


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
