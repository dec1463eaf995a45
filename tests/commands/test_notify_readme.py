"""The README's receiver-side signature check accepts what the sender signs, and nothing else."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from streams.core.alerts.rules import RateLimit
from streams.core.delivery.destinations import Destination
from streams.core.delivery.payloads import single_payload
from streams.core.delivery.retry import RetryPolicy
from streams.runtime.notify.sender import WebhookSender, new_session
from streams.settings import README_PATH
from tests.support.webhooks import Receiver, make_alert

SECRET = b"readme-secret"


def readme_verifier() -> Callable[[bytes, dict[str, str], bytes], bool]:
    """The function between the README's webhook-verify markers, executed."""
    text = README_PATH.read_text(encoding="utf-8")
    block = re.search(
        r"<!-- webhook-verify:start -->\n```python\n(.*?)```\n<!-- webhook-verify:end -->",
        text,
        re.DOTALL,
    )
    assert block, "the README lost its webhook-verify block"
    namespace: dict[str, Any] = {}
    exec(compile(block.group(1), "README.md", "exec"), namespace)  # noqa: S102 - our own README
    verifier: Callable[[bytes, dict[str, str], bytes], bool] = namespace["verify_newsstream"]
    return verifier


async def test_readme_verifier_accepts_a_signed_request_and_refuses_a_tampered_one() -> None:
    verify = readme_verifier()
    session = new_session()
    try:
        with Receiver() as receiver:
            destination = Destination(
                "desk", 0, receiver.url, SECRET, "json", RateLimit(count=10, per_s=1)
            )
            sender = WebhookSender(session, RetryPolicy(max_attempts=1))
            outcome = await sender.deliver(destination, single_payload(make_alert(), "json"))
    finally:
        await session.close()
    assert outcome.delivered
    (got,) = receiver.requests()
    assert verify(SECRET, got.headers, got.body)
    assert not verify(SECRET, got.headers, got.body.replace(b"high", b"low!"))
    assert not verify(b"another secret", got.headers, got.body)
    stale = {
        **got.headers,
        "X-Newsstream-Timestamp": str(int(got.headers["X-Newsstream-Timestamp"]) - 3600),
    }
    assert not verify(SECRET, stale, got.body)
    assert not verify(
        SECRET, {"X-Newsstream-Timestamp": got.headers["X-Newsstream-Timestamp"]}, got.body
    )
