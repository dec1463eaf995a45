"""Destinations: secrets from the environment, read once; never shown."""

from __future__ import annotations

import pytest

from streams.core.alerts.rules import RateLimit, parse_rules
from streams.core.delivery.destinations import by_rule, endpoint, resolve_destinations
from streams.errors import ConfigError

DEFAULT = RateLimit(count=30, per_s=60)
RULES = parse_rules(
    """
rules:
  - name: slack-desk
    webhooks:
      - {url_env: SLACK_URL, format: slack}
      - url: https://hooks.example.org:8443/in?token=t0k
        secret_env: HOOK_SECRET
        rate_limit: {count: 5, per_s: 10}
  - name: quiet
"""
)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://hooks.slack.com/services/T0/B0/XYZ", "https://hooks.slack.com"),
        ("http://user:pw@127.0.0.1:8080/p?q=1#f", "http://127.0.0.1:8080"),
        ("https://[::1]:9/x", "https://[::1]:9"),
    ],
)
def test_destinations_endpoint_never_shows_path_query_or_credentials(url: str, shown: str) -> None:
    assert endpoint(url) == shown


def test_destinations_read_urls_and_secrets_from_the_environment() -> None:
    environ = {"SLACK_URL": "https://hooks.slack.com/services/T/B/X", "HOOK_SECRET": "k"}
    first, second = resolve_destinations(RULES, environ, DEFAULT)
    assert (first.rule, first.index, first.format, first.secret) == ("slack-desk", 0, "slack", None)
    assert first.rate_limit == DEFAULT and first.name == "slack-desk#0 https://hooks.slack.com"
    assert second.secret == b"k" and second.rate_limit == RateLimit(count=5, per_s=10)
    assert "t0k" not in repr(second) and "X" not in first.name
    assert list(by_rule([first, second])) == ["slack-desk"]


@pytest.mark.parametrize(
    ("environ", "variable"),
    [({"HOOK_SECRET": "k"}, "SLACK_URL"), ({"SLACK_URL": "https://h/x"}, "HOOK_SECRET")],
)
def test_destinations_missing_variable_is_a_config_error_naming_it(
    environ: dict[str, str], variable: str
) -> None:
    with pytest.raises(ConfigError, match=variable) as caught:
        resolve_destinations(RULES, environ, DEFAULT)
    assert "https://h/x" not in str(caught.value)


def test_destinations_url_env_must_hold_an_http_url() -> None:
    with pytest.raises(ConfigError, match="SLACK_URL") as caught:
        resolve_destinations(
            RULES, {"SLACK_URL": "ftp://secret-host/x", "HOOK_SECRET": "k"}, DEFAULT
        )
    assert "secret-host" not in str(caught.value)


def test_destinations_core_imports_neither_kafka_nor_http() -> None:
    import subprocess
    import sys

    code = (
        "import sys, streams.core.delivery.destinations, streams.core.delivery.payloads, "
        "streams.core.delivery.retry, streams.core.delivery.ratelimit, "
        "streams.core.delivery.offsets, streams.core.delivery.signing; "
        "print(sorted(m for m in ('aiokafka', 'aiohttp', 'faust') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
