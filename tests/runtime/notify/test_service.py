"""The notify loop's pure parts: the parked record and the retry policy from the settings."""

from __future__ import annotations

from datetime import UTC, datetime

from streams.core.alerts.rules import RateLimit
from streams.core.delivery.destinations import Destination
from streams.runtime.notify.sender import Outcome
from streams.runtime.notify.service import retry_policy, undelivered
from streams.settings import Settings
from tests.support.webhooks import make_alert


def test_service_parked_record_names_the_endpoint_never_its_secret_path() -> None:
    destination = Destination(
        "desk",
        1,
        "https://hooks.slack.com/services/T0/B0/token?x=1",
        b"secret",
        "slack",
        RateLimit(count=1, per_s=1),
    )
    when = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    parked = undelivered(
        destination, make_alert(3), Outcome(False, 6, "HTTP 503 " + "x" * 900, when)
    )
    assert parked.destination == "https://hooks.slack.com"
    assert parked.rule == "desk" and parked.format == "slack" and parked.attempts == 6
    assert len(parked.last_error) == 500 and parked.first_attempt_at == "2026-03-02T12:00:00.000Z"
    assert parked.alert == make_alert(3)
    assert "token" not in parked.model_dump_json() and "secret" not in parked.model_dump_json()


def test_service_retry_policy_comes_from_the_settings() -> None:
    settings = Settings(
        notify_max_attempts=3, notify_backoff_s=0.1, notify_backoff_max_s=2, notify_timeout_s=4
    )
    policy = retry_policy(settings)
    assert (policy.max_attempts, policy.backoff_s, policy.backoff_max_s, policy.timeout_s) == (
        3,
        0.1,
        2.0,
        4.0,
    )
