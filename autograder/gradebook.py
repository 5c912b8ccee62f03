"""The gradebook: people, submissions, results and regrade history in one SQL database.

Shared by the command line (`autograder grade --gradebook`, `export`, `roster invite`) and the
submission service (`autograder serve`, `autograder worker`). SQLite by default, any SQLAlchemy
URL (e.g. PostgreSQL) by configuration.

The grading queue lives in the ``submissions`` table itself: a row is ``queued``, ``running``
(claimed by one worker, with a lease), ``done`` or ``error``. A worker claims a row with one
conditional UPDATE (``… WHERE id = ? AND (status = 'queued' OR lease expired)``), so two workers
can never both own it; it renews the lease while it grades; the result row is inserted and the
status set to ``done`` in the same transaction, and only if the worker still holds the claim
(``claim_token``). So a crash at any point loses nothing and records nothing twice: the row stays
``running`` until its lease expires (or the service sees at start-up that its worker is dead) and
is then graded again from scratch, once.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import math
import os
import re
import secrets
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import (Boolean, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text, and_, create_engine,
                        event, func, or_, select, update)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, deferred, mapped_column, sessionmaker

from autograder.config import ConfigError, Course, Week

SCHEMA_VERSION = 1
ROLES = ("student", "ta", "instructor")
STAFF = ("ta", "instructor")
QUEUED, RUNNING, DONE, ERROR = "queued", "running", "done", "error"
MAX_ATTEMPTS = 3  # a submission that kills its worker this often is marked as an error
PRIORITY_STUDENT, PRIORITY_REGRADE = 0, 1  # students waiting for feedback go before a batch regrade
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def utcnow() -> dt.datetime:
    """Naive UTC (what every DateTime column holds, on every database)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def to_utc(t: dt.datetime) -> dt.datetime:
    return t.astimezone(dt.timezone.utc).replace(tzinfo=None) if t.tzinfo else t


# --------------------------------------------------------------------------- schema

class Base(DeclarativeBase):
    pass


class Meta(Base):
    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    section: Mapped[str] = mapped_column(String(50), default="")
    role: Mapped[str] = mapped_column(String(20), default="student")
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # False: no longer in the roster
    secret_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    secret_version: Mapped[int] = mapped_column(Integer, default=0)  # bumped on reissue: old sessions end
    invited_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class Regrade(Base):
    __tablename__ = "regrades"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    week: Mapped[str] = mapped_column(String(20), index=True)
    requested_by: Mapped[str] = mapped_column(String(100))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    count: Mapped[int] = mapped_column(Integer, default=0)


class Submission(Base):
    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    student: Mapped[str] = mapped_column(String(100), index=True)
    week: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    source: Mapped[str] = mapped_column(String(20), default="web")  # web | cli
    filename: Mapped[str] = mapped_column(String(200), default="")  # as uploaded, sanitised; never a path
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    notebook: Mapped[bytes] = deferred(mapped_column(LargeBinary))  # the bytes: remote workers need only the DB
    late_seconds: Mapped[int] = mapped_column(Integer, default=0)
    penalty: Mapped[float] = mapped_column(Float, default=0.0)  # fraction of the score lost (late policy)
    # queue
    status: Mapped[str] = mapped_column(String(20), default=QUEUED, index=True)
    priority: Mapped[int] = mapped_column(Integer, default=PRIORITY_STUDENT)
    reason: Mapped[str] = mapped_column(String(20), default="initial")  # initial | regrade
    regrade_id: Mapped[int | None] = mapped_column(ForeignKey("regrades.id"), nullable=True)
    queued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    claim_token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    result_id: Mapped[int | None] = mapped_column(
        ForeignKey("results.id", use_alter=True, name="fk_submissions_result"), nullable=True)


class Result(Base):
    """One grading of one submission; a regrade adds a row (history), the submission points to the latest."""

    __tablename__ = "results"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(20), default="initial")  # initial | regrade | cli
    regrade_id: Mapped[int | None] = mapped_column(ForeignKey("regrades.id"), nullable=True)
    worker: Mapped[str] = mapped_column(String(200), default="")
    grade_status: Mapped[str] = mapped_column(String(30))  # ok | timeout | kernel-died | invalid-notebook | …
    message: Mapped[str] = mapped_column(Text, default="")
    raw_score: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)  # after the late penalty: what counts
    scores_json: Mapped[str] = mapped_column(Text)  # {question: score or null (manual)}
    gradescope_json: Mapped[str] = mapped_column(Text)  # results.to_gradescope: hidden tests as scores only
    feedback_md: Mapped[str] = mapped_column(Text)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)

    @property
    def gradescope(self) -> dict:
        return json.loads(self.gradescope_json)

    @property
    def scores(self) -> dict:
        return json.loads(self.scores_json)


class WorkerRow(Base):
    __tablename__ = "workers"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    heartbeat_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    graded: Mapped[int] = mapped_column(Integer, default=0)


# --------------------------------------------------------------------------- database

def database_url(course: Course) -> str:
    """The gradebook's URL: env AUTOGRADER_DATABASE_URL, else course.yml's service.database; a
    relative SQLite path is relative to course.yml's folder (not to the current directory)."""
    url = os.environ.get("AUTOGRADER_DATABASE_URL") or course.service.database
    m = re.match(r"^(sqlite(?:\+\w+)?):///(.*)$", url)
    if m and m.group(2) and m.group(2) != ":memory:" and not m.group(2).startswith("/"):
        url = f"{m.group(1)}:///{(course.root / m.group(2)).resolve()}"
    return url


class Gradebook:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"pool_pre_ping": True}
        if self.is_sqlite:
            m = re.match(r"^sqlite(?:\+\w+)?:///(.+)$", url)
            if m and m.group(1) != ":memory:":
                Path(m.group(1)).parent.mkdir(parents=True, exist_ok=True)
            kwargs.update(connect_args={"timeout": 60, "check_same_thread": False}, pool_size=10, max_overflow=30)
        self.engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            @event.listens_for(self.engine, "connect")
            def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer (workers + web)
                cur.execute("PRAGMA busy_timeout=60000")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.close()
        self.Session = sessionmaker(self.engine, expire_on_commit=False)
        Base.metadata.create_all(self.engine)
        with self.Session() as s:
            row = s.get(Meta, "schema_version")
            if row is None:
                s.add(Meta(key="schema_version", value=str(SCHEMA_VERSION)))
                try:
                    s.commit()
                except Exception:  # noqa: BLE001 - another process created it at the same moment
                    s.rollback()
            elif int(row.value) != SCHEMA_VERSION:
                raise ConfigError(f"gradebook schema version {row.value}, this program expects {SCHEMA_VERSION}")

    @property
    def display_url(self) -> str:
        """The URL without its password (for messages and logs)."""
        return self.engine.url.render_as_string(hide_password=True)

    def session(self) -> Session:
        return self.Session()

    def dispose(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ people
    def user(self, uid: str) -> User | None:
        with self.session() as s:
            return s.get(User, uid)

    def users(self, role: str | None = None, active_only: bool = True) -> list[User]:
        with self.session() as s:
            q = select(User).order_by(User.role, User.id)
            if role:
                q = q.where(User.role == role)
            if active_only:
                q = q.where(User.active.is_(True))
            return list(s.scalars(q))

    def sync_roster(self, roster: "Roster") -> dict[str, int]:
        """Upsert the roster's people; people no longer listed are deactivated (their history stays)."""
        added = updated = removed = 0
        with self.session() as s:
            existing = {u.id: u for u in s.scalars(select(User))}
            listed = set()
            for p in roster.people:
                listed.add(p.id)
                u = existing.get(p.id)
                if u is None:
                    s.add(User(id=p.id, name=p.name, email=p.email, section=p.section, role=p.role, active=True))
                    added += 1
                elif (u.name, u.email, u.section, u.role, u.active) != (p.name, p.email, p.section, p.role, True):
                    u.name, u.email, u.section, u.role, u.active = p.name, p.email, p.section, p.role, True
                    updated += 1
            for uid, u in existing.items():
                if uid not in listed and u.active:
                    u.active = False
                    removed += 1
            s.commit()
        return {"added": added, "updated": updated, "removed": removed}

    def invite(self, ids: Iterable[str] | None = None, reissue: bool = False) -> tuple[list[tuple[User, str]], list[str]]:
        """New secrets for the named people (None: everyone active without one). Returns
        ([(user, secret)], [ids skipped because they already have one]). Only hashes are stored."""
        out, skipped = [], []
        with self.session() as s:
            if ids is None:
                users = list(s.scalars(select(User).where(User.active.is_(True)).order_by(User.role, User.id)))
            else:
                users = []
                for uid in ids:
                    u = s.get(User, uid)
                    if u is None or not u.active:
                        raise ConfigError(f"{uid!r} is not in the roster")
                    users.append(u)
            for u in users:
                if u.secret_hash and not reissue:
                    skipped.append(u.id)
                    continue
                secret = new_secret()
                u.secret_hash = hash_secret(secret)
                u.secret_version = (u.secret_version or 0) + 1
                u.invited_at = utcnow()
                out.append((u, secret))
            s.commit()
        return out, skipped

    def authenticate(self, uid: str, secret: str) -> User | None:
        u = self.user(uid) if ID_RE.match(uid or "") else None
        if u is None or not u.active or not u.secret_hash:
            verify_secret(secret, _DUMMY_HASH)  # same work either way: no timing oracle for ids
            return None
        if not verify_secret(secret, u.secret_hash):
            return None
        with self.session() as s:
            s.execute(update(User).where(User.id == uid).values(last_login_at=utcnow()))
            s.commit()
        return u

    # ------------------------------------------------------------------ submissions
    def add_submission(self, student: str, week: str, data: bytes, filename: str, *, source: str = "web",
                       late_seconds: int = 0, penalty: float = 0.0, now: dt.datetime | None = None) -> int:
        now = to_utc(now) if now else utcnow()
        sub = Submission(student=student, week=week, created_at=now, queued_at=now, source=source,
                         filename=safe_filename(filename), size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                         notebook=data, late_seconds=int(late_seconds), penalty=float(penalty), status=QUEUED,
                         priority=PRIORITY_STUDENT, reason="initial", attempts=0)
        with self.session() as s:
            s.add(sub)
            s.commit()
            return sub.id

    def add_submission_limited(self, student: str, week: str, data: bytes, filename: str, *, limit: int,
                               window: dt.timedelta, now: dt.datetime | None = None, **kw: Any) -> int | None:
        """Add a submission unless the student made ``limit`` in ``window`` already (then None).

        Insert first, then count what came before it: two racing uploads can both be refused at
        the limit, never both accepted past it."""
        now = to_utc(now) if now else utcnow()
        sid = self.add_submission(student, week, data, filename, now=now, **kw)
        with self.session() as s:
            n = s.scalar(select(func.count()).select_from(Submission).where(
                Submission.student == student, Submission.source == "web",
                Submission.created_at > now - window, Submission.id <= sid))
            if n > limit:
                s.execute(Submission.__table__.delete().where(Submission.id == sid))
                s.commit()
                return None
        return sid

    def submission(self, sid: int, with_notebook: bool = False) -> Submission | None:
        with self.session() as s:
            sub = s.get(Submission, sid)
            if sub is not None and with_notebook:
                _ = sub.notebook
            return sub

    def result(self, rid: int | None) -> Result | None:
        if rid is None:
            return None
        with self.session() as s:
            return s.get(Result, rid)

    def submissions(self, *, student: str | None = None, week: str | None = None) -> list[tuple[Submission, Result | None]]:
        """Newest first, each with its current result (or None)."""
        with self.session() as s:
            q = select(Submission, Result).outerjoin(Result, Submission.result_id == Result.id)
            if student is not None:
                q = q.where(Submission.student == student)
            if week is not None:
                q = q.where(Submission.week == week)
            return [(a, b) for a, b in s.execute(q.order_by(Submission.created_at.desc(), Submission.id.desc()))]

    def history(self, sid: int) -> list[Result]:
        with self.session() as s:
            return list(s.scalars(select(Result).where(Result.submission_id == sid).order_by(Result.id)))

    def queue_position(self, sub: Submission) -> int:
        """How many queued submissions are ahead of this one (0: next)."""
        if sub.status != QUEUED:
            return 0
        with self.session() as s:
            return s.scalar(select(func.count()).select_from(Submission).where(
                Submission.status == QUEUED,
                or_(Submission.priority < sub.priority,
                    and_(Submission.priority == sub.priority,
                         or_(Submission.queued_at < sub.queued_at,
                             and_(Submission.queued_at == sub.queued_at, Submission.id < sub.id)))))) or 0

    def queue_counts(self) -> dict[str, int]:
        with self.session() as s:
            rows = s.execute(select(Submission.status, func.count()).group_by(Submission.status))
            counts = {k: 0 for k in (QUEUED, RUNNING, DONE, ERROR)}
            counts.update({a: b for a, b in rows})
            return counts

    def week_counts(self) -> dict[str, dict[str, int]]:
        with self.session() as s:
            out: dict[str, dict[str, int]] = {}
            for week, status, n in s.execute(select(Submission.week, Submission.status, func.count())
                                             .group_by(Submission.week, Submission.status)):
                out.setdefault(week, {})[status] = n
            for week, n in s.execute(select(Submission.week, func.count(func.distinct(Submission.student)))
                                     .group_by(Submission.week)):
                out.setdefault(week, {})["students"] = n
            return out

    # ------------------------------------------------------------------ queue
    def claim(self, worker_id: str, lease_s: float, weeks: Iterable[str] | None = None) -> "Claim | None":
        """Atomically take the next submission to grade (or None). Portable compare-and-set."""
        for _ in range(20):
            now = utcnow()
            claimable = or_(Submission.status == QUEUED,
                            and_(Submission.status == RUNNING, Submission.lease_until < now))
            with self.session() as s:
                q = select(Submission.id).where(claimable)
                if weeks is not None:
                    q = q.where(Submission.week.in_(list(weeks)))
                sid = s.scalars(q.order_by(Submission.priority, Submission.queued_at, Submission.id).limit(1)).first()
                if sid is None:
                    return None
                token = uuid.uuid4().hex
                res = s.execute(update(Submission).where(Submission.id == sid, claimable).values(
                    status=RUNNING, claimed_by=worker_id, claim_token=token,
                    lease_until=now + dt.timedelta(seconds=lease_s), attempts=Submission.attempts + 1,
                    started_at=now))
                if res.rowcount != 1:
                    s.rollback()
                    continue  # another worker won this one; try the next
                s.commit()
                sub = s.get(Submission, sid)
                data = sub.notebook
                if sub.attempts > MAX_ATTEMPTS:
                    self._give_up(sid, token, f"grading failed {sub.attempts - 1} times (the grader stopped "
                                              "while grading it); not retried")
                    continue
                return Claim(id=sid, token=token, worker=worker_id, student=sub.student, week=sub.week,
                             notebook=data, penalty=sub.penalty, reason=sub.reason, regrade_id=sub.regrade_id,
                             attempts=sub.attempts)
        return None

    def _give_up(self, sid: int, token: str, message: str) -> None:
        with self.session() as s:
            s.execute(update(Submission).where(Submission.id == sid, Submission.claim_token == token).values(
                status=ERROR, error=message, finished_at=utcnow(), claimed_by=None, claim_token=None,
                lease_until=None))
            s.commit()

    def renew(self, claim: "Claim", lease_s: float) -> bool:
        """Extend the lease; False if the claim was lost (lease expired and someone else took it)."""
        with self.session() as s:
            n = s.execute(update(Submission).where(
                Submission.id == claim.id, Submission.claim_token == claim.token, Submission.status == RUNNING
            ).values(lease_until=utcnow() + dt.timedelta(seconds=lease_s))).rowcount
            s.commit()
            return n == 1

    def finish(self, claim: "Claim", r: Any) -> bool:
        """Record a SubmissionResult and mark the row done, in one transaction, only if the claim
        still holds. Returns False (and records nothing) if it does not."""
        from autograder.results import feedback_markdown, to_gradescope

        gs = to_gradescope(r)
        now = utcnow()
        with self.session() as s:
            res = Result(submission_id=claim.id, created_at=now, kind=claim.reason, regrade_id=claim.regrade_id,
                         worker=claim.worker, grade_status=r.status, message=r.message, raw_score=r.total,
                         max_score=r.max_score, score=apply_penalty(r.total, claim.penalty),
                         scores_json=json.dumps(gs["extra_data"]["scores"], ensure_ascii=False),
                         gradescope_json=json.dumps(gs, ensure_ascii=False),
                         feedback_md=feedback_markdown(r), seconds=round(r.seconds, 3))
            s.add(res)
            s.flush()
            n = s.execute(update(Submission).where(
                Submission.id == claim.id, Submission.claim_token == claim.token, Submission.status == RUNNING
            ).values(status=DONE, result_id=res.id, finished_at=now, claimed_by=None, claim_token=None,
                     lease_until=None, error=None)).rowcount
            if n != 1:
                s.rollback()
                return False
            s.execute(update(WorkerRow).where(WorkerRow.id == claim.worker).values(graded=WorkerRow.graded + 1))
            s.commit()
            return True

    def fail(self, claim: "Claim", message: str) -> None:
        """The grader itself failed (not the submission): retry, up to MAX_ATTEMPTS, then error."""
        with self.session() as s:
            final = claim.attempts >= MAX_ATTEMPTS
            s.execute(update(Submission).where(
                Submission.id == claim.id, Submission.claim_token == claim.token, Submission.status == RUNNING
            ).values(status=ERROR if final else QUEUED, error=message[:2000], claimed_by=None, claim_token=None,
                     lease_until=None, finished_at=utcnow() if final else None))
            s.commit()

    def release(self, claim: "Claim") -> bool:
        """Give a claim back unfinished (worker shutting down): the row is queued again at once."""
        with self.session() as s:
            n = s.execute(update(Submission).where(
                Submission.id == claim.id, Submission.claim_token == claim.token, Submission.status == RUNNING
            ).values(status=QUEUED, claimed_by=None, claim_token=None, lease_until=None,
                     attempts=Submission.attempts - 1)).rowcount
            s.commit()
            return n == 1

    def requeue_dead(self, is_dead: Callable[[str], bool]) -> list[int]:
        """Queue again the running rows whose worker is known to be dead (e.g. after kill -9)."""
        out = []
        with self.session() as s:
            rows = list(s.execute(select(Submission.id, Submission.claimed_by).where(Submission.status == RUNNING)))
        for sid, owner in rows:
            if owner and is_dead(owner):
                with self.session() as s:
                    n = s.execute(update(Submission).where(
                        Submission.id == sid, Submission.status == RUNNING, Submission.claimed_by == owner
                    ).values(status=QUEUED, claimed_by=None, claim_token=None, lease_until=None)).rowcount
                    s.commit()
                if n:
                    out.append(sid)
        return out

    def register_worker(self, worker_id: str) -> None:
        host, pid = worker_id.split(":")[0], int(worker_id.split(":")[1]) if worker_id.count(":") >= 2 else 0
        with self.session() as s:
            row = s.get(WorkerRow, worker_id)
            if row is None:
                s.add(WorkerRow(id=worker_id, host=host, pid=pid))
            else:
                row.heartbeat_at = utcnow()
            s.commit()

    def worker_heartbeat(self, worker_id: str) -> None:
        with self.session() as s:
            s.execute(update(WorkerRow).where(WorkerRow.id == worker_id).values(heartbeat_at=utcnow()))
            s.commit()

    def workers(self, since_s: float = 120) -> list[WorkerRow]:
        with self.session() as s:
            return list(s.scalars(select(WorkerRow).where(
                WorkerRow.heartbeat_at > utcnow() - dt.timedelta(seconds=since_s)).order_by(WorkerRow.id)))

    def regrade_week(self, week: str, requested_by: str) -> tuple[int, int]:
        """Queue every graded (or failed) submission of the week again; old results stay as history.
        Returns (regrade id, number queued). Submissions still queued or running are left alone."""
        now = utcnow()
        with self.session() as s:
            rg = Regrade(week=week, requested_by=requested_by, requested_at=now)
            s.add(rg)
            s.flush()
            n = s.execute(update(Submission).where(Submission.week == week, Submission.status.in_([DONE, ERROR]))
                          .values(status=QUEUED, reason="regrade", regrade_id=rg.id, priority=PRIORITY_REGRADE,
                                  attempts=0, queued_at=now, error=None, finished_at=None)).rowcount
            rg.count = n
            s.commit()
            return rg.id, n

    def regrades(self, week: str | None = None) -> list[Regrade]:
        with self.session() as s:
            q = select(Regrade).order_by(Regrade.id.desc())
            if week:
                q = q.where(Regrade.week == week)
            return list(s.scalars(q))

    # ------------------------------------------------------------------ scores
    def counted(self, week: str, policy: str, student: str | None = None) -> dict[str, tuple[Submission, Result]]:
        """The submission that counts per student: the newest graded one (last) or the highest score
        after penalty (best; the newest among equals). A regrade in progress keeps the old result."""
        with self.session() as s:
            q = select(Submission, Result).join(Result, Submission.result_id == Result.id).where(Submission.week == week)
            if student is not None:
                q = q.where(Submission.student == student)
            rows = list(s.execute(q.order_by(Submission.created_at, Submission.id)))
        out: dict[str, tuple[Submission, Result]] = {}
        for sub, res in rows:
            cur = out.get(sub.student)
            if cur is None or policy == "last" or res.score >= cur[1].score - 1e-9:
                out[sub.student] = (sub, res)
        return out

    # ------------------------------------------------------------------ command-line batches
    def record_batch(self, course: Course, week: Week, files: list[Path], out: Path) -> dict[str, int]:
        """Record what `autograder grade` wrote under ``out`` for these files. Idempotent: a file
        already recorded with the same result is skipped; a changed result (e.g. --regrade) adds a
        result to the same submission (history)."""
        from autograder.batch import plan

        todo, _, dups = plan(files, out, regrade=True)
        stats = {"recorded": 0, "updated": 0, "unchanged": 0, "missing": 0, "duplicates": len(dups)}
        for job in todo:
            res_path, fb_path = out / "results" / f"{job.student}.json", out / "feedback" / f"{job.student}.md"
            try:
                data = job.path.read_bytes()
                gs = json.loads(res_path.read_text(encoding="utf-8"))
                feedback = fb_path.read_text(encoding="utf-8")
                extra = gs["extra_data"]
            except (OSError, ValueError, KeyError):
                stats["missing"] += 1
                continue
            digest = hashlib.sha256(data).hexdigest()
            if extra.get("sha256") and extra["sha256"] != digest:
                stats["missing"] += 1  # the results file is for an older version of this file
                continue
            gs_text = json.dumps(gs, ensure_ascii=False)
            with self.session() as s:
                sub = s.scalars(select(Submission).where(
                    Submission.student == job.student, Submission.week == week.id, Submission.source == "cli",
                    Submission.sha256 == digest).order_by(Submission.id.desc())).first()
                if sub is not None and sub.result_id is not None:
                    old = s.get(Result, sub.result_id)
                    if old is not None and old.gradescope_json == gs_text:
                        stats["unchanged"] += 1
                        continue
                now = utcnow()
                if sub is None:
                    sub = Submission(student=job.student, week=week.id, created_at=now, queued_at=now, source="cli",
                                     filename=safe_filename(job.path.name), size=len(data), sha256=digest,
                                     notebook=data, status=DONE, finished_at=now)
                    s.add(sub)
                    s.flush()
                    stats["recorded"] += 1
                    kind = "cli"
                else:
                    stats["updated"] += 1
                    kind = "regrade"
                res = Result(submission_id=sub.id, created_at=now, kind=kind, worker="cli",
                             grade_status=extra["status"], message=extra.get("message", ""), raw_score=gs["score"],
                             max_score=extra["max_score"], score=apply_penalty(gs["score"], sub.penalty),
                             scores_json=json.dumps(extra["scores"], ensure_ascii=False), gradescope_json=gs_text,
                             feedback_md=feedback, seconds=float(extra.get("seconds", 0.0)))
                s.add(res)
                s.flush()
                sub.result_id, sub.status = res.id, DONE
                s.commit()
        return stats


@dataclass
class Claim:
    id: int
    token: str
    worker: str
    student: str
    week: str
    notebook: bytes
    penalty: float
    reason: str
    regrade_id: int | None
    attempts: int


# --------------------------------------------------------------------------- policies

def apply_penalty(score: float, penalty: float) -> float:
    return round(max(0.0, score * (1.0 - penalty)), 4)


def late_penalty(course: Course, week: Week, now: dt.datetime) -> tuple[bool, int, float]:
    """(accepted, seconds late, penalty fraction) for a submission made at ``now`` (aware)."""
    late = course.service.late
    due = course.aware(week.due)
    seconds = (now - due).total_seconds()
    if seconds <= 0:
        return True, 0, 0.0
    if seconds > late.window_hours * 3600:
        return False, int(seconds), 1.0
    days = math.ceil(seconds / 86400)
    return True, int(seconds), min(1.0, days * late.penalty_percent_per_day / 100.0)


def safe_filename(name: str) -> str:
    """A display name for an uploaded file: its last path component, printable, at most 100 chars.
    Never used to build a path (uploads are stored in the database)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^\w .()+-]", "_", base, flags=re.UNICODE).strip(" .") or "notebook.ipynb"
    return base[-100:]


def safe_join(folder: Path, name: str) -> Path:
    """``folder / name``, refusing anything that would land outside ``folder``."""
    if not name or "/" in name or "\\" in name or name in (".", "..") or "\x00" in name:
        raise ValueError(f"unsafe file name {name!r}")
    folder = folder.resolve()
    p = (folder / name).resolve()
    if p.parent != folder:
        raise ValueError(f"unsafe file name {name!r}")
    return p


# --------------------------------------------------------------------------- secrets

_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to read out and type
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


def new_secret() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))  # ~79 bits
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def _normal(secret: str) -> bytes:
    return re.sub(r"[\s-]", "", secret or "").lower().encode()


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    h = hashlib.scrypt(_normal(secret), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${h.hex()}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt, h = stored.split("$")
        if algo != "scrypt":
            return False
        got = hashlib.scrypt(_normal(secret)[:200], salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), h)


_DUMMY_HASH = hash_secret("x")


# --------------------------------------------------------------------------- roster

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Strict):
    id: str
    name: str = Field("", max_length=200)
    email: str = Field("", max_length=200)
    section: str = Field("", max_length=50)
    role: Literal["student", "ta", "instructor"] = "student"

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not ID_RE.match(v):
            raise ValueError("must be 1–100 characters A–Z a–z 0–9 . _ - (starting with a letter or digit), "
                             "the same id as in submission file names")
        return v

    @field_validator("section", mode="before")
    @classmethod
    def _section(cls, v: Any) -> str:
        return "" if v is None else str(v)


class _PersonIn(_Strict):
    id: str
    name: str = ""
    email: str = ""
    section: str | int = ""


class _RosterFile(_Strict):
    students: list[_PersonIn] = Field(default_factory=list)
    tas: list[_PersonIn] = Field(default_factory=list)
    instructors: list[_PersonIn] = Field(default_factory=list)


@dataclass
class Roster:
    path: Path
    people: list[Person]

    def ids(self, role: str | None = None) -> list[str]:
        return [p.id for p in self.people if role is None or p.role == role]


def roster_path(course: Course) -> Path:
    p = course.service.roster
    return p if p.is_absolute() else (course.root / p)


def load_roster(path: Path) -> Roster:
    """Read roster.yml (students, tas, instructors); errors name the file, the entry and the field."""
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{name}: not found at {path} (copy roster.example.yml and list your students; "
                          "course.yml's service.roster names the file)") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{name}: not valid YAML: {e}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{name}: top level must be a mapping with students, tas and instructors")
    try:
        data = _RosterFile.model_validate(raw)
    except ValidationError as e:
        lines = []
        for err in e.errors():
            loc = "".join(f"[{p}]" if isinstance(p, int) else (("." if i else "") + str(p))
                          for i, p in enumerate(err["loc"]))
            msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"].removeprefix("Value error, ")
            lines.append(f"{name}: {loc}: {msg}")
        raise ConfigError("\n".join(lines)) from None
    people, seen = [], {}
    problems = []
    for key, role in (("students", "student"), ("tas", "ta"), ("instructors", "instructor")):
        for i, p in enumerate(getattr(data, key)):
            try:
                person = Person(id=p.id, name=p.name, email=p.email, section=str(p.section), role=role)
            except ValidationError as e:
                for err in e.errors():
                    field = ".".join(str(x) for x in err["loc"]) or "id"
                    problems.append(f"{name}: {key}[{i}].{field}: {err['msg'].removeprefix('Value error, ')}")
                continue
            if p.id in seen:
                problems.append(f"{name}: {key}[{i}].id: {p.id!r} is listed twice (also in {seen[p.id]})")
                continue
            seen[p.id] = f"{key}[{i}]"
            people.append(person)
    if problems:
        raise ConfigError("\n".join(problems))
    return Roster(path=path, people=people)


# --------------------------------------------------------------------------- exports

def _questions(course: Course, week: Week, rows: list[tuple[Submission, Result]]) -> list[str]:
    from autograder.weekbuild import WeekBuild

    build = WeekBuild(course.root, week.id)
    if build.exists:
        return build.question_names
    names: list[str] = []
    for _, res in rows:
        for q in res.scores:
            if q not in names:
                names.append(q)
    return names


def export_rows(gb: Gradebook, course: Course, week: Week) -> tuple[list[str], list[dict[str, Any]]]:
    """(question names, one row per student): roster students first, then anyone else who submitted."""
    counted = gb.counted(week.id, course.service.score)
    subs = gb.submissions(week=week.id)
    n_subs: dict[str, int] = {}
    for sub, _ in subs:
        n_subs[sub.student] = n_subs.get(sub.student, 0) + 1
    questions = _questions(course, week, list(counted.values()))
    people = {u.id: u for u in gb.users(role="student")}
    order = list(people) + sorted(s for s in set(n_subs) - set(people))
    rows = []
    for sid in order:
        u = people.get(sid)
        sub, res = counted.get(sid, (None, None))
        scores = res.scores if res else {}
        rows.append({
            "student": sid, "name": u.name if u else "", "email": u.email if u else "",
            "section": u.section if u else "", "in_roster": u is not None,
            "scores": {q: scores.get(q) for q in questions},
            "raw": res.raw_score if res else None, "penalty": sub.penalty if sub else None,
            "score": res.score if res else None, "max": week.points,
            "status": res.grade_status if res else "missing", "submissions": n_subs.get(sid, 0),
            "submission_id": sub.id if sub else None,
            "submitted_at": sub.created_at.replace(tzinfo=dt.timezone.utc).isoformat() if sub else "",
            "late_seconds": sub.late_seconds if sub else 0,
        })
    return questions, rows


def _num(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def export_csv(gb: Gradebook, course: Course, week: Week, fmt: str = "csv") -> str:
    questions, rows = export_rows(gb, course, week)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if fmt == "csv":
        w.writerow(["student", "name", "email", "section", *questions, "raw_total", "late_penalty", "score", "max",
                    "status", "submissions", "submission_id", "submitted_at", "late_hours"])
        for r in rows:
            w.writerow([r["student"], r["name"], r["email"], r["section"],
                        *[_num(r["scores"][q]) for q in questions], _num(r["raw"]),
                        "" if r["penalty"] is None else f"{r['penalty']:.4g}", _num(r["score"]), f"{r['max']:g}",
                        r["status"], r["submissions"], r["submission_id"] or "", r["submitted_at"],
                        f"{r['late_seconds'] / 3600:.2f}" if r["late_seconds"] else ""])
    elif fmt == "canvas":
        # Canvas gradebook import: identity columns, then one column per assignment; the
        # "Points Possible" row gives the maximum. SIS User ID carries our student id.
        col = f"{week.id} {week.title}"
        w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", col])
        w.writerow(["Points Possible", "", "", "", "", f"{week.points:g}"])
        for r in rows:
            w.writerow([r["name"] or r["student"], "", r["student"], r["email"] or r["student"], r["section"],
                        _num(r["score"])])
    elif fmt == "gradescope":
        # Gradescope "Upload scores" (online/offline assignment): identity, one column per question, total.
        w.writerow(["Name", "SID", "Email", *questions, "Total Score"])
        for r in rows:
            if r["score"] is None:
                continue
            w.writerow([r["name"] or r["student"], r["student"], r["email"],
                        *[_num(r["scores"][q]) for q in questions], _num(r["score"])])
    else:
        raise ValueError(f"unknown export format {fmt!r} (csv, canvas or gradescope)")
    return buf.getvalue()


# --------------------------------------------------------------------------- workers

def _start_ticks(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return None


def local_worker_id(pid: int | None = None) -> str:
    """``host:pid:start-time``: with the start time, a reused pid is not mistaken for the worker."""
    pid = pid or os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid) or uuid.uuid4().hex[:8]}"


def local_worker_dead(worker_id: str) -> bool:
    """True if the worker ran on this host and its process is gone; unknown hosts: False (their
    claims return to the queue when the lease expires)."""
    parts = worker_id.split(":")
    if len(parts) < 3 or parts[0] != socket.gethostname() or not parts[1].isdigit():
        return False
    return _start_ticks(int(parts[1])) != parts[2]
