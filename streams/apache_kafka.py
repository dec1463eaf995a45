"""A single-node Apache Kafka broker (KRaft, combined mode) on loopback, as a child process.

It takes the embedded broker's place behind the `BrokerLauncher` interface (DESIGN §5) when a
test needs what only Apache Kafka has: idempotent producers, durable logs, a broker restart.
The jars come from Maven Central through `tools/kafka/fetch-jars.sh`; a JDK 17+ runs them.
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from types import TracebackType
from typing import Self

from streams.broker import free_port, kafka_answers
from streams.errors import BrokerUnavailableError, ConfigError

__all__ = [
    "KAFKA_VERSION",
    "ApacheKafkaBroker",
    "KafkaJarsMissingError",
    "default_lib_dir",
    "find_kafka_lib",
    "broker_registered",
]

#: The Kafka release tools/kafka/pom.xml resolves; the default cache directory is named after it.
KAFKA_VERSION = "4.1.1"
#: Seconds for a fresh or restarted broker to format, start and register itself.
STARTUP_TIMEOUT_S = 60.0
#: Seconds a broker gets to shut down cleanly on SIGTERM before it is killed.
STOP_TIMEOUT_S = 30.0
#: JVM options: a heap far below the JVM default, ample for test traffic on one node.
JVM_OPTS = ("-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-Djava.awt.headless=true")
#: The log4j2 configuration in a source checkout (warnings to stderr); absent from a wheel.
LOG4J_CONFIG = Path(__file__).resolve().parents[1] / "tools" / "kafka" / "log4j2.properties"
#: Broker settings beyond listeners and paths. Replication factors of 1 because there is one
#: node; a few partitions for the internal topics so the first consumer group starts fast;
#: no rebalance delay so a test's worker gets its partitions at once; topics only on request
#: so every topic has the partition count the test asked for.
BROKER_DEFAULTS: dict[str, str] = {
    "offsets.topic.replication.factor": "1",
    "offsets.topic.num.partitions": "5",
    "transaction.state.log.replication.factor": "1",
    "transaction.state.log.min.isr": "1",
    "transaction.state.log.num.partitions": "5",
    "share.coordinator.state.topic.replication.factor": "1",
    "share.coordinator.state.topic.min.isr": "1",
    "group.initial.rebalance.delay.ms": "0",
    "auto.create.topics.enable": "false",
    "num.partitions": "1",
    "default.replication.factor": "1",
    "min.insync.replicas": "1",
}


class KafkaJarsMissingError(ConfigError):
    """No Apache Kafka jars where the launcher was told to look."""


def default_lib_dir() -> Path:
    """Where tools/kafka/fetch-jars.sh puts the jars unless told otherwise."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "newsstream" / f"kafka-{KAFKA_VERSION}" / "lib"


def find_kafka_lib(lib_dir: str | Path | None = None) -> Path:
    """The jars directory: the argument, else $NEWSSTREAM_KAFKA_LIB, else the default cache."""
    chosen = lib_dir or os.environ.get("NEWSSTREAM_KAFKA_LIB") or default_lib_dir()
    path = Path(chosen).expanduser()
    if not any(path.glob("kafka_2.13-*.jar")):
        raise KafkaJarsMissingError(
            f"no Apache Kafka jars in {path}: run tools/kafka/fetch-jars.sh (needs a JDK 17+ "
            "and Maven) and set NEWSSTREAM_KAFKA_LIB to the directory it prints"
        )
    return path


def broker_registered(host: str, port: int, timeout: float = 1.0) -> bool:
    """True when a Metadata (v4) request lists at least one live broker.

    A KRaft broker answers on its port before it has registered with the controller and been
    unfenced; until then it lists no brokers and cannot place a topic's replicas.
    """
    client_id = b"newsstream-probe"
    header = struct.pack(">hhih", 3, 4, 11, len(client_id)) + client_id
    body = header + struct.pack(">ib", 0, 0)  # no topics, no auto-creation
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(struct.pack(">i", len(body)) + body)
            reply = b""
            while len(reply) < 16 and (chunk := sock.recv(16 - len(reply))):
                reply += chunk
    except OSError:
        return False
    if len(reply) < 16:
        return False
    correlation, _throttle, brokers = struct.unpack(">iii", reply[4:16])
    return bool(correlation == 11 and brokers > 0)


def _cluster_id() -> str:
    """A random cluster id in Kafka's form: 16 bytes, URL-safe base64, no padding."""
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not text.startswith("-"):  # Kafka rejects ids that read like a command-line flag
            return text


def _java() -> str:
    home = os.environ.get("JAVA_HOME")
    candidate = Path(home) / "bin" / "java" if home else None
    if candidate is not None and candidate.is_file():
        return str(candidate)
    found = shutil.which("java")
    if found is None:
        raise BrokerUnavailableError("no `java` on PATH: Apache Kafka needs a JDK 17 or newer")
    return found


class ApacheKafkaBroker:
    """Apache Kafka in KRaft combined mode (broker and controller in one JVM), data on disk.

    The log directory is a fresh temporary directory (under `base_dir` when given, else the
    system's). The ports are chosen once, so a restart on the same log directory (`restart()`, or
    `stop(keep_data=True)` then `start()`) comes back at the same bootstrap address.
    """

    def __init__(
        self,
        lib_dir: str | Path | None = None,
        host: str = "127.0.0.1",
        base_dir: str | Path | None = None,
    ) -> None:
        self.lib_dir = find_kafka_lib(lib_dir)
        self.host = host
        self.base_dir = base_dir
        self.port = free_port(host)
        self.controller_port = free_port(host)
        self.workdir: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def log_path(self) -> Path | None:
        """The broker's stdout and stderr (kafka.log in its work directory)."""
        return self.workdir / "kafka.log" if self.workdir is not None else None

    @property
    def pid(self) -> int | None:
        """Process id of the running broker, or None."""
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _classpath(self) -> str:
        return str(self.lib_dir / "*")

    def _write_config(self, workdir: Path) -> Path:
        settings = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@{self.host}:{self.controller_port}",
            "listeners": (
                f"PLAINTEXT://{self.host}:{self.port},CONTROLLER://{self.host}:{self.controller_port}"
            ),
            "advertised.listeners": f"PLAINTEXT://{self.host}:{self.port}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs": str(workdir / "data"),
            **BROKER_DEFAULTS,
        }
        path = workdir / "server.properties"
        path.write_text("".join(f"{key}={value}\n" for key, value in settings.items()))
        return path

    def _format(self, workdir: Path) -> Path:
        """Write server.properties and format the log directory with a fresh cluster id."""
        config = self._write_config(workdir)
        cmd = [_java(), "-cp", self._classpath(), "kafka.tools.StorageTool"]
        cmd += ["format", "-t", _cluster_id(), "-c", str(config)]
        done = subprocess.run(  # noqa: S603 - a JVM on the jars we were given, fixed arguments
            cmd, capture_output=True, text=True, timeout=STARTUP_TIMEOUT_S, check=False
        )
        if done.returncode != 0:
            raise BrokerUnavailableError(
                f"formatting Kafka storage failed ({done.returncode}): "
                f"{(done.stdout + done.stderr).strip()[-2000:]}"
            )
        return config

    def start(self) -> str:
        """Start the broker (formatting a new log directory first) and wait until it serves."""
        if self.running:
            return self.bootstrap
        if self.workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="newsstream-kafka-", dir=self.base_dir))
            config = self._format(self.workdir)
        else:
            config = self.workdir / "server.properties"
        cmd = [_java(), *JVM_OPTS]
        if LOG4J_CONFIG.is_file():
            cmd.append(f"-Dlog4j2.configurationFile={LOG4J_CONFIG}")
        cmd += ["-cp", self._classpath(), "kafka.Kafka", str(config)]
        with (self.workdir / "kafka.log").open("ab") as log:
            self._proc = subprocess.Popen(  # noqa: S603 - a JVM on our jars, fixed arguments
                cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
            )
        try:
            self._wait_ready(self._proc)
        except BaseException:
            self.stop(keep_data=True)
            raise
        return self.bootstrap

    def _wait_ready(self, proc: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise BrokerUnavailableError(
                    f"Apache Kafka exited with code {proc.returncode}:\n{self._log_tail()}"
                )
            if kafka_answers(self.host, self.port) and broker_registered(self.host, self.port):
                return
            time.sleep(0.2)
        raise BrokerUnavailableError(
            f"Apache Kafka did not serve on {self.bootstrap} within {STARTUP_TIMEOUT_S:.0f} s:\n"
            f"{self._log_tail()}"
        )

    def _log_tail(self, size: int = 3000) -> str:
        path = self.log_path
        if path is None or not path.is_file():
            return ""
        return path.read_text(errors="replace")[-size:]

    def stop(self, keep_data: bool = False) -> None:
        """Stop the broker (SIGTERM, then SIGKILL); remove its directory unless `keep_data`."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        if not keep_data and self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def restart(self) -> str:
        """Stop the broker and start it again on the same log directory and ports."""
        self.stop(keep_data=True)
        return self.start()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
