"""The grading queue, kept in the ``submissions`` table itself.

A row is ``queued``, ``running`` (claimed by one worker, with a lease), ``done`` or ``error``. A worker
claims a row with one conditional UPDATE (``… WHERE id = ? AND (status = 'queued' OR lease expired)``),
so two workers can never both own it; it renews the lease while it grades; the result row is
inserted and the status set to ``done`` in the same transaction, and only if the worker still holds
the claim (``claim_token``). So a crash at any point loses nothing and records nothing twice: the row
stays ``running`` until its lease expires (or the service sees at start-up that its worker is dead)
and is then graded again from scratch, once.

The order is fair at a deadline: students' uploads go before a staff regrade (``priority``), and
among equals workers take turns over students rather than uploads. Each student waits since the
later of their oldest queued upload and the last time a worker claimed one of theirs (a claim
that still holds or has ended: a submission whose worker died keeps its student's place); the
student who has waited longest gives their oldest upload. So one student's ten quick uploads do not push
a classmate's single upload back ten places: it goes second. ``fair_order`` is the same rule in
Python, which ``Gradebook.queue_position`` uses to tell a student their place.

PostgreSQL (workers on several machines): the claim picks and locks its row with
``SELECT … FOR UPDATE SKIP LOCKED`` inside the claiming transaction, PostgreSQL's own tool for a
job queue: concurrent claims lock different rows and never wait on each other. SQLite (one
machine) keeps the portable compare-and-set.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import json
import os
import socket
import uuid
from collections import deque
from typing import Any, Callable, Iterable, Sequence

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.orm import Session

from autograder.gradebook.models import (DONE, ERROR, MAX_ATTEMPTS, PRIORITY_REGRADE, QUEUED, RUNNING, Claim,
                                         Regrade, Result, Submission, WorkerRow, utcnow)
from autograder.gradebook.policies import apply_penalty


class QueueOps:
    """The queue's operations, mixed into ``Gradebook`` (which provides ``session()``)."""

    is_sqlite: bool  # provided by Gradebook

    def session(self) -> Session:  # pragma: no cover - provided by Gradebook
        raise NotImplementedError

    def claim(self, worker_id: str, lease_s: float, weeks: Iterable[str] | None = None) -> "Claim | None":
        """Atomically take the next submission to grade (or None), in the fair order (module docstring).

        PostgreSQL: the row is chosen and locked in one statement (``FOR UPDATE SKIP LOCKED``), so
        concurrent workers on any machine each lock a different row without waiting on one another,
        and is marked ``running`` in the same transaction. SQLite (one machine): a conditional
        UPDATE (compare-and-set) that retries with the next row if another worker won it."""
        is_pg = not self.is_sqlite
        for _ in range(20):
            now = utcnow()
            claimable = _claimable(now)
            with self.session() as s:
                q = _fair_select(claimable, weeks)
                if is_pg:
                    q = q.with_for_update(of=Submission, skip_locked=True)
                sid = s.scalars(q).first()
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

    def claim_order(self, weeks: Iterable[str] | None = None) -> list[int]:
        """The claimable submissions' ids in the order workers will take them if nothing new
        arrives: ``fair_order`` over the same rows and last-served times that ``claim`` reads."""
        now = utcnow()
        with self.session() as s:
            q = select(Submission.id, Submission.student, Submission.priority, Submission.queued_at).where(
                _claimable(now))
            if weeks is not None:
                q = q.where(Submission.week.in_(list(weeks)))
            rows = [tuple(r) for r in s.execute(q)]
            if not rows:
                return []
            students = sorted({r[1] for r in rows})
            served = {st: t for st, t in s.execute(select(Submission.student, func.max(Submission.started_at))
                                                   .where(Submission.student.in_(students), ~_claimable(now))
                                                   .group_by(Submission.student))}
        return fair_order(rows, served)

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


# --------------------------------------------------------------------------- the fair order

def _claimable(now: dt.datetime) -> ColumnElement[bool]:
    return or_(Submission.status == QUEUED, and_(Submission.status == RUNNING, Submission.lease_until < now))


def _fair_select(claimable: ColumnElement[bool], weeks: Iterable[str] | None):  # noqa: ANN202 - a Select
    """SELECT the id of the next claimable row in the fair order (see the module docstring)."""
    cand = select(Submission.student, Submission.priority, Submission.queued_at).where(claimable)
    if weeks is not None:
        cand = cand.where(Submission.week.in_(list(weeks)))
    cand = cand.subquery("cand")
    heads = (select(cand.c.student, cand.c.priority, func.min(cand.c.queued_at).label("oldest"))
             .group_by(cand.c.student, cand.c.priority).subquery("heads"))
    # Served: claims that hold (running, lease valid) or ended. A claimable row's own start (a
    # worker that died or stalled) does not count, so its student keeps their place.
    served = (select(Submission.student, func.max(Submission.started_at).label("last"))
              .where(~claimable).group_by(Submission.student).subquery("served"))
    turn = case((served.c.last > heads.c.oldest, served.c.last), else_=heads.c.oldest)
    q = (select(Submission.id)
         .join(heads, and_(heads.c.student == Submission.student, heads.c.priority == Submission.priority))
         .outerjoin(served, served.c.student == Submission.student)
         .where(claimable))
    if weeks is not None:
        q = q.where(Submission.week.in_(list(weeks)))
    return q.order_by(Submission.priority, turn, Submission.queued_at, Submission.id).limit(1)


def fair_order(rows: Sequence[tuple[int, str, int, dt.datetime]],
               last_served: dict[str, dt.datetime | None]) -> list[int]:
    """The order in which successive claims take ``rows`` (id, student, priority, queued_at), given
    each student's last claim time: what ``_fair_select`` picks, applied again after every claim.

    Each (student, priority) group waits since the later of its oldest row and the student's last
    claim; the group waiting longest gives its oldest row, and the student's last claim becomes
    "now" (later than every real time here), which sends them behind everyone not yet served."""
    groups: dict[tuple[str, int], deque] = {}
    for r in sorted(rows, key=lambda r: (r[3], r[0])):
        groups.setdefault((r[1], r[2]), deque()).append(r)
    served: dict[str, tuple] = {st: (0, t) for st, t in last_served.items() if t is not None}
    tick = itertools.count()

    def key(g: tuple[str, int]) -> tuple:
        head, last = groups[g][0], served.get(g[0])
        turn = (0, head[3]) if last is None or last <= (0, head[3]) else last
        return (g[1], turn, head[3], head[0])

    heap = [(key(g), g) for g in groups]
    heapq.heapify(heap)
    out: list[int] = []
    while heap:
        k, g = heapq.heappop(heap)
        if k != (now := key(g)):  # the student was served at another priority since: wait again
            heapq.heappush(heap, (now, g))
            continue
        out.append(groups[g].popleft()[0])
        served[g[0]] = (1, next(tick))
        if groups[g]:
            heapq.heappush(heap, (key(g), g))
    return out


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
