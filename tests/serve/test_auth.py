"""Who may see the live page: the bearer token, the cookie flow, loopback without a token."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
from pydantic import SecretStr

from streams.serve.auth import COOKIE, ExposedWithoutTokenError, check_exposure, is_loopback
from tests.serve.conftest import BEARER, TOKEN, Served, filled_feed

#: The wildcard address, which needs a token (named, never bound, by these tests).
EVERY_ADDRESS = "0.0.0.0"  # noqa: S104

PROTECTED = ["/", "/alerts/stream", "/api/alerts", "/api/stories/art-x", "/static/app.js"]


@pytest.mark.parametrize("path", PROTECTED)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Cookie": f"{COOKIE}={TOKEN}"},
    ],
    ids=["none", "wrong", "basic", "longer", "raw-token-cookie"],
)
async def test_auth_without_the_token_is_401(
    served: Served, path: str, headers: dict[str, str]
) -> None:
    async with served(filled_feed()) as client:
        response = await client.get(path, headers=headers, allow_redirects=False)
        assert response.status == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert TOKEN not in await response.text()


@pytest.mark.parametrize("path", ["/", "/api/alerts", "/static/app.js", "/static/world-110m.svg"])
async def test_auth_with_the_bearer_token_is_served(served: Served, path: str) -> None:
    async with served(filled_feed()) as client:
        response = await client.get(path, headers=BEARER)
        assert response.status == 200
        assert "Content-Security-Policy" in response.headers


async def test_auth_healthz_needs_no_token(served: Served) -> None:
    async with served(filled_feed()) as client:
        response = await client.get("/healthz")
        assert response.status == 200
        assert (await response.json())["status"] == "ok"


async def test_auth_token_in_the_url_becomes_a_cookie_and_leaves_the_url(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with served(filled_feed()) as client:
        response = await client.get(f"/?level=high&token={TOKEN}&country=UA", allow_redirects=False)
        assert response.status == 303
        assert response.headers["Location"] == "/?level=high&country=UA"
        cookie = response.cookies[COOKIE]
        assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
        assert cookie.value and TOKEN not in cookie.value
        client.session.cookie_jar.update_cookies({COOKIE: cookie.value})
        page = await client.get("/?level=high&country=UA")
        assert page.status == 200 and "live alerts" in await page.text()
        api = await client.get("/api/alerts")
        assert api.status == 200
        stream = await client.get("/alerts/stream")
        assert stream.status == 200
        stream.close()
    assert TOKEN not in caplog.text
    assert "GET / 303" in caplog.text  # the access log names the path alone


async def test_auth_wrong_token_in_the_url_is_401_and_sets_no_cookie(served: Served) -> None:
    async with served(filled_feed()) as client:
        response = await client.get("/?token=nope", allow_redirects=False)
        assert response.status == 401
        assert COOKIE not in response.cookies


async def test_auth_token_in_the_url_of_the_api_is_not_taken(served: Served) -> None:
    async with served(filled_feed()) as client:
        response = await client.get(f"/api/alerts?token={TOKEN}")
        assert response.status == 401


async def test_auth_without_a_token_answers_loopback_names_only(served: Served) -> None:
    async with served(filled_feed(), token=None) as client:
        ok = await client.get("/api/alerts")
        assert ok.status == 200
        for host in ("localhost:8080", "[::1]:8080", "127.0.0.2"):
            assert (await client.get("/api/alerts", headers={"Host": host})).status == 200
        rebound = await client.get("/api/alerts", headers={"Host": "attacker.example:8080"})
        assert rebound.status == 403


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("::ffff:127.0.0.1", True),
        (EVERY_ADDRESS, False),
        ("::", False),
        ("", False),
        ("192.168.1.10", False),
        ("example.org", False),
        ("localhost.example.org", False),
    ],
)
def test_auth_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_auth_check_exposure_refuses_other_hosts_without_a_token() -> None:
    check_exposure("127.0.0.1", None)
    check_exposure(EVERY_ADDRESS, SecretStr("long-enough-token"))
    with pytest.raises(ExposedWithoutTokenError, match="NEWSSTREAM_SERVE_TOKEN"):
        check_exposure(EVERY_ADDRESS, None)
    with pytest.raises(ExposedWithoutTokenError, match="empty"):
        check_exposure("127.0.0.1", SecretStr("  "))


def test_auth_serve_command_refuses_a_public_host_without_a_token_with_exit_code_2() -> None:
    env = {k: v for k, v in os.environ.items() if k != "NEWSSTREAM_SERVE_TOKEN"}
    env["NEWSSTREAM_BROKER"] = "127.0.0.1:1"
    proc = subprocess.run(
        [sys.executable, "-m", "streams", "serve", "--host", EVERY_ADDRESS, "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("newsstream serve: refusing to serve on 0.0.0.0 without a token")
    assert "Traceback" not in proc.stderr
