"""Connection settings shared by every Kafka client newsstream opens (aiokafka and Faust)."""

from __future__ import annotations

import logging
import socket
import ssl
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiokafka.errors import KafkaError
from pydantic import SecretStr

from streams.errors import BrokerUnavailableError
from streams.settings import Settings

if TYPE_CHECKING:
    import faust

__all__ = [
    "Credentials",
    "credentials",
    "client_kwargs",
    "producer_kwargs",
    "max_record_bytes",
    "kafka_request",
    "idempotence_supported",
    "fetch_wait_ms",
    "describe_broker",
    "start_client",
]

log = logging.getLogger(__name__)

#: Seconds the broker-kind probe waits to connect to a server and for its answer.
PROBE_TIMEOUT_S = 2.0
#: InitProducerId error codes that mean "no idempotent producer here": the embedded broker
#: (Tansu) answers UNKNOWN_SERVER_ERROR (-1), a broker older than the API UNSUPPORTED_VERSION.
#: Other errors (a coordinator still loading) are passing states of a broker that has one.
_NO_PRODUCER_IDS = frozenset({-1, 35})
_INIT_PRODUCER_ID = 22
#: What the probe learnt, by bootstrap servers; only answers are kept, not failures to connect.
_PROBED: dict[str, bool] = {}

#: Records for one partition sent in one batch, up to this size. aiokafka's default (16 KB)
#: makes each enriched article (~10 KB) a batch of its own; the embedded broker stores each
#: batch as an object and lists a partition's objects at every fetch, so a topic of 20,000
#: one-record batches took it minutes to answer, where 20,000 records in 1 MB batches take
#: milliseconds.
MAX_BATCH_BYTES = 1024 * 1024
#: Largest produce request (a batch of records); single records stay under the topic limit.
MAX_REQUEST_BYTES = 16 * 1024 * 1024
#: Room in a record for its key (an article id is at most 512 characters), headers and the
#: record batch's framing, on top of the largest value.
RECORD_OVERHEAD_BYTES = 16 * 1024
#: Apache Kafka's default `message.max.bytes`: the topics newsstream creates never accept less.
KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588


@dataclass(frozen=True)
class Credentials:
    """How newsstream authenticates to the broker, decided once for aiokafka and for Faust.

    The password stays a SecretStr (its repr is masked) until a client is handed it.
    """

    security_protocol: str
    ssl_context: ssl.SSLContext | None = None
    sasl_mechanism: str | None = None  # set exactly when the protocol is SASL_*
    username: str | None = None
    password: SecretStr | None = None

    def aiokafka_kwargs(self) -> dict[str, Any]:
        """The security keyword arguments of an aiokafka client."""
        kwargs: dict[str, Any] = {"security_protocol": self.security_protocol}
        if self.ssl_context is not None:
            kwargs["ssl_context"] = self.ssl_context
        if self.sasl_mechanism is not None:
            kwargs["sasl_mechanism"] = self.sasl_mechanism
            kwargs["sasl_plain_username"] = self.username
            kwargs["sasl_plain_password"] = self._password()
        return kwargs

    def faust(self) -> faust.SASLCredentials | faust.SSLCredentials | None:
        """The same as Faust's `broker_credentials` (None: plaintext)."""
        import faust  # only the worker needs Faust; the commands' clients do not

        if self.sasl_mechanism is not None:
            return faust.SASLCredentials(
                username=self.username,
                password=self._password(),
                mechanism=self.sasl_mechanism,
                ssl_context=self.ssl_context,  # given: SASL_SSL, else SASL_PLAINTEXT
            )
        if self.ssl_context is not None:
            return faust.SSLCredentials(self.ssl_context)
        return None

    def _password(self) -> str | None:
        return self.password.get_secret_value() if self.password else None


def credentials(settings: Settings) -> Credentials:
    """The configured protocol, TLS context (trusting NEWSSTREAM_SSL_CAFILE) and SASL login."""
    context = (
        ssl.create_default_context(cafile=settings.ssl_cafile)
        if settings.security_protocol.endswith("SSL")
        else None
    )
    if not settings.security_protocol.startswith("SASL"):
        return Credentials(settings.security_protocol, context)
    return Credentials(
        settings.security_protocol,
        context,
        sasl_mechanism=settings.sasl_mechanism or "PLAIN",
        username=settings.sasl_username,
        password=settings.sasl_password,
    )


def client_kwargs(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for any aiokafka client: servers, security, SASL credentials."""
    return {
        "bootstrap_servers": settings.bootstrap_servers,
        **credentials(settings).aiokafka_kwargs(),
    }


def kafka_request(
    host: str, port: int, api_key: int, version: int, body: bytes, timeout: float = 1.0
) -> bytes | None:
    """One plaintext Kafka request (header v1); the response after its correlation id.

    None when nothing answers, or the answer is not a Kafka response to this request.
    """
    client_id = b"newsstream-probe"
    correlation = 7
    request = struct.pack(">hhih", api_key, version, correlation, len(client_id)) + client_id
    request += body
    try:
        with socket.create_connection((host.strip("[]"), port), timeout=timeout) as sock:
            sock.sendall(struct.pack(">i", len(request)) + request)
            size = _recv_exact(sock, 4)
            if size is None:
                return None
            answer = _recv_exact(sock, struct.unpack(">i", size)[0])
    except OSError:
        return None
    if answer is None or len(answer) < 4 or struct.unpack(">i", answer[:4])[0] != correlation:
        return None
    return answer[4:]


def _recv_exact(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _grants_producer_ids(servers: str) -> bool | None:
    """Whether the first server that answers grants an idempotent producer id; None: no answer.

    The request (InitProducerId v0 without a transactional id) is what an idempotent producer
    sends first; Apache Kafka answers it with a fresh id, the embedded broker with an error.
    """
    for server in servers.split(","):
        host, colon, port = server.strip().rpartition(":")
        if not colon:
            host, port = port, "9092"
        body = struct.pack(">hi", -1, 60_000)  # no transactional id; timeout unused without one
        answer = kafka_request(host, int(port), _INIT_PRODUCER_ID, 0, body, timeout=PROBE_TIMEOUT_S)
        if answer is not None and len(answer) >= 6:  # throttle_time_ms, then error_code
            return struct.unpack(">h", answer[4:6])[0] not in _NO_PRODUCER_IDS
    return None


def idempotence_supported(settings: Settings) -> bool:
    """Whether producers may be idempotent: as NEWSSTREAM_BROKER_KIND says, or, when it is
    `auto`, as the broker answers (so the embedded broker needs no second variable).

    Only a plaintext broker is asked (the embedded one serves nothing else); one that does not
    answer counts as Apache Kafka, and is asked again next time.
    """
    if settings.broker_kind != "auto":
        return settings.broker_kind == "kafka"
    if settings.security_protocol != "PLAINTEXT":
        return True
    servers = settings.bootstrap_servers
    if servers not in _PROBED:
        granted = _grants_producer_ids(servers)
        if granted is None:
            return True
        _PROBED[servers] = granted
        if not granted:
            log.info("the broker at %s has no idempotent producer: it is turned off", servers)
    return _PROBED[servers]


#: A worker's fetch wait where the broker holds idle fetches for all of it (the embedded one).
HELD_FETCH_WAIT_MS = 10
#: A worker's fetch wait on Apache Kafka, which answers a fetch as soon as a record arrives.
KAFKA_FETCH_WAIT_MS = 500


def fetch_wait_ms(settings: Settings) -> int:
    """NEWSSTREAM_FETCH_WAIT_MS, or by broker: short where the broker holds idle fetches.

    The broker that lacks the idempotent producer (the embedded one) is the one that holds a
    fetch for its whole wait; each idle fetch costs it a round trip, about 100 a second.
    """
    if settings.fetch_wait_ms is not None:
        return settings.fetch_wait_ms
    return KAFKA_FETCH_WAIT_MS if idempotence_supported(settings) else HELD_FETCH_WAIT_MS


def producer_kwargs(settings: Settings, linger_ms: int = 5) -> dict[str, Any]:
    """Producer settings: acks from all replicas; idempotence where the broker supports it.

    `linger_ms`: how long a record may wait for others to share its request.
    """
    return {
        **client_kwargs(settings),
        "acks": "all",
        "enable_idempotence": idempotence_supported(settings),
        "linger_ms": linger_ms,
        "max_batch_size": MAX_BATCH_BYTES,
        "max_request_size": max(MAX_REQUEST_BYTES, max_record_bytes(settings)),
    }


def max_record_bytes(settings: Settings) -> int:
    """The largest record newsstream's topics must take (their `max.message.bytes`).

    A raw message up to the input limit (a little more is dead-lettered as too_large), and an
    output up to the output limit, each with its key and framing; never less than Apache
    Kafka's default, so a producer that fits a default topic fits ours.
    """
    largest = max(settings.max_message_bytes, settings.max_output_bytes)
    return max(KAFKA_DEFAULT_MAX_MESSAGE_BYTES, largest + RECORD_OVERHEAD_BYTES)


def describe_broker(settings: Settings) -> str:
    """Where we connect, for messages and logs: servers and protocol, never credentials."""
    user = f" as {settings.sasl_username}" if settings.sasl_username else ""
    return f"{settings.bootstrap_servers} ({settings.security_protocol}{user})"


class _Collector(logging.Handler):
    """Keeps what aiokafka logs while a client starts: it logs the reason, then raises less."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _unreachable(settings: Settings, logged: list[str]) -> BrokerUnavailableError:
    where = describe_broker(settings)
    if any(
        "SaslAuthenticationFailed" in line or "Authentication failed" in line for line in logged
    ):
        return BrokerUnavailableError(
            f"authentication failed at {where} with {settings.sasl_mechanism or 'PLAIN'}: "
            "check NEWSSTREAM_SASL_USERNAME and NEWSSTREAM_SASL_PASSWORD"
        )
    if any("InitProducerIdRequest" in line for line in logged):
        return BrokerUnavailableError(
            f"the broker at {where} refuses the idempotent producer (the embedded broker has "
            "none): set NEWSSTREAM_BROKER_KIND=embedded, or auto to ask the broker"
        )
    if any("CERTIFICATE_VERIFY_FAILED" in line for line in logged):
        return BrokerUnavailableError(
            f"the TLS certificate of {where} is not trusted: check NEWSSTREAM_SSL_CAFILE"
        )
    return BrokerUnavailableError(
        f"cannot reach broker at {where} (is Kafka running? "
        "try `newsstream demo` for the embedded broker)"
    )


async def start_client(client: Any, settings: Settings) -> None:
    """Start an aiokafka client; if it cannot connect, close it and say why in one line."""
    logger = logging.getLogger("aiokafka")
    collector = _Collector()
    propagate = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        await client.start()
    except (KafkaError, OSError) as exc:
        close = getattr(client, "stop", None) or client.close
        await close()
        raise _unreachable(settings, collector.messages) from exc
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate
