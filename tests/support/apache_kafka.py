"""Apache Kafka on loopback as child processes (KRaft): one node, or a cluster of a few.

It takes the embedded broker's place behind the `BrokerLauncher` interface
(`streams.commands.broker`) when a test needs what only Apache Kafka has:
idempotent producers, durable logs, a broker restart, replication across nodes, SASL
authentication, TLS. Every node runs broker and controller in one JVM
(`tests.support.kafka_node`); a cluster's nodes form a static controller quorum of all of
them. Client traffic goes to a PLAINTEXT listener, plus a SASL_PLAINTEXT one (PLAIN and SCRAM)
with `sasl=True`, an SSL one with `tls=True`, and a SASL_SSL one with both; the certificate
comes from a throwaway CA made at start (`ca_file`). Nodes talk to each other over PLAINTEXT
on loopback. The jars come from Maven Central through `tools/kafka/fetch-jars.sh`; a JDK 17+
runs them.
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import signal
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict, Unpack

from streams.commands.broker import LauncherContext
from streams.errors import ConfigError
from tests.support.kafka_node import (
    CONTROLLER_LISTENER,
    LISTENER_PROTOCOLS,
    PLAIN_LISTENER,
    SASL_LISTENER,
    SASL_SSL_LISTENER,
    SSL_LISTENER,
    STARTUP_TIMEOUT_S,
    KafkaNode,
    TlsFiles,
    jdk_tool,
    make_tls_files,
    registered_brokers,
    run_jdk_tool,
)

__all__ = [
    "KAFKA_VERSION",
    "SASL_MECHANISMS",
    "ApacheKafkaBroker",
    "ApacheKafkaCluster",
    "KafkaJarsMissingError",
    "KafkaNode",
    "LauncherOptions",
    "SaslUser",
    "TlsFiles",
    "default_lib_dir",
    "find_kafka_lib",
    "registered_brokers",
    "replication_settings",
    "sasl_properties",
    "tls_properties",
]

#: The Kafka release tools/kafka/pom.xml resolves; the default cache directory is named after it.
KAFKA_VERSION = "4.1.1"
#: JVM options: a heap far below the JVM default, ample for test traffic. A cluster's three
#: JVMs share a 2-core test machine, so each gets a smaller heap (measured: a 3-node cluster
#: with 384 MB heaps starts in well under STARTUP_TIMEOUT_S).
JVM_OPTS = ("-Xms128m", "-XX:+UseG1GC", "-Djava.awt.headless=true")
SINGLE_NODE_HEAP = "-Xmx512m"
CLUSTER_NODE_HEAP = "-Xmx384m"
#: The log4j2 configuration in a source checkout (warnings to stderr); absent from a wheel.
LOG4J_CONFIG = Path(__file__).resolve().parents[2] / "tools" / "kafka" / "log4j2.properties"
#: Broker settings beyond listeners, paths and replication: a few partitions for the internal
#: topics so the first consumer group starts fast; no rebalance delay so a test's worker gets
#: its partitions at once; topics only on request so every topic has the partition count the
#: test asked for; heartbeats every 0.5 s and fencing after 6 s without one, so a killed
#: cluster node loses its leaderships and leaves the ISRs within seconds (default 9 s).
BROKER_DEFAULTS: dict[str, str] = {
    "offsets.topic.num.partitions": "5",
    "transaction.state.log.num.partitions": "5",
    "group.initial.rebalance.delay.ms": "0",
    "auto.create.topics.enable": "false",
    "num.partitions": "1",
    "broker.heartbeat.interval.ms": "500",
    "broker.session.timeout.ms": "6000",
}
#: The SASL mechanisms the SASL listener offers; one user holds credentials for each.
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")


class KafkaJarsMissingError(ConfigError):
    """No Apache Kafka jars where the launcher was told to look."""


@dataclass(frozen=True)
class SaslUser:
    """The user a launcher with `sasl=True` creates, for PLAIN and every SCRAM mechanism."""

    username: str
    password: str = field(repr=False)

    @classmethod
    def random(cls, username: str = "newsstream") -> SaslUser:
        """A user with a fresh password (hex: safe in JAAS and in StorageTool's SCRAM syntax)."""
        return cls(username, secrets.token_hex(16))


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


def replication_settings(size: int) -> dict[str, str]:
    """Replication of new and internal topics: all nodes up to 3, a write quorum up to 2."""
    factor, min_isr = str(min(size, 3)), str(min(size, 2))
    internal = ("offsets.topic", "transaction.state.log", "share.coordinator.state.topic")
    settings = {f"{name}.replication.factor": factor for name in internal}
    settings |= {f"{name}.min.isr": min_isr for name in internal[1:]}
    return {**settings, "default.replication.factor": factor, "min.insync.replicas": min_isr}


def sasl_properties(user: SaslUser, listeners: list[str]) -> dict[str, str]:
    """SASL settings: PLAIN users in each listener's JAAS config; SCRAM ones live in metadata."""
    plain = "org.apache.kafka.common.security.plain.PlainLoginModule"
    scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;"
    settings = {"sasl.enabled.mechanisms": ",".join(SASL_MECHANISMS)}
    for listener in listeners:
        prefix = f"listener.name.{listener.lower()}"
        settings[f"{prefix}.plain.sasl.jaas.config"] = (
            f'{plain} required user_{user.username}="{user.password}";'
        )
        for mechanism in SASL_MECHANISMS[1:]:
            settings[f"{prefix}.{mechanism.lower()}.sasl.jaas.config"] = scram
    return settings


def tls_properties(files: TlsFiles) -> dict[str, str]:
    """The server side of TLS for every SSL and SASL_SSL listener: a PKCS12 keystore."""
    return {
        "ssl.keystore.type": "PKCS12",
        "ssl.keystore.location": str(files.keystore),
        "ssl.keystore.password": files.password,
        "ssl.key.password": files.password,
        "ssl.client.auth": "none",
    }


def _cluster_id() -> str:
    """A random cluster id in Kafka's form: 16 bytes, URL-safe base64, no padding."""
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not text.startswith("-"):  # Kafka rejects ids that read like a command-line flag
            return text


class LauncherOptions(TypedDict, total=False):
    """What a single broker takes of `ApacheKafkaCluster`'s arguments (all but the size)."""

    lib_dir: str | Path | None
    host: str
    base_dir: str | Path | None
    sasl: bool
    tls: bool


class ApacheKafkaCluster(LauncherContext):
    """`size` Apache Kafka nodes in KRaft combined mode on loopback, data on disk.

    Topics get a replication factor of min(size, 3) and min.insync.replicas of min(size, 2),
    the internal ones included. Everything lives in one fresh temporary directory (under
    `base_dir` when given), a subdirectory per node. One node can be killed and started again
    (`kill_node`, `start_node`); `stop(keep_data=True)` then `start()` restarts them all.
    """

    heap = CLUSTER_NODE_HEAP

    def __init__(
        self,
        size: int = 3,
        lib_dir: str | Path | None = None,
        host: str = "127.0.0.1",
        base_dir: str | Path | None = None,
        sasl: bool = False,
        tls: bool = False,
    ) -> None:
        if size < 1:
            raise ConfigError(f"a Kafka cluster needs at least one node, not {size}")
        self.lib_dir = find_kafka_lib(lib_dir)
        self.host = host
        self.base_dir = base_dir
        self.nodes = [KafkaNode(i + 1, host, sasl, tls) for i in range(size)]
        self.sasl_user = SaslUser.random() if sasl else None
        self.tls = tls
        self.tls_files: TlsFiles | None = None
        self.workdir: Path | None = None

    @property
    def size(self) -> int:
        return len(self.nodes)

    def _addresses(self, listener: str, needs: str) -> str:
        """Every node's address on `listener`, comma-separated; `needs` names the options."""
        ports = [node.listeners().get(listener) for node in self.nodes]
        if None in ports:
            raise ConfigError(f"this Kafka launcher was created without {needs}")
        return ",".join(f"{node.host}:{port}" for node, port in zip(self.nodes, ports, strict=True))

    @property
    def bootstrap(self) -> str:
        """Every node's PLAINTEXT address, comma-separated."""
        return self._addresses(PLAIN_LISTENER, "a PLAINTEXT listener")

    @property
    def sasl_bootstrap(self) -> str:
        """Every node's SASL_PLAINTEXT address, comma-separated (launchers with `sasl=True`)."""
        return self._addresses(SASL_LISTENER, "sasl=True")

    @property
    def ssl_bootstrap(self) -> str:
        """Every node's SSL address, comma-separated (launchers with `tls=True`)."""
        return self._addresses(SSL_LISTENER, "tls=True")

    @property
    def sasl_ssl_bootstrap(self) -> str:
        """Every node's SASL_SSL address (launchers with both `sasl=True` and `tls=True`)."""
        return self._addresses(SASL_SSL_LISTENER, "sasl=True and tls=True")

    @property
    def ca_file(self) -> Path:
        """The throwaway CA's certificate (PEM) that TLS clients trust; made by start()."""
        if self.tls_files is None:
            raise ConfigError("no TLS files: create the launcher with tls=True and start it")
        return self.tls_files.ca_file

    @property
    def running(self) -> bool:
        """True when every node's process is alive."""
        return all(node.running for node in self.nodes)

    def _properties(self, node: KafkaNode) -> dict[str, str]:
        assert node.workdir is not None  # noqa: S101 - set by _format
        ports = node.listeners()
        settings = {
            "process.roles": "broker,controller",
            "node.id": str(node.node_id),
            "controller.quorum.voters": ",".join(
                f"{n.node_id}@{n.host}:{n.controller_port}" for n in self.nodes
            ),
            "listeners": ",".join(f"{name}://{node.host}:{p}" for name, p in ports.items()),
            "advertised.listeners": ",".join(
                f"{name}://{node.host}:{p}"
                for name, p in ports.items()
                if name != CONTROLLER_LISTENER
            ),
            "controller.listener.names": CONTROLLER_LISTENER,
            "inter.broker.listener.name": PLAIN_LISTENER,
            "listener.security.protocol.map": ",".join(
                f"{name}:{LISTENER_PROTOCOLS[name]}" for name in ports
            ),
            "log.dirs": str(node.workdir / "data"),
            **BROKER_DEFAULTS,
            **replication_settings(self.size),
        }
        if self.sasl_user is not None:
            sasl = [name for name in (SASL_LISTENER, SASL_SSL_LISTENER) if name in ports]
            settings |= sasl_properties(self.sasl_user, sasl)
        if self.tls_files is not None:
            settings |= tls_properties(self.tls_files)
        return settings

    def _format(self, workdir: Path) -> None:
        """Write each node's server.properties and format its log directory (one cluster id)."""
        cluster_id = _cluster_id()
        if self.tls:
            self.tls_files = make_tls_files(workdir / "tls")
        scram: list[str] = []
        if self.sasl_user is not None:
            name, password = self.sasl_user.username, self.sasl_user.password
            for mechanism in SASL_MECHANISMS[1:]:
                scram += ["--add-scram", f"{mechanism}=[name={name},password={password}]"]
        for node in self.nodes:
            node.workdir = workdir / f"node-{node.node_id}"
            node.workdir.mkdir()
            config = node.workdir / "server.properties"
            config.write_text("".join(f"{k}={v}\n" for k, v in self._properties(node).items()))
            cmd = [jdk_tool("java"), "-cp", str(self.lib_dir / "*"), "kafka.tools.StorageTool"]
            cmd += ["format", "-t", cluster_id, "-c", str(config), *scram]
            secret = self.sasl_user.password if self.sasl_user is not None else None
            run_jdk_tool(cmd, "formatting Kafka storage", STARTUP_TIMEOUT_S, secret=secret)

    def _command(self) -> list[str]:
        cmd = [jdk_tool("java"), *JVM_OPTS, self.heap]
        if LOG4J_CONFIG.is_file():
            cmd.append(f"-Dlog4j2.configurationFile={LOG4J_CONFIG}")
        return [*cmd, "-cp", str(self.lib_dir / "*"), "kafka.Kafka"]

    def _launch(self, nodes: list[KafkaNode]) -> None:
        """Start `nodes` together (a quorum needs a majority up) and wait until all serve."""
        for node in nodes:
            if not node.running:
                node.launch(self._command())
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        try:
            for node in nodes:
                node.wait_ready(self.size, deadline)
        except BaseException:
            self.stop(keep_data=True)
            raise

    def start(self) -> str:
        """Start every node (formatting new directories first) and wait until all serve."""
        if self.running:
            return self.bootstrap
        if self.workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="newsstream-kafka-", dir=self.base_dir))
            self._format(self.workdir)
        self._launch(self.nodes)
        return self.bootstrap

    def kill_node(self, index: int) -> None:
        """Kill node `index` (0-based) with SIGKILL, as a crash would; its data stays."""
        node = self.nodes[index]
        node.signal(signal.SIGKILL)
        node.reap()

    def start_node(self, index: int) -> None:
        """Start node `index` again on its directory and ports; wait until it serves."""
        self._launch([self.nodes[index]])

    def stop(self, keep_data: bool = False) -> None:
        """Stop every node (SIGTERM, then SIGKILL); remove the directory unless `keep_data`."""
        for node in self.nodes:
            node.signal(signal.SIGTERM)
        for node in self.nodes:
            node.reap()
        if not keep_data and self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None
            self.tls_files = None
            for node in self.nodes:
                node.workdir = None


class ApacheKafkaBroker(ApacheKafkaCluster):
    """A single Apache Kafka node (replication factor 1), data on disk.

    The ports are chosen once, so a restart on the same directory (`restart()`, or
    `stop(keep_data=True)` then `start()`) comes back at the same bootstrap address. It takes
    the cluster's arguments but the size, by keyword (`LauncherOptions`).
    """

    heap = SINGLE_NODE_HEAP

    def __init__(self, **options: Unpack[LauncherOptions]) -> None:
        super().__init__(1, **options)

    @property
    def port(self) -> int:
        return self.nodes[0].port

    @property
    def controller_port(self) -> int:
        return self.nodes[0].controller_port

    @property
    def log_path(self) -> Path | None:
        """The broker's stdout and stderr (kafka.log in its node directory)."""
        return self.nodes[0].log_path

    @property
    def pid(self) -> int | None:
        """Process id of the running broker, or None."""
        proc = self.nodes[0].proc
        return proc.pid if proc is not None else None

    def restart(self) -> str:
        """Stop the broker and start it again on the same log directory and ports."""
        self.stop(keep_data=True)
        return self.start()
