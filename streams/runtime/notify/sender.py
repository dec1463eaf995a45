"""POSTing one payload to one destination with aiohttp, retried as streams.core.delivery.retry
says; the outcome says whether it was delivered, after how many attempts, and the last error
(never the URL's path or query)."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import aiohttp

from streams.core.delivery.destinations import Destination
from streams.core.delivery.payloads import Payload
from streams.core.delivery.retry import (
    RetryPolicy,
    next_delay,
    parse_retry_after,
    retryable_status,
)
from streams.core.delivery.signing import request_headers

__all__ = ["Attempt", "Outcome", "WebhookSender", "new_session"]

log = logging.getLogger("streams.notify")

#: Longest last_error kept (the UndeliveredAlert field's bound).
MAX_ERROR_CHARS = 500
#: Connections kept open per endpoint: a few requests of one destination go in parallel.
CONNECTIONS_PER_HOST = 16


@dataclass(frozen=True)
class Attempt:
    """One POST: delivered, or why not, whether to try again, and any Retry-After."""

    ok: bool
    error: str = ""
    retryable: bool = False
    retry_after: float | None = None


@dataclass(frozen=True)
class Outcome:
    """A delivery's end: delivered or given up, after how many attempts."""

    delivered: bool
    attempts: int
    last_error: str
    first_attempt_at: datetime


def new_session() -> aiohttp.ClientSession:
    """The one HTTP client session of a notify process (pooled, keep-alive connections)."""
    connector = aiohttp.TCPConnector(limit=0, limit_per_host=CONNECTIONS_PER_HOST)
    return aiohttp.ClientSession(connector=connector)


def _connection_error(exc: BaseException) -> str:
    """A connection failure in words, without the URL aiohttp may put in its message."""
    reason = ""
    os_error = getattr(exc, "os_error", None)
    if isinstance(os_error, OSError) and os_error.strerror:
        reason = f": {os_error.strerror}"
    elif isinstance(exc, OSError) and exc.strerror:
        reason = f": {exc.strerror}"
    return f"connection error ({type(exc).__name__}){reason}"


class WebhookSender:
    """Sends payloads with signing and retries; shared by every destination of a process."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        policy: RetryPolicy,
        *,
        uniform: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.session = session
        self.policy = policy
        self._uniform = uniform
        self._clock = clock

    async def attempt(self, destination: Destination, payload: Payload) -> Attempt:
        """One signed POST (signed afresh, so its timestamp is current)."""
        now = self._clock()
        headers = request_headers(payload.body, payload.key, destination.secret, int(now))
        timeout = aiohttp.ClientTimeout(total=self.policy.timeout_s)
        try:
            async with self.session.post(
                destination.url,
                data=payload.body,
                headers=headers,
                timeout=timeout,
                allow_redirects=False,
            ) as response:
                await response.read()
                status, reason = response.status, response.reason or ""
                retry_after = response.headers.get("Retry-After")
        except TimeoutError:
            return Attempt(False, f"timeout after {self.policy.timeout_s:g} s", retryable=True)
        except (aiohttp.ClientError, OSError) as exc:
            return Attempt(False, _connection_error(exc), retryable=True)
        if 200 <= status <= 299:
            return Attempt(True)
        wait = parse_retry_after(retry_after, self._clock()) if status == 429 else None
        error = f"HTTP {status} {reason}".strip()[:MAX_ERROR_CHARS]
        return Attempt(False, error, retryable=retryable_status(status), retry_after=wait)

    async def deliver(self, destination: Destination, payload: Payload) -> Outcome:
        """Attempts until one succeeds, one fails for good, or the attempts run out."""
        first = datetime.now(UTC)
        attempts = 0
        while True:
            attempts += 1
            result = await self.attempt(destination, payload)
            if result.ok:
                return Outcome(True, attempts, "", first)
            if not result.retryable or attempts >= self.policy.max_attempts:
                return Outcome(False, attempts, result.error, first)
            delay = next_delay(attempts, self.policy, result.retry_after, self._uniform)
            log.debug(
                "%s: attempt %d failed (%s); again in %.2f s",
                destination.name,
                attempts,
                result.error,
                delay,
                extra={"alert_id": payload.key},
            )
            await asyncio.sleep(delay)
