"""Web security pieces: the server secret, session cookie and CSRF tokens, body-size limit, headers,
HEAD requests, the client's address behind trusted proxies, and the sign-in slow-down."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import os
import re
import secrets
import threading
import time
from pathlib import Path
from typing import Awaitable, Callable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECRET_ENV = "AUTOGRADER_SECRET_KEY"


def server_secret(build_dir: Path) -> str:
    """The key that signs session cookies: env AUTOGRADER_SECRET_KEY, else build/service-secret.key
    (created once, mode 0600). Never logged."""
    env = os.environ.get(SECRET_ENV)
    if env:
        if len(env) < 32:
            raise ValueError(f"{SECRET_ENV} must be at least 32 characters")
        return env
    path = build_dir / "service-secret.key"
    build_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def session_token(session: dict) -> str:
    """The cookie's only content: a random token (``sid``). Signed-in, it names a row of the sessions
    table; signed-out, it only anchors the CSRF token of the sign-in form."""
    tok = session.get("sid")
    if not isinstance(tok, str) or not tok:
        session.clear()
        tok = session["sid"] = secrets.token_urlsafe(32)
    return tok


def csrf_token(session: dict, key: str) -> str:
    """Derived from the session token with the server key: nothing else to store, and a new sign-in
    (new token) gets a new CSRF token."""
    return hmac.new(key.encode(), b"csrf:" + session_token(session).encode(), hashlib.sha256).hexdigest()


def csrf_ok(session: dict, sent: object, key: str) -> bool:
    tok = session.get("sid")
    return bool(tok) and isinstance(sent, str) and hmac.compare_digest(csrf_token(session, key), sent)


class BodyTooLarge(Exception):
    pass


TooLargeHandler = Callable[[Scope, Receive, Send], Awaitable[None]]


class LimitBody:
    """Refuse request bodies over ``limit`` bytes, before they are parsed: by the Content-Length
    header when there is one, else by counting what arrives. ``on_too_large`` (an ASGI callable)
    answers instead of the plain 413 (e.g. a redirect back to the form with a message); the rest of
    the body, up to ``drain`` bytes, is read first, so that the browser sees the answer instead of
    a connection reset."""

    def __init__(self, app: ASGIApp, limit: int, on_too_large: TooLargeHandler | None = None,
                 drain: int = 64 * 1024 * 1024) -> None:
        self.app, self.limit, self.on_too_large, self.drain = app, limit, on_too_large, drain

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, more: bool) -> None:
        seen = 0
        while more and seen <= self.drain:
            msg = await receive()
            if msg["type"] != "http.request":
                return  # the client went away
            seen += len(msg.get("body", b""))
            more = msg.get("more_body", False)
        if self.on_too_large is None or more:
            await _too_large(send)
        else:
            await self.on_too_large(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await self._refuse(scope, receive, send, more=length.isdigit() and int(length) <= self.drain)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge()
            return msg

        async def tracking_send(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(scope, receive, send, more=True)


async def _too_large(send: Send) -> None:
    body = "İstek çok büyük (413).".encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                have = {k.lower() for k, _ in msg.get("headers", [])}
                msg["headers"] = list(msg.get("headers", [])) + [h for h in SECURITY_HEADERS if h[0] not in have]
            await send(msg)

        await self.app(scope, receive, with_headers)


class HeadAsGet:
    """``HEAD`` wherever ``GET`` works: the request is served as a GET and the body is dropped
    (headers, Content-Length included, stay as GET would send them)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def no_body(msg: Message) -> None:
            if msg["type"] == "http.response.body":
                if msg.get("more_body", False):
                    return
                msg = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(msg)

        await self.app(dict(scope, method="GET"), receive, no_body)


def client_address(peer: str | None, forwarded_for: str | None, trusted: list[str]) -> str:
    """The client's address: the connecting peer, unless the peer is a trusted proxy; then the
    right-most X-Forwarded-For entry that is not itself a trusted proxy (entries further left were
    written by the client and prove nothing)."""
    nets = [ipaddress.ip_network(t, strict=False) for t in trusted]

    def is_trusted(addr: str) -> bool:
        try:
            ip = ipaddress.ip_address(addr)
        except ValueError:
            return False
        return any(ip in n for n in nets)

    addr = peer or "?"
    if not nets or not is_trusted(addr) or not forwarded_for:
        return addr
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return addr  # garbage in the header: fall back to the proxy's own address
        if not is_trusted(hop):
            return hop
    return addr


class SlowDown:
    """Growing delays for failed sign-ins, per (client address, user id) pair.

    The first ``free`` failures of a pair cost nothing; after that the pair must wait
    ``base_s * 2**(failures - free)`` seconds (at most ``max_s``) before its next attempt is even
    checked. Only the failing pair waits: the same id from another address, and other ids from the
    same address (a campus NAT), sign in as usual. A success clears the pair; a pair forgotten after
    ``forget_s`` without failures. At most ``max_keys`` pairs are kept (oldest dropped first), so a
    flood of made-up ids cannot exhaust memory."""

    def __init__(self, free: int = 3, base_s: float = 1.0, max_s: float = 300.0, forget_s: float = 3600.0,
                 max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.free, self.base_s, self.max_s, self.forget_s, self.max_keys = free, base_s, max_s, forget_s, max_keys
        self.clock = clock
        self._state: dict[tuple[str, str], tuple[int, float]] = {}  # pair -> (failures, last failure time)
        self._lock = threading.Lock()

    def delay(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return min(self.max_s, self.base_s * 2 ** (failures - self.free))

    def wait_s(self, client: str, uid: str) -> float:
        """Seconds this pair must still wait before an attempt is checked (0: go ahead)."""
        with self._lock:
            n, last = self._state.get((client, uid), (0, 0.0))
            if n and self.clock() - last > self.forget_s:
                self._state.pop((client, uid), None)
                return 0.0
            return max(0.0, last + self.delay(n) - self.clock()) if n else 0.0

    def failed(self, client: str, uid: str) -> None:
        with self._lock:
            key = (client, uid)
            n, _ = self._state.pop(key, (0, 0.0))
            self._state[key] = (n + 1, self.clock())  # re-inserted: dicts keep insertion order, oldest first
            while len(self._state) > self.max_keys:
                self._state.pop(next(iter(self._state)))

    def succeeded(self, client: str, uid: str) -> None:
        with self._lock:
            self._state.pop((client, uid), None)


class RedactSecrets(logging.Filter):
    """Belt and braces for log lines: anything that looks like a secret= / password= value in a
    URL or message is replaced (the service never logs form bodies or cookies anyway)."""

    PATTERN = re.compile(r"((?:secret|password|token|csrf_token|session)=)[^&\s\"']+", re.IGNORECASE)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            msg = record.getMessage()
        except Exception:  # noqa: BLE001
            return True
        red = self.PATTERN.sub(r"\1<redacted>", msg)
        if red != msg:
            record.msg, record.args = red, ()
        return True
