"""Web security pieces: the server secret, CSRF tokens, body-size limit, headers, login throttle."""

from __future__ import annotations

import hmac
import logging
import os
import re
import secrets
import threading
import time
from collections import defaultdict, deque
from pathlib import Path

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


def csrf_token(session: dict) -> str:
    tok = session.get("csrf")
    if not tok:
        tok = session["csrf"] = secrets.token_urlsafe(32)
    return tok


def csrf_ok(session: dict, sent: object) -> bool:
    tok = session.get("csrf")
    return bool(tok) and isinstance(sent, str) and hmac.compare_digest(tok, sent)


class BodyTooLarge(Exception):
    pass


class LimitBody:
    """Refuse request bodies over ``limit`` bytes with 413, before they are parsed: by the
    Content-Length header when there is one, else by counting what arrives."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await _too_large(send)
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
                await _too_large(send)


async def _too_large(send: Send) -> None:
    body = "Dosya çok büyük (413).".encode()
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


class Throttle:
    """At most ``n`` events per key in ``window_s`` (failed sign-ins per id and per client)."""

    def __init__(self, n: int, window_s: float) -> None:
        self.n, self.window = n, window_s
        self._events: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def blocked(self, key: str) -> bool:
        with self._lock:
            q = self._events[key]
            cutoff = time.monotonic() - self.window
            while q and q[0] < cutoff:
                q.popleft()
            return len(q) >= self.n

    def hit(self, key: str) -> None:
        with self._lock:
            self._events[key].append(time.monotonic())

    def clear(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)


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
