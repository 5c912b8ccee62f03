"""The gradebook's schema: people, submissions (which are also the queue), results, regrades, workers,
similarity reports.

Every DateTime column holds naive UTC (``utcnow``), on every database.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column

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


class SimilarityRun(Base):
    """One similarity report of a week (``gradebook.similarity``): requested on the staff week page,
    computed in the background, the page and CSV kept here so every web process can serve them."""

    __tablename__ = "similarity_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    week: Mapped[str] = mapped_column(String(20), index=True)
    requested_by: Mapped[str] = mapped_column(String(100))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default=RUNNING)  # running | done | error
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    notebooks: Mapped[int] = mapped_column(Integer, default=0)
    pairs: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str | None] = deferred(mapped_column(Text, nullable=True))
    csv: Mapped[str | None] = deferred(mapped_column(Text, nullable=True))


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


class SessionRow(Base):
    """One sign-in (server-side session). The cookie carries only a random id; the table holds its
    SHA-256, so a copy of the database opens nobody's session. Ended rows stay for the staff view."""

    __tablename__ = "sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(100), index=True)
    role: Mapped[str] = mapped_column(String(20))
    secret_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    ended_by: Mapped[str | None] = mapped_column(String(100), nullable=True)  # user id, "logout", "roster", …
    client: Mapped[str] = mapped_column(String(100), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    flash: Mapped[str | None] = mapped_column(Text, nullable=True)  # one message for the next page (PRG)


class Extension(Base):
    """A per-student due date for one week (replaces the week's due; the late window follows it)."""

    __tablename__ = "extensions"
    student: Mapped[str] = mapped_column(String(100), primary_key=True)
    week: Mapped[str] = mapped_column(String(20), primary_key=True)
    due_at: Mapped[dt.datetime] = mapped_column(DateTime)  # naive UTC
    granted_by: Mapped[str] = mapped_column(String(100), default="")
    granted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(200), default="")


class LtiState(Base):
    """One LTI 1.3 login initiation: the OIDC ``state`` (stored as its SHA-256) and the ``nonce``
    the platform must put in the id_token. Used once: the launch marks it used atomically."""

    __tablename__ = "lti_states"
    state_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class LtiLink(Base):
    """An LMS account (issuer, ``sub``) linked to a person in the roster at their first launch."""

    __tablename__ = "lti_links"
    issuer: Mapped[str] = mapped_column(String(300), primary_key=True)
    sub: Mapped[str] = mapped_column(String(255), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(100), index=True)
    created: Mapped[bool] = mapped_column(Boolean, default=False)  # made by the launch: roster sync keeps it
    linked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class LtiLineItem(Base):
    """A week's Assignment and Grade Services endpoints, as the latest launch into it told them."""

    __tablename__ = "lti_lineitems"
    week: Mapped[str] = mapped_column(String(20), primary_key=True)
    lineitems_url: Mapped[str] = mapped_column(String(1000), default="")
    lineitem_url: Mapped[str | None] = mapped_column(String(1000), nullable=True)  # None: created on first score
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class LtiScore(Base):
    """The grade outbox: one score to post to the platform. Pending rows are retried with back-off
    (``next_try_at``); staff see them at /staff/lti."""

    __tablename__ = "lti_scores"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    week: Mapped[str] = mapped_column(String(20), index=True)
    user_id: Mapped[str] = mapped_column(String(100), index=True)
    score_given: Mapped[float] = mapped_column(Float)
    score_maximum: Mapped[float] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # pending | sent | superseded
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
