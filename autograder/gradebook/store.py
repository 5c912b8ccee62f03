"""The gradebook's database: engine and schema check, people, submissions, counted scores, and
the command line's batches. Queue operations come from ``QueueOps``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from sqlalchemy import create_engine, event, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from autograder.config import ConfigError, Course, Week
from autograder.gradebook.credentials import _DUMMY_HASH, hash_secret, new_secret, verify_secret
from autograder.gradebook.models import (DONE, ERROR, ID_RE, PRIORITY_STUDENT, QUEUED, RUNNING, SCHEMA_VERSION, Base,
                                         Meta, Result, Submission, User, to_utc, utcnow)
from autograder.gradebook.policies import apply_penalty, safe_filename
from autograder.gradebook.extensions import ExtensionOps
from autograder.gradebook.queue import QueueOps
from autograder.gradebook.sessions import SessionOps
from autograder.gradebook.lti import LtiOps, LtiScoreOps
from autograder.gradebook.models import LtiLink

if TYPE_CHECKING:
    from autograder.gradebook.roster import Roster

def database_url(course: Course) -> str:
    """The gradebook's URL: env AUTOGRADER_DATABASE_URL, else course.yml's service.database; a
    relative SQLite path is relative to course.yml's folder (not to the current directory)."""
    url = os.environ.get("AUTOGRADER_DATABASE_URL") or course.service.database
    m = re.match(r"^(sqlite(?:\+\w+)?):///(.*)$", url)
    if m and m.group(2) and m.group(2) != ":memory:" and not m.group(2).startswith("/"):
        url = f"{m.group(1)}:///{(course.root / m.group(2)).resolve()}"
    return url


class Gradebook(QueueOps, SessionOps, ExtensionOps, LtiOps, LtiScoreOps):
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
            gone = []
            made_by_lms = set(s.scalars(select(LtiLink.user_id).where(LtiLink.created.is_(True))))
            for uid, u in existing.items():
                if uid not in listed and u.active and uid not in made_by_lms:
                    u.active = False
                    removed += 1
                    gone.append(uid)
            s.commit()
        for uid in gone:
            self.end_sessions(uid, by="roster")
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
        for u, _ in out:
            self.end_sessions(u.id, by="reissue")
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
        """How many submissions workers will take before this one (0: next), in the queue's fair
        order (``queue.fair_order``: round-robin over students, students before regrades)."""
        if sub.status != QUEUED:
            return 0
        order = self.claim_order()
        return order.index(sub.id) if sub.id in order else 0

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
        from autograder.batch import course_roster_index, plan

        todo, _, dups = plan(files, out, regrade=True, roster=course_roster_index(course))
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
