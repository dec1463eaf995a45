"""Connection settings shared by every Kafka client newsstream opens (aiokafka and Faust)."""

from __future__ import annotations

import logging
import ssl
from typing import Any

from aiokafka.errors import KafkaError

from streams.errors import BrokerUnavailableError
from streams.settings import Settings

__all__ = ["client_kwargs", "producer_kwargs", "describe_broker", "start_client"]

#: Largest produce request (a batch of records); single records stay under the topic limit.
MAX_REQUEST_BYTES = 16 * 1024 * 1024


def _ssl_context(settings: Settings) -> ssl.SSLContext | None:
    if not settings.security_protocol.endswith("SSL"):
        return None
    return ssl.create_default_context(cafile=settings.ssl_cafile)


def client_kwargs(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for any aiokafka client: servers, security, SASL credentials."""
    kwargs: dict[str, Any] = {
        "bootstrap_servers": settings.bootstrap_servers,
        "security_protocol": settings.security_protocol,
    }
    context = _ssl_context(settings)
    if context is not None:
        kwargs["ssl_context"] = context
    if settings.security_protocol.startswith("SASL"):
        kwargs["sasl_mechanism"] = settings.sasl_mechanism or "PLAIN"
        kwargs["sasl_plain_username"] = settings.sasl_username
        kwargs["sasl_plain_password"] = (
            settings.sasl_password.get_secret_value() if settings.sasl_password else None
        )
    return kwargs


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
