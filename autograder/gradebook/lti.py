"""Gradebook operations for LTI 1.3 (``service.lti``): single-use login states and the links
between LMS accounts (issuer, ``sub``) and people in the roster.

A state is good for ``STATE_TTL`` after the login initiation and only once: ``consume_state``
marks it used in the same UPDATE that checks it, so two launches racing with one state cannot
both succeed.

The grade outbox (``LtiScoreOps``): a changed counted score is queued as a row; the sender
(``service.lti.deliver_scores``) posts due rows and records success or the error with a back-off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from autograder.gradebook.models import ID_RE, LtiLineItem, LtiLink, LtiScore, LtiState, User, utcnow

STATE_TTL = dt.timedelta(minutes=10)


def _h(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


class LtiOps:
    """Mixed into ``Gradebook`` (which provides ``session()``)."""

    def session(self) -> Session:  # pragma: no cover - provided by Gradebook
        raise NotImplementedError

    def new_lti_state(self) -> tuple[str, str]:
        """A fresh (state, nonce) pair, stored; old unused states are swept on the way."""
        state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = utcnow()
        with self.session() as s:
            s.query(LtiState).filter(LtiState.created_at < now - 10 * STATE_TTL).delete()
            s.add(LtiState(state_hash=_h(state), nonce=nonce, created_at=now))
            s.commit()
        return state, nonce

    def consume_lti_state(self, state: str) -> str | None:
        """The nonce of an unused, unexpired ``state`` (now used), or None."""
        if not state or len(state) > 200:
            return None
        now = utcnow()
        with self.session() as s:
            n = s.execute(update(LtiState).where(LtiState.state_hash == _h(state), LtiState.used_at.is_(None),
                                                 LtiState.created_at > now - STATE_TTL)
                          .values(used_at=now)).rowcount
            if n != 1:
                s.rollback()
                return None
            nonce = s.get(LtiState, _h(state)).nonce
            s.commit()
            return nonce

    def lti_user(self, issuer: str, sub: str, email: str) -> User | None:
        """The person an LMS account is: by its stored link, else by e-mail (then linked)."""
        with self.session() as s:
            link = s.get(LtiLink, (issuer, sub))
            if link is not None:
                return s.get(User, link.user_id)
            if not email:
                return None
            u = s.scalars(select(User).where(func.lower(User.email) == email.strip().lower(),
                                             User.active.is_(True))).first()
            if u is None:
                return None
            s.add(LtiLink(issuer=issuer, sub=sub, user_id=u.id))
            s.commit()
            return u

    def create_lti_student(self, issuer: str, sub: str, email: str, name: str) -> User:
        """A new student for an unknown LMS learner (``lti.create_users``), linked to the account.
        The id is the e-mail's local part (made unique), else ``lti-<sub>``."""
        base = re.sub(r"[^A-Za-z0-9._-]", "", email.split("@")[0]) if email else ""
        base = base if base and ID_RE.match(base) else "lti-" + re.sub(r"[^A-Za-z0-9._-]", "", sub)[:60]
        base = base[:90] or "lti-" + secrets.token_hex(4)
        with self.session() as s:
            uid, i = base, 1
            while s.get(User, uid) is not None:
                i += 1
                uid = f"{base}-{i}"
            u = User(id=uid, name=name[:200], email=email[:200], role="student", active=True)
            s.add(u)
            s.add(LtiLink(issuer=issuer, sub=sub, user_id=uid, created=True))
            s.commit()
            return u

    def lti_sub(self, issuer: str, user_id: str) -> str | None:
        """The LMS ``sub`` linked to a person (grades are posted for it)."""
        with self.session() as s:
            return s.scalars(select(LtiLink.sub).where(LtiLink.issuer == issuer, LtiLink.user_id == user_id)).first()


# --------------------------------------------------------------------------- grade outbox

RETRY_MAX = dt.timedelta(hours=1)


class LtiScoreOps:
    """The grade outbox (``LtiScore``) and the weeks' line items. Mixed into ``Gradebook``."""

    def session(self) -> Session:  # pragma: no cover - provided by Gradebook
        raise NotImplementedError

    def set_lti_endpoint(self, week: str, lineitems: str, lineitem: str | None) -> None:
        with self.session() as s:
            row = s.get(LtiLineItem, week)
            if row is None:
                s.add(LtiLineItem(week=week, lineitems_url=lineitems, lineitem_url=lineitem))
            else:
                row.lineitems_url = lineitems or row.lineitems_url
                row.lineitem_url = lineitem or row.lineitem_url
                row.updated_at = utcnow()
            s.commit()

    def lti_endpoint(self, week: str) -> LtiLineItem | None:
        with self.session() as s:
            return s.get(LtiLineItem, week)

    def enqueue_lti_score(self, week: str, user_id: str, given: float, maximum: float, force: bool = False) -> bool:
        """Queue a score unless it equals the last one queued for (week, person) (``force``: always).
        An older pending score of the same person and week is superseded. True if queued."""
        with self.session() as s:
            last = s.scalars(select(LtiScore).where(LtiScore.week == week, LtiScore.user_id == user_id,
                                                    LtiScore.status != "superseded")
                             .order_by(LtiScore.id.desc())).first()
            if last is not None and not force and abs(last.score_given - given) < 1e-9 \
                    and abs(last.score_maximum - maximum) < 1e-9:
                return False
            s.execute(update(LtiScore).where(LtiScore.week == week, LtiScore.user_id == user_id,
                                             LtiScore.status == "pending").values(status="superseded"))
            s.add(LtiScore(week=week, user_id=user_id, score_given=given, score_maximum=maximum))
            s.commit()
            return True

    def due_lti_scores(self, limit: int = 50) -> list[LtiScore]:
        with self.session() as s:
            return list(s.scalars(select(LtiScore).where(LtiScore.status == "pending",
                                                         LtiScore.next_try_at <= utcnow())
                                  .order_by(LtiScore.id).limit(limit)))

    def lti_score_sent(self, sid: int) -> None:
        with self.session() as s:
            s.execute(update(LtiScore).where(LtiScore.id == sid, LtiScore.status == "pending")
                      .values(status="sent", sent_at=utcnow(), last_error=None))
            s.commit()

    def lti_score_failed(self, sid: int, error: str) -> None:
        """Back-off: 1, 2, 4 … minutes, at most an hour; the row stays pending (visible to staff)."""
        with self.session() as s:
            row = s.get(LtiScore, sid)
            if row is None:
                return
            row.attempts += 1
            row.last_error = error[:2000]
            row.next_try_at = utcnow() + min(dt.timedelta(minutes=2 ** (row.attempts - 1)), RETRY_MAX)
            s.commit()

    def lti_scores(self, week: str | None = None, limit: int = 200) -> list[LtiScore]:
        """Newest first."""
        with self.session() as s:
            q = select(LtiScore)
            if week is not None:
                q = q.where(LtiScore.week == week)
            return list(s.scalars(q.order_by(LtiScore.id.desc()).limit(limit)))
