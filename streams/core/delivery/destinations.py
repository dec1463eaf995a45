"""Where alerts go: one destination per rule and webhook, with its secrets read from the
environment once, at start, and a label that names the endpoint without its secret."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streams.core.alerts.rules import RateLimit, Rule, Webhook
from streams.errors import ConfigError
from streams.models import WebhookFormat

__all__ = ["Destination", "endpoint", "resolve_destinations", "by_rule"]


def endpoint(url: str) -> str:
    """scheme://host[:port] of a URL: which endpoint, never its path or query (a Slack URL's
    path is its token) nor any user:password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")


@dataclass(frozen=True)
class Destination:
    """One webhook of one rule, ready to send to: the queue, rate limit and retries of
    delivery are per destination, so a dead endpoint holds back no other."""

    rule: str
    index: int
    url: str = field(repr=False)  # may hold a token: never logged, never shown
    secret: bytes | None = field(repr=False)
    format: WebhookFormat
    rate_limit: RateLimit

    @property
    def endpoint(self) -> str:
        """scheme://host[:port], for logs and the undelivered topic."""
        return endpoint(self.url)

    @property
    def name(self) -> str:
        """`rule#index endpoint`: tells destinations apart in logs without a secret."""
        return f"{self.rule}#{self.index} {self.endpoint}"


def _read(environ: Mapping[str, str], variable: str, what: str, rule: Rule, index: int) -> str:
    value = environ.get(variable, "")
    if not value.strip():
        raise ConfigError(
            f"rule {rule.name!r} webhook {index + 1}: the environment variable {variable} "
            f"({what}) is not set"
        )
    return value.strip()


def _destination(
    rule: Rule, index: int, hook: Webhook, environ: Mapping[str, str], default: RateLimit
) -> Destination:
    url = hook.url or _read(environ, hook.url_env or "", "the webhook URL", rule, index)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        named = f"the URL in {hook.url_env}" if hook.url_env else "its url"
        raise ConfigError(f"rule {rule.name!r} webhook {index + 1}: {named} is not http(s)://")
    secret = None
    if hook.secret_env:
        secret = _read(environ, hook.secret_env, "the signing secret", rule, index).encode()
    return Destination(
        rule=rule.name,
        index=index,
        url=url,
        secret=secret,
        format=hook.format,
        rate_limit=hook.rate_limit or default,
    )


def resolve_destinations(
    rules: Sequence[Rule], environ: Mapping[str, str], default_rate: RateLimit
) -> list[Destination]:
    """Every webhook of every rule, its URL and secret read from `environ`; ConfigError
    naming the variable (never its value) when one is missing."""
    return [
        _destination(rule, index, hook, environ, default_rate)
        for rule in rules
        for index, hook in enumerate(rule.webhooks)
    ]


def by_rule(destinations: Sequence[Destination]) -> dict[str, list[Destination]]:
    """The destinations of each rule name, in file order."""
    found: dict[str, list[Destination]] = {}
    for destination in destinations:
        found.setdefault(destination.rule, []).append(destination)
    return found
