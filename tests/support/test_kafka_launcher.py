"""The Apache Kafka launcher's broker settings, and stopping a child's process group."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from streams.commands.broker import stop_process_group
from tests.support.apache_kafka import (
    SASL_MECHANISMS,
    SaslUser,
    TlsFiles,
    replication_settings,
    sasl_properties,
    tls_properties,
)
from tests.support.kafka_node import LISTENER_PROTOCOLS, KafkaNode


@pytest.mark.parametrize(
    ("sasl", "tls", "names"),
    [
        (False, False, {"PLAINTEXT", "CONTROLLER"}),
        (True, False, {"PLAINTEXT", "CONTROLLER", "SASL"}),
        (False, True, {"PLAINTEXT", "CONTROLLER", "SSL"}),
        (True, True, {"PLAINTEXT", "CONTROLLER", "SASL", "SSL", "SASL_SSL"}),
    ],
)
def test_kafka_node_listeners_follow_options(sasl: bool, tls: bool, names: set[str]) -> None:
    node = KafkaNode(1, "127.0.0.1", sasl, tls)
    ports = node.listeners()
    assert set(ports) == names
    assert len(set(ports.values())) == len(ports)  # one port per listener
    assert all(name in LISTENER_PROTOCOLS for name in ports)


def test_kafka_node_listener_protocols_match_names() -> None:
    assert LISTENER_PROTOCOLS["SASL"] == "SASL_PLAINTEXT"
    assert LISTENER_PROTOCOLS["SSL"] == "SSL"
    assert LISTENER_PROTOCOLS["SASL_SSL"] == "SASL_SSL"


@pytest.mark.parametrize("listeners", [["SASL"], ["SASL", "SASL_SSL"]])
def test_apache_kafka_sasl_properties_cover_each_listener(listeners: list[str]) -> None:
    user = SaslUser("reader", "pw-123")
    settings = sasl_properties(user, listeners)
    assert settings["sasl.enabled.mechanisms"] == ",".join(SASL_MECHANISMS)
    for listener in listeners:
        prefix = f"listener.name.{listener.lower()}"
        assert 'user_reader="pw-123"' in settings[f"{prefix}.plain.sasl.jaas.config"]
        for mechanism in ("scram-sha-256", "scram-sha-512"):
            assert "ScramLoginModule" in settings[f"{prefix}.{mechanism}.sasl.jaas.config"]
    assert len(settings) == 1 + 3 * len(listeners)


def test_apache_kafka_tls_properties_name_the_keystore(tmp_path: Path) -> None:
    files = TlsFiles(tmp_path / "ca.pem", tmp_path / "server.p12", "secret-pw")
    settings = tls_properties(files)
    assert settings["ssl.keystore.type"] == "PKCS12"
    assert settings["ssl.keystore.location"] == str(tmp_path / "server.p12")
    assert settings["ssl.keystore.password"] == settings["ssl.key.password"] == "secret-pw"
    assert "secret-pw" not in repr(files)


@pytest.mark.parametrize(("size", "factor", "min_isr"), [(1, "1", "1"), (3, "3", "2")])
def test_apache_kafka_replication_settings(size: int, factor: str, min_isr: str) -> None:
    settings = replication_settings(size)
    assert settings["default.replication.factor"] == factor
    assert settings["offsets.topic.replication.factor"] == factor
    assert settings["min.insync.replicas"] == min_isr


def _shell(script: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(["sh", "-c", script], start_new_session=True)  # noqa: S603, S607


def test_broker_stop_process_group_lets_a_child_exit_on_sigterm() -> None:
    proc = _shell("trap 'exit 3' TERM; sleep 30 & wait")
    time.sleep(0.3)  # let the shell install its trap
    stop_process_group(proc, timeout=10)
    assert proc.returncode == 3


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads /proc")
def test_broker_stop_process_group_kills_a_child_that_ignores_sigterm(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild.pid"
    proc = _shell(f"trap '' TERM; sleep 30 & echo $! > {pid_file}; wait; wait")
    deadline = time.monotonic() + 5
    while not pid_file.is_file() or not pid_file.read_text().strip():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    grandchild = int(pid_file.read_text())
    started = time.monotonic()
    stop_process_group(proc, timeout=0.5)
    assert proc.returncode == -9
    assert time.monotonic() - started < 5
    deadline = time.monotonic() + 5
    while _alive(grandchild):  # killed with the group
        assert time.monotonic() < deadline, "the grandchild outlived its process group"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    """True while `pid` runs (a zombie awaiting its reaper counts as dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"
