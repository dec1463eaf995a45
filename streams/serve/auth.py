"""Who may see the live page: a bearer token, or loopback only when there is none.

With NEWSSTREAM_SERVE_TOKEN set, every path but /healthz asks for it: as
`Authorization: Bearer TOKEN`, or as the cookie the page sets when it is opened once with
`?token=TOKEN` (HttpOnly, SameSite=Strict; it holds an HMAC of the token, not the token,
and the page redirects to its address without the token). Comparisons take constant time.

Without a token the server listens on loopback only (check_exposure) and answers only
requests addressed to a loopback name, so a web page elsewhere cannot reach it through a
DNS name rebound to 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.typedefs import Middleware
from pydantic import SecretStr
from yarl import URL

from streams.errors import ConfigError

__all__ = [
    "ExposedWithoutTokenError",
    "check_exposure",
    "is_loopback",
    "auth_middleware",
    "COOKIE",
    "PUBLIC_PATHS",
]

#: Name of the cookie that carries the page's session.
COOKIE = "newsstream_session"
#: Paths anyone may fetch.
PUBLIC_PATHS = frozenset({"/healthz"})
_COOKIE_CONTEXT = b"newsstream serve page session"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ExposedWithoutTokenError(ConfigError):
    """Asked to listen beyond loopback without NEWSSTREAM_SERVE_TOKEN."""


def is_loopback(host: str) -> bool:
    """True for localhost and for addresses in 127.0.0.0/8 or ::1 (also IPv4-mapped)."""
    host = host.strip().strip("[]").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def check_exposure(host: str, token: SecretStr | None) -> None:
    """Refuse an address beyond loopback without a token, and an empty token."""
    if token is not None and not token.get_secret_value().strip():
        raise ExposedWithoutTokenError(
            "NEWSSTREAM_SERVE_TOKEN is set but empty: give it a long random value, or unset it"
        )
    if token is None and not is_loopback(host):
        raise ExposedWithoutTokenError(
            f"refusing to serve on {host} without a token: anyone who can reach it would read "
            "the alerts. Set NEWSSTREAM_SERVE_TOKEN (e.g. to the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`), or listen on "
            "127.0.0.1, ::1 or localhost"
        )


def _host_name(host_header: str) -> str:
    """The name or address of a Host header, without its port (empty when unreadable)."""
    try:
        return URL(f"http://{host_header}").raw_host or ""
    except ValueError:
        return ""


def _session(token: str) -> str:
    """The cookie's value: an HMAC of the token, so the cookie never holds the token."""
    return hmac.new(token.encode(), _COOKIE_CONTEXT, hashlib.sha256).hexdigest()


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _authorized(request: web.Request, token: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and _same(given.strip(), token):
        return True
    cookie = request.cookies.get(COOKIE)
    return cookie is not None and _same(cookie, _session(token))


def _unauthorized(request: web.Request) -> web.Response:
    headers = {"WWW-Authenticate": 'Bearer realm="newsstream"', "Cache-Control": "no-store"}
    if request.path.startswith("/api/") or request.path == "/alerts/stream":
        return web.json_response(
            {"error": "unauthorized: send Authorization: Bearer <NEWSSTREAM_SERVE_TOKEN>"},
            status=401,
            headers=headers,
        )
    return web.Response(
        status=401,
        headers=headers,
        text="401 Unauthorized: this page needs the token NEWSSTREAM_SERVE_TOKEN; "
        "open it once as /?token=<token> (it is then kept in a cookie).\n",
    )


def _with_session(request: web.Request, token: str) -> web.StreamResponse:
    """The page opened with ?token=: set the cookie and go to the address without it."""
    if not _same(request.query.get("token", ""), token):
        return _unauthorized(request)
    query = request.rel_url.query.copy()
    del query["token"]
    response = web.Response(
        status=303, headers={"Location": str(request.rel_url.with_query(query))}
    )
    response.set_cookie(
        COOKIE,
        _session(token),
        httponly=True,
        samesite="Strict",
        secure=request.secure,
        path="/",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def auth_middleware(token: SecretStr | None) -> Middleware:
    """The middleware that lets through only requests with the token (see the module)."""
    secret = token.get_secret_value() if token is not None else None

    @web.middleware
    async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
        if secret is None:
            if not is_loopback(_host_name(request.host)):
                return web.Response(status=403, text="403 Forbidden: not a loopback address\n")
            return await handler(request)
        if request.path in PUBLIC_PATHS:
            return await handler(request)
        if request.path == "/" and "token" in request.query:
            return _with_session(request, secret)
        if _authorized(request, secret):
            return await handler(request)
        return _unauthorized(request)

    return authenticate
