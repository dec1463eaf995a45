"""SASL on Apache Kafka: commands and a worker authenticate and never show the password."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from streams.apache_kafka import ApacheKafkaBroker
from streams.settings import Settings
from streams.topics import topic_specs
from tests.articles import CALM_SPORT, CLEAN_ESCALATION
from tests.integration.conftest import make_settings, worker_env
from tests.integration.kafka_io import read_topics
from tests.integration.kafka_io import run_cli as run

pytestmark = [
    pytest.mark.integration,
    pytest.mark.needs_kafka(reason="the embedded broker has no SASL listener"),
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


def command_env(settings: Settings, data_dir: Path) -> dict[str, str]:
    """A worker's environment plus the broker, the SASL settings and verbose JSON logs."""
    assert settings.sasl_mechanism is not None and settings.sasl_password is not None
    return {
        **worker_env(settings, data_dir),
        "NEWSSTREAM_BROKER": settings.bootstrap_servers,
        "NEWSSTREAM_SECURITY_PROTOCOL": settings.security_protocol,
        "NEWSSTREAM_SASL_MECHANISM": settings.sasl_mechanism,
        "NEWSSTREAM_SASL_USERNAME": settings.sasl_username or "",
        "NEWSSTREAM_SASL_PASSWORD": settings.sasl_password.get_secret_value(),
        "NEWSSTREAM_METRICS_PORT": "0",
        "NEWSSTREAM_LOG_FORMAT": "json",
        "NEWSSTREAM_LOG_LEVEL": "DEBUG",
    }


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_security_sasl_topics_produce_worker(
    sasl_kafka: ApacheKafkaBroker, mechanism: str, tmp_path: Path
) -> None:
    assert sasl_kafka.sasl_user is not None
    password = sasl_kafka.sasl_user.password
    settings = sasl_settings(sasl_kafka, mechanism, password)
    env = command_env(settings, tmp_path)

    topics = run(["topics", "--create", "--json"], env)
    assert topics.returncode == 0, topics.stderr
    states = {t["name"]: (t["exists"], t["created"]) for t in orjson.loads(topics.stdout)}
    assert states == {spec.name: (True, True) for spec in topic_specs(settings)}

    feed = tmp_path / "two.jsonl"
    feed.write_bytes(orjson.dumps(CLEAN_ESCALATION) + b"\n" + orjson.dumps(CALM_SPORT) + b"\n")
    produced = run(["produce", str(feed), "--json"], env)
    assert produced.returncode == 0, produced.stderr
    assert orjson.loads(produced.stdout)["sent"] == 2

    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "streams", "worker"],
            env={**os.environ, **env},
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    try:
        seen = asyncio.run(
            read_topics(
                settings,
                [settings.topic_enriched],
                lambda got: len(got[settings.topic_enriched]) >= 2,
                timeout=90,
                settle=0.5,
            )
        )
    finally:
        worker.terminate()
        code = worker.wait(timeout=30)
    worker_log = log_path.read_text(errors="replace")
    assert code == 0, worker_log[-3000:]
    ids = sorted(str(value["article_id"]) for _key, value in seen[settings.topic_enriched])
    assert ids == ["calm-sport-1", "esc-json-1"], worker_log[-3000:]

    entries = [orjson.loads(line) for line in worker_log.splitlines() if line.startswith("{")]
    debug = [e["msg"] for e in entries if e["level"] == "DEBUG" and e["logger"] == "streams.agents"]
    assert any(msg.startswith("enriched esc-json-1") for msg in debug), worker_log[-3000:]
    for output in (topics.stdout, topics.stderr, produced.stdout, produced.stderr, worker_log):
        assert password not in output


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_security_wrong_password_is_one_line_and_exit_1(
    sasl_kafka: ApacheKafkaBroker, mechanism: str, tmp_path: Path
) -> None:
    wrong = "not-" + os.urandom(8).hex()
    settings = sasl_settings(sasl_kafka, mechanism, wrong)
    done = run(["topics"], command_env(settings, tmp_path))
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("newsstream topics: "), lines[0]
    assert "Traceback" not in done.stderr
    assert "authentication" in lines[0].lower(), lines[0]
    assert wrong not in done.stderr
