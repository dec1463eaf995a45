"""Connection settings shared by every Kafka client newsstream opens (aiokafka and Faust)."""

from __future__ import annotations

import logging
import ssl
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
    "describe_broker",
    "start_client",
]

#: Largest produce request (a batch of records); single records stay under the topic limit.
MAX_REQUEST_BYTES = 16 * 1024 * 1024


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


def producer_kwargs(settings: Settings) -> dict[str, Any]:
    """Producer settings: acks from all replicas; idempotence where the broker supports it."""
    return {
        **client_kwargs(settings),
        "acks": "all",
        "enable_idempotence": settings.broker_kind == "kafka",
        "linger_ms": 5,
        "max_request_size": MAX_REQUEST_BYTES,
    }


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
