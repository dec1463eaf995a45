"""One Apache Kafka JVM on loopback: its listeners, process and probes, and its TLS files.

`tests.support.apache_kafka` builds launchers out of these nodes. The JDK that runs a node also
makes its throwaway TLS material: `keytool` writes a CA and a server certificate for
127.0.0.1 and localhost, so no certificate library is needed.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from streams.commands.broker import (
    free_port,
    kafka_answers,
    reap_process_group,
    signal_process_group,
)
from streams.errors import BrokerUnavailableError

__all__ = [
    "LISTENER_PROTOCOLS",
    "KafkaNode",
    "TlsFiles",
    "jdk_tool",
    "make_ca",
    "make_tls_files",
    "registered_brokers",
    "run_jdk_tool",
]

#: Seconds for fresh or restarted nodes to format, start and register themselves.
STARTUP_TIMEOUT_S = 60.0
#: Seconds a node gets to shut down cleanly on SIGTERM before it is killed.
STOP_TIMEOUT_S = 30.0
#: Seconds one keytool call may take (each is a short JVM run, about 0.4 s measured).
KEYTOOL_TIMEOUT_S = 60.0
#: Days the throwaway certificates stay valid: a test session, with room to spare.
CERT_VALIDITY_DAYS = "2"
#: Listener names: clients, the controller quorum, SASL_PLAINTEXT, SSL and SASL_SSL clients.
PLAIN_LISTENER, CONTROLLER_LISTENER, SASL_LISTENER = "PLAINTEXT", "CONTROLLER", "SASL"
SSL_LISTENER, SASL_SSL_LISTENER = "SSL", "SASL_SSL"
#: The security protocol of each listener name.
LISTENER_PROTOCOLS: dict[str, str] = {
    PLAIN_LISTENER: "PLAINTEXT",
    CONTROLLER_LISTENER: "PLAINTEXT",
    SASL_LISTENER: "SASL_PLAINTEXT",
    SSL_LISTENER: "SSL",
    SASL_SSL_LISTENER: "SASL_SSL",
}


def registered_brokers(host: str, port: int, timeout: float = 1.0) -> int:
    """How many live brokers a Metadata (v4) request to host:port lists (0 when it fails).

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
        return 0
    if len(reply) < 16:
        return 0
    correlation, _throttle, brokers = struct.unpack(">iii", reply[4:16])
    return int(brokers) if correlation == 11 else 0


def jdk_tool(name: str) -> str:
    """Path of a JDK program (`java`, `keytool`): $JAVA_HOME/bin first, then PATH."""
    home = os.environ.get("JAVA_HOME")
    candidate = Path(home) / "bin" / name if home else None
    if candidate is not None and candidate.is_file():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BrokerUnavailableError(f"no `{name}` on PATH: Apache Kafka needs a JDK 17 or newer")
    return found


@dataclass(frozen=True)
class TlsFiles:
    """A node's TLS material: the CA clients trust, and the broker's PKCS12 keystore."""

    ca_file: Path
    keystore: Path
    password: str = field(repr=False)


def run_jdk_tool(
    cmd: list[str], what: str, timeout: float, cwd: Path | None = None, secret: str | None = None
) -> None:
    """Run a short JDK program; a failure raises with the end of its output, `secret` masked."""
    done = subprocess.run(  # noqa: S603 - a JDK program on our jars, fixed arguments
        cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()[-2000:]
        if secret:
            output = output.replace(secret, "***")
        raise BrokerUnavailableError(f"{what} failed ({done.returncode}): {output}")


def _keytool(directory: Path, *args: str) -> None:
    """Run keytool in `directory` (its output holds no passwords)."""
    cmd = [jdk_tool("keytool"), *args, "-noprompt"]
    run_jdk_tool(cmd, f"keytool {args[0]}", KEYTOOL_TIMEOUT_S, cwd=directory)


def _new_key(directory: Path, store: str, alias: str, dname: str, password: str) -> list[str]:
    """Make an EC key pair with a self-signed certificate; return the store's arguments."""
    opts = ["-keystore", store, "-storetype", "PKCS12", "-storepass", password]
    _keytool(
        directory,
        *("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1"),
        *("-dname", dname, "-validity", CERT_VALIDITY_DAYS, *opts),
        *(["-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign"] if alias == "ca" else []),
    )
    return opts


def _new_ca(directory: Path, name: str) -> tuple[Path, list[str]]:
    """A CA in `directory` (ca.p12, ca.pem); returns ca.pem and the arguments naming ca.p12."""
    directory.mkdir(parents=True, exist_ok=True)
    opts = _new_key(directory, "ca.p12", "ca", f"CN={name}", secrets.token_hex(16))
    _keytool(directory, "-exportcert", "-rfc", "-alias", "ca", *opts, "-file", "ca.pem")
    return directory / "ca.pem", opts


def make_ca(directory: Path, name: str = "newsstream-test-ca") -> Path:
    """A fresh CA in `directory`; returns its certificate (ca.pem), the file clients trust."""
    return _new_ca(directory, name)[0]


def make_tls_files(directory: Path) -> TlsFiles:
    """A throwaway CA and a server keystore it signed, for 127.0.0.1 and localhost."""
    ca_file, ca_opts = _new_ca(directory, "newsstream-test-ca")
    password = secrets.token_hex(16)
    opts = _new_key(directory, "server.p12", "server", "CN=localhost", password)
    _keytool(directory, "-certreq", "-alias", "server", *opts, "-file", "server.csr")
    _keytool(
        directory,
        *("-gencert", "-alias", "ca", *ca_opts, "-infile", "server.csr", "-outfile", "server.pem"),
        *("-rfc", "-validity", CERT_VALIDITY_DAYS, "-ext", "san=ip:127.0.0.1,dns:localhost"),
        *("-ext", "eku=serverAuth", "-ext", "ku:c=digitalSignature"),
    )
    _keytool(directory, "-importcert", "-alias", "ca", *opts, "-file", "ca.pem")
    _keytool(directory, "-importcert", "-alias", "server", *opts, "-file", "server.pem")
    return TlsFiles(ca_file, directory / "server.p12", password)


class KafkaNode:
    """One JVM of a launcher (broker and controller): its ports, directory and process.

    The ports are chosen once, so a restart on the same directory comes back at the same
    addresses. `sasl` and `tls` add listeners: SASL_PLAINTEXT, SSL, and SASL_SSL with both.
    """

    def __init__(self, node_id: int, host: str, sasl: bool, tls: bool = False) -> None:
        self.node_id = node_id
        self.host = host
        self.port = free_port(host)
        self.controller_port = free_port(host)
        self.sasl_port = free_port(host) if sasl else None
        self.ssl_port = free_port(host) if tls else None
        self.sasl_ssl_port = free_port(host) if sasl and tls else None
        self.workdir: Path | None = None
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def log_path(self) -> Path | None:
        """The node's stdout and stderr (kafka.log in its directory)."""
        return self.workdir / "kafka.log" if self.workdir is not None else None

    def listeners(self) -> dict[str, int]:
        """Listener name -> port, the controller's included."""
        ports = {
            PLAIN_LISTENER: self.port,
            CONTROLLER_LISTENER: self.controller_port,
            SASL_LISTENER: self.sasl_port,
            SSL_LISTENER: self.ssl_port,
            SASL_SSL_LISTENER: self.sasl_ssl_port,
        }
        return {name: port for name, port in ports.items() if port is not None}

    def launch(self, cmd: list[str]) -> None:
        """Start the JVM (`cmd` without the config path), appending its output to kafka.log."""
        assert self.workdir is not None and self.log_path is not None  # noqa: S101 - formatted
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(  # noqa: S603 - a JVM on our jars, fixed arguments
                [*cmd, str(self.workdir / "server.properties")],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )

    def wait_ready(self, brokers: int, deadline: float) -> None:
        """Block until the node serves and lists `brokers` live brokers, or raise."""
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                code = self.proc.returncode if self.proc is not None else None
                raise BrokerUnavailableError(
                    f"Kafka node {self.node_id} exited with code {code}:\n{self.log_tail()}"
                )
            if (
                kafka_answers(self.host, self.port)
                and registered_brokers(self.host, self.port) >= brokers
            ):
                return
            time.sleep(0.2)
        raise BrokerUnavailableError(
            f"Kafka node {self.node_id} did not serve on {self.address} with {brokers} live "
            f"broker(s) within {STARTUP_TIMEOUT_S:.0f} s:\n{self.log_tail()}"
        )

    def log_tail(self, size: int = 3000) -> str:
        """The end of kafka.log, for errors that say why a node did not start."""
        path = self.log_path
        if path is None or not path.is_file():
            return ""
        return path.read_text(errors="replace")[-size:]

    def signal(self, sig: signal.Signals) -> None:
        """Send `sig` to the node's process group (no-op when it is not running)."""
        if self.proc is not None:
            signal_process_group(self.proc, sig)

    def reap(self) -> None:
        """Wait for the process to end, killing it after STOP_TIMEOUT_S; forget it."""
        proc, self.proc = self.proc, None
        if proc is not None:
            reap_process_group(proc, STOP_TIMEOUT_S)
