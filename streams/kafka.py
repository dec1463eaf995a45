"""Connection settings shared by every Kafka client newsstream opens (aiokafka and Faust)."""

from __future__ import annotations

import ssl
from typing import Any

from streams.settings import Settings

__all__ = ["client_kwargs", "producer_kwargs", "describe_broker"]


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
    }


def describe_broker(settings: Settings) -> str:
    """Where we connect, for messages and logs: servers and protocol, never credentials."""
    user = f" as {settings.sasl_username}" if settings.sasl_username else ""
    return f"{settings.bootstrap_servers} ({settings.security_protocol}{user})"
