"""One set of credentials serves aiokafka and Faust alike, and never shows the password."""

from __future__ import annotations

from typing import Any

import faust
import pytest
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth

from streams.runtime.kafka import client_kwargs, credentials, producer_kwargs
from streams.settings import Settings

SECRET = "hunter2-very-secret"


def _settings(protocol: str, **extra: Any) -> Settings:
    return Settings.model_validate({"security_protocol": protocol, **extra})


def _set(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments without those left None (aiokafka's defaults)."""
    return {k: v for k, v in kwargs.items() if v is not None}


@pytest.mark.parametrize("protocol", ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"])
def test_kafka_faust_gets_what_the_aiokafka_clients_get(protocol: str) -> None:
    creds = credentials(
        _settings(
            protocol, sasl_mechanism="SCRAM-SHA-256", sasl_username="svc", sasl_password=SECRET
        )
    )
    faust_kwargs = dict(credentials_to_aiokafka_auth(creds.faust()))
    assert _set(faust_kwargs) == _set(creds.aiokafka_kwargs())
    assert faust_kwargs["security_protocol"] == protocol


def test_kafka_sasl_defaults_to_plain_and_ssl_alone_has_no_login() -> None:
    sasl = credentials(_settings("SASL_SSL", sasl_username="svc", sasl_password=SECRET))
    assert isinstance(sasl.faust(), faust.SASLCredentials)
    assert sasl.aiokafka_kwargs()["sasl_mechanism"] == "PLAIN"
    assert sasl.aiokafka_kwargs()["sasl_plain_password"] == SECRET
    tls = credentials(_settings("SSL", sasl_username="svc", sasl_password=SECRET))
    assert isinstance(tls.faust(), faust.SSLCredentials)
    assert set(tls.aiokafka_kwargs()) == {"security_protocol", "ssl_context"}
    assert credentials(_settings("PLAINTEXT")).faust() is None


def test_kafka_credentials_never_show_the_password() -> None:
    settings = _settings("SASL_PLAINTEXT", sasl_username="svc", sasl_password=SECRET)
    creds = credentials(settings)
    assert SECRET not in repr(creds) + str(creds) + repr(creds.faust())
    assert client_kwargs(settings)["bootstrap_servers"] == settings.bootstrap_servers


def test_kafka_producers_batch_up_to_a_megabyte_and_the_publisher_does_not_linger() -> None:
    """Enriched articles (~10 KB) share a batch instead of one batch each (the embedded broker
    lists a partition's batches at every fetch); the worker's publisher sends at once."""
    settings = _settings("PLAINTEXT", broker_kind="embedded")
    kwargs = producer_kwargs(settings)
    assert kwargs["max_batch_size"] >= 1024 * 1024 > 100 * 10_000
    assert kwargs["linger_ms"] == 5 and producer_kwargs(settings, linger_ms=0)["linger_ms"] == 0
