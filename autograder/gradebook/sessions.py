"""Server-side sign-in sessions: one row per sign-in, ended at once by sign-out, a reissued secret,
removal from the roster or a staff member.

The browser's cookie carries only a random token (signed by the service); the table keys rows by
the token's SHA-256. A session is live while it is not ended, not expired, and its person is still
active with the same role and secret version as when it began.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from autograder.gradebook.models import SessionRow, User, utcnow

SEEN_EVERY = dt.timedelta(minutes=1)  # last_seen_at is written at most this often (no write per request)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionOps:
    """Mixed into ``Gradebook`` (which provides ``session()``)."""

    def session(self) -> Session:  # pragma: no cover - provided by Gradebook
        raise NotImplementedError

    def start_session(self, user: User, hours: float, client: str = "", user_agent: str = "") -> str:
        """A new session for ``user``; returns the token for the cookie (shown nowhere else)."""
        token = secrets.token_urlsafe(32)
        now = utcnow()
        with self.session() as s:
            s.add(SessionRow(id_hash=token_hash(token), user_id=user.id, role=user.role,
                             secret_version=user.secret_version or 0, created_at=now, last_seen_at=now,
                             expires_at=now + dt.timedelta(hours=hours), client=client[:100],
                             user_agent=user_agent[:200]))
            s.commit()
        return token

    def session_user(self, token: str) -> tuple[SessionRow, User] | None:
        """The live session of this token and its person, or None."""
        if not token or len(token) > 200:
            return None
        now = utcnow()
        with self.session() as s:
            row = s.get(SessionRow, token_hash(token))
            if row is None or row.ended_at is not None or row.expires_at <= now:
                return None
            u = s.get(User, row.user_id)
            if u is None or not u.active or u.role != row.role or (u.secret_version or 0) != row.secret_version:
                row.ended_at, row.ended_by = now, row.ended_by or "invalid"
                s.commit()
                return None
            if now - row.last_seen_at > SEEN_EVERY:
                row.last_seen_at = now
                s.commit()
            return row, u

    def end_session(self, token: str, by: str = "logout") -> bool:
        with self.session() as s:
            n = s.execute(update(SessionRow).where(SessionRow.id_hash == token_hash(token),
                                                   SessionRow.ended_at.is_(None))
                          .values(ended_at=utcnow(), ended_by=by[:100])).rowcount
            s.commit()
        return n == 1

    def end_sessions(self, user_id: str, by: str, only: str | None = None) -> int:
        """End ``user_id``'s live sessions (all, or the one whose ``id_hash`` is ``only``); returns how many."""
        with self.session() as s:
            q = update(SessionRow).where(SessionRow.user_id == user_id, SessionRow.ended_at.is_(None))
            if only is not None:
                q = q.where(SessionRow.id_hash == only)
            n = s.execute(q.values(ended_at=utcnow(), ended_by=by[:100])).rowcount
            s.commit()
        return n

    def sessions_of(self, user_id: str, live_only: bool = False, limit: int = 20) -> list[SessionRow]:
        """Newest first."""
        with self.session() as s:
            q = select(SessionRow).where(SessionRow.user_id == user_id)
            if live_only:
                q = q.where(SessionRow.ended_at.is_(None), SessionRow.expires_at > utcnow())
            return list(s.scalars(q.order_by(SessionRow.created_at.desc()).limit(limit)))

    def set_flash(self, token: str, message: str) -> None:
        with self.session() as s:
            s.execute(update(SessionRow).where(SessionRow.id_hash == token_hash(token)).values(flash=message[:2000]))
            s.commit()

    def pop_flash(self, token: str) -> str | None:
        with self.session() as s:
            row = s.get(SessionRow, token_hash(token))
            if row is None or not row.flash:
                return None
            msg, row.flash = row.flash, None
            s.commit()
            return msg
