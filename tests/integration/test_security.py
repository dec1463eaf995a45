"""SASL and TLS on Apache Kafka: clients authenticate, check the certificate, hide passwords."""

from __future__ import annotations

import asyncio
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams.runtime.topics import topic_specs
from streams.settings import Settings
from tests.support.apache_kafka import ApacheKafkaBroker
from tests.support.articles import CALM_SPORT, CLEAN_ESCALATION, write_jsonl
from tests.support.brokers import make_settings, worker_env
from tests.support.kafka_io import newsstream_worker, read_topics
from tests.support.kafka_io import run_cli as run
from tests.support.kafka_node import make_ca

pytestmark = [
    pytest.mark.integration,
    pytest.mark.needs_kafka(reason="the embedded broker has no SASL or TLS listener"),
]

MECHANISMS = ["PLAIN", "SCRAM-SHA-512"]


def sasl_settings(kafka: ApacheKafkaBroker, mechanism: str, password: str) -> Settings:
    """Settings on the SASL listener as the launcher's user; topics left to the commands."""
    assert kafka.sasl_user is not None
    return make_settings(
        kafka.sasl_bootstrap,
        "kafka",
        create_topics=False,
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism=mechanism,
        sasl_username=kafka.sasl_user.username,
        sasl_password=password,
    )


def tls_settings(kafka: ApacheKafkaBroker, protocol: str, ca_file: Path) -> Settings:
    """Settings on the SSL or SASL_SSL listener, trusting `ca_file`; topics left to commands."""
    sasl: dict[str, Any] = {}
    if protocol == "SASL_SSL":
        assert kafka.sasl_user is not None
        sasl = {
            "sasl_mechanism": "SCRAM-SHA-512",
            "sasl_username": kafka.sasl_user.username,
            "sasl_password": kafka.sasl_user.password,
        }
    bootstrap = kafka.ssl_bootstrap if protocol == "SSL" else kafka.sasl_ssl_bootstrap
    return make_settings(
        bootstrap,
        "kafka",
        create_topics=False,
        security_protocol=protocol,
        ssl_cafile=str(ca_file),
        **sasl,
    )


def one_line_error(done: subprocess.CompletedProcess[str], command: str) -> str:
    """The failed command's only output: one stderr line `newsstream COMMAND: ...`, exit 1."""
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"newsstream {command}: "), lines[0]
    assert "Traceback" not in done.stderr
    return lines[0]


def command_env(settings: Settings, data_dir: Path) -> dict[str, str]:
    """A worker's environment (broker and security settings included) and verbose JSON logs."""
    return {
        **worker_env(settings, data_dir),
        "NEWSSTREAM_LOG_FORMAT": "json",
        "NEWSSTREAM_LOG_LEVEL": "DEBUG",
    }


@dataclass
class RoundTrip:
    """What `topics --create`, `produce` of two articles and a worker did."""

    topic_states: dict[str, tuple[bool, bool]]
    sent: int
    worker_code: int | None  # None: still running after SIGKILL
    worker_log: str
    enriched_ids: list[str]
    outputs: list[str]  # every command's stdout and stderr, and the worker's log

    def enriched_logged(self, article_id: str) -> bool:
        """True when the worker logged enriching `article_id` at DEBUG."""
        lines = [line for line in self.worker_log.splitlines() if line.startswith("{")]
        entries = [orjson.loads(line) for line in lines]
        return any(
            e["level"] == "DEBUG"
            and e["logger"] == "streams.agents"
            and e["msg"].startswith(f"enriched {article_id}")
            for e in entries
        )

    def check(self, settings: Settings, secret: str) -> None:
        """Every topic created, both articles sent, enriched and logged; `secret` in no output."""
        assert self.topic_states == {spec.name: (True, True) for spec in topic_specs(settings)}
        assert self.sent == 2
        assert self.worker_code == 0, self.worker_log[-3000:]
        assert self.enriched_ids == ["calm-sport-1", "esc-json-1"], self.worker_log[-3000:]
        assert self.enriched_logged("esc-json-1"), self.worker_log[-3000:]
        for output in self.outputs:
            assert secret not in output


def round_trip(settings: Settings, env: dict[str, str], tmp_path: Path) -> RoundTrip:
    """Create the topics and produce two articles with the CLI; a worker enriches them."""
    topics = run(["topics", "--create", "--json"], env)
    assert topics.returncode == 0, topics.stderr
    states = {t["name"]: (t["exists"], t["created"]) for t in orjson.loads(topics.stdout)}

    feed = write_jsonl(tmp_path / "two.jsonl", CLEAN_ESCALATION, CALM_SPORT)
    produced = run(["produce", str(feed), "--json"], env)
    assert produced.returncode == 0, produced.stderr

    log_path = tmp_path / "worker.log"
    with newsstream_worker(env, log_path) as worker:
        seen = asyncio.run(
            read_topics(
                settings,
                [settings.topic_enriched],
                lambda got: len(got[settings.topic_enriched]) >= 2,
                timeout=90,
                settle=0.5,
            )
        )
    worker_log = log_path.read_text(errors="replace")
    return RoundTrip(
        topic_states=states,
        sent=orjson.loads(produced.stdout)["sent"],
        worker_code=worker.returncode,
        worker_log=worker_log,
        enriched_ids=sorted(str(v["article_id"]) for _k, v in seen[settings.topic_enriched]),
        outputs=[topics.stdout, topics.stderr, produced.stdout, produced.stderr, worker_log],
    )


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_security_sasl_topics_produce_worker(
    sasl_kafka: ApacheKafkaBroker, mechanism: str, tmp_path: Path
) -> None:
    assert sasl_kafka.sasl_user is not None
    password = sasl_kafka.sasl_user.password
    settings = sasl_settings(sasl_kafka, mechanism, password)

    trip = round_trip(settings, command_env(settings, tmp_path), tmp_path)

    trip.check(settings, password)


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_security_wrong_password_is_one_line_and_exit_1(
    sasl_kafka: ApacheKafkaBroker, mechanism: str, tmp_path: Path
) -> None:
    wrong = "not-" + os.urandom(8).hex()
    settings = sasl_settings(sasl_kafka, mechanism, wrong)
    done = run(["topics"], command_env(settings, tmp_path))
    line = one_line_error(done, "topics")
    assert "authentication" in line.lower(), line
    assert wrong not in done.stderr


@pytest.mark.parametrize("protocol", ["SSL", "SASL_SSL"])
def test_security_tls_topics_produce_worker(
    tls_kafka: ApacheKafkaBroker, protocol: str, tmp_path: Path
) -> None:
    settings = tls_settings(tls_kafka, protocol, tls_kafka.ca_file)
    assert settings.security_protocol == protocol
    assert tls_kafka.sasl_user is not None

    trip = round_trip(settings, command_env(settings, tmp_path), tmp_path)

    trip.check(settings, tls_kafka.sasl_user.password)


def test_security_tls_plaintext_client_on_tls_port_fails(tls_kafka: ApacheKafkaBroker) -> None:
    """The SSL listener really speaks TLS: a PLAINTEXT client gets no answer from it."""
    env = {"NEWSSTREAM_BROKER": tls_kafka.ssl_bootstrap, "NEWSSTREAM_BROKER_KIND": "kafka"}
    one_line_error(run(["topics"], env), "topics")


@pytest.mark.parametrize("command", ["topics", "produce"])
def test_security_tls_wrong_ca_is_one_line_and_exit_1(
    tls_kafka: ApacheKafkaBroker, command: str, tmp_path: Path
) -> None:
    wrong_ca = make_ca(tmp_path / "other-ca", "not-the-broker-ca")
    settings = tls_settings(tls_kafka, "SSL", wrong_ca)
    feed = write_jsonl(tmp_path / "one.jsonl", CLEAN_ESCALATION)
    args = ["produce", str(feed)] if command == "produce" else [command]
    line = one_line_error(run(args, command_env(settings, tmp_path)), command)
    assert f"{tls_kafka.ssl_bootstrap} (SSL)" in line, line
    assert "certificate" in line and "NEWSSTREAM_SSL_CAFILE" in line, line
