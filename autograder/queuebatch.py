"""A TA's batch graded by the gradebook's workers: `autograder grade WEEK DIR --via-queue`.

The notebooks are recorded as command-line submissions (``source="cli"``, as ``--gradebook``
records them) and queued behind students' uploads (``PRIORITY_REGRADE``); workers on any machine
(`autograder worker`, `autograder serve`) grade them; this process only waits, and writes each
result as it arrives into ``grades.csv``, ``results/`` and ``feedback/`` exactly as a local batch
does (the results file last). It never claims anything: Ctrl-C leaves the queue as it was (the
workers go on grading), and a re-run finds each file's submission again by student, week and
sha256, so it queues nothing twice and picks up where it stopped. ``--regrade`` queues again the
submissions of files that are already graded.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import select, update

from autograder.batch import Job, course_roster_index, duplicate_status, plan, sha256, write_csv
from autograder.config import Course, Week
from autograder.gradebook import DONE, ERROR, PRIORITY_REGRADE, QUEUED, Gradebook, Result, Submission, utcnow
from autograder.gradebook.policies import safe_filename
from autograder.results import (NEEDS_A_LOOK, QuestionResult, SubmissionResult, atomic_write, load_results,
                                write_submission)
from autograder.weekbuild import WeekBuild


_sleep = time.sleep  # the wait between polls (tests interrupt it)


@dataclass
class QueuedBatch:
    pending: dict[int, Job] = field(default_factory=dict)  # submission id -> file
    queued: int = 0  # newly queued (or queued again with --regrade) by this run
    waiting: int = 0  # found queued or running from an earlier run
    skipped: int = 0  # graded already in ``out``
    duplicates: int = 0


def enqueue(gb: Gradebook, week: Week, files: list[Path], out: Path, *, regrade: bool = False,
            roster: dict[str, str] | None = None) -> QueuedBatch:
    """Record and queue the files that ``out`` does not hold a result for yet (all with ``regrade``)."""
    todo, skipped, dups = plan(files, out, regrade, roster)
    qb = QueuedBatch(skipped=len(skipped), duplicates=len(dups))
    for job in todo:
        data = job.path.read_bytes()
        digest = sha256(job.path)
        with gb.session() as s:
            sub = s.scalars(select(Submission).where(
                Submission.student == job.student, Submission.week == week.id, Submission.source == "cli",
                Submission.sha256 == digest).order_by(Submission.id.desc())).first()
            now = utcnow()
            if sub is None:
                sub = Submission(student=job.student, week=week.id, created_at=now, queued_at=now, source="cli",
                                 filename=safe_filename(job.path.name), size=len(data), sha256=digest, notebook=data,
                                 status=QUEUED, priority=PRIORITY_REGRADE, reason="cli", attempts=0)
                s.add(sub)
                qb.queued += 1
            elif sub.status in (DONE, ERROR) and regrade:
                s.execute(update(Submission).where(Submission.id == sub.id, Submission.status.in_([DONE, ERROR]))
                          .values(status=QUEUED, reason="cli", priority=PRIORITY_REGRADE, attempts=0, queued_at=now,
                                  error=None, finished_at=None))
                qb.queued += 1
            elif sub.status not in (DONE, ERROR):
                qb.waiting += 1
            s.commit()
            qb.pending[sub.id] = job
    return qb


def _write_result(out: Path, build: WeekBuild, job: Job, sub: Submission, res: Result | None) -> str:
    """Write one graded submission's files as a local batch would; returns its status."""
    if sub.status == DONE and res is not None:
        data = json.loads(res.gradescope_json)
        if job.same_id:  # files sharing a student id: all graded, all flagged (as a local batch does)
            extra = data["extra_data"]
            extra["status"], extra["message"] = duplicate_status(extra["status"], extra.get("message", ""),
                                                                 job.path, job.same_id)
        atomic_write(out / "feedback" / f"{job.student}.md", res.feedback_md)
        # the results file last, as write_submission does: its presence marks the file as graded
        atomic_write(out / "results" / f"{job.student}.json", json.dumps(data, ensure_ascii=False, indent=1))
        return data["extra_data"]["status"]
    # the workers gave up on it (MAX_ATTEMPTS): a row with the reason, as a local grader crash gives
    r = SubmissionResult(student=job.student, week=sub.week, status="sandbox-error",
                         message=f"grader error: {sub.error or 'unknown'}"[:300],
                         questions=[QuestionResult(q.name, q.points, q.manual) for q in build.questions],
                         sha256=sub.sha256)
    write_submission(out, r)
    return r.status


def collect(gb: Gradebook, build: WeekBuild, qb: QueuedBatch, out: Path, *, poll_s: float = 1.0,
            timeout_s: float | None = None,
            on_progress: Callable[[str, str, int], None] | None = None) -> int:
    """Wait for the pending submissions and write each as it is graded. ``on_progress(student,
    status, live_workers)`` after each; also called with student "" while waiting, so a caller can
    show how many workers are grading. Returns how many were written; raises TimeoutError if
    ``timeout_s`` passes first (what was written stays written)."""
    written, deadline = 0, None if timeout_s is None else time.monotonic() + timeout_s
    pending = dict(qb.pending)
    while pending:
        with gb.session() as s:
            rows = list(s.execute(select(Submission, Result).outerjoin(Result, Submission.result_id == Result.id)
                                  .where(Submission.id.in_(list(pending)))))
        live = len(gb.workers())
        finished = [(sub, res) for sub, res in rows if sub.status in (DONE, ERROR)]
        for sub, res in finished:
            job = pending.pop(sub.id)
            status = _write_result(out, build, job, sub, res)
            written += 1
            write_csv(out, build)
            if on_progress:
                on_progress(job.student, status, live)
        if not pending:
            break
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"{len(pending)} submission(s) not graded yet")
        if on_progress and not finished:
            on_progress("", "", live)
        _sleep(poll_s)
    return written


def grade_via_queue(course: Course, week: Week, gb: Gradebook, files: list[Path], out: Path, *, regrade: bool = False,
                    poll_s: float = 1.0, timeout_s: float | None = None,
                    on_queued: Callable[[QueuedBatch], None] | None = None,
                    on_progress: Callable[[str, str, int], None] | None = None) -> dict:
    """Queue, wait, write. Same return shape as ``batch.grade_batch``."""
    build = WeekBuild(course.root, week.id)
    out.mkdir(parents=True, exist_ok=True)
    qb = enqueue(gb, week, files, out, regrade=regrade, roster=course_roster_index(course))
    write_csv(out, build)
    if on_queued:
        on_queued(qb)
    collect(gb, build, qb, out, poll_s=poll_s, timeout_s=timeout_s, on_progress=on_progress)
    needs_look = sum(1 for r in load_results(out) if r["status"] in NEEDS_A_LOOK)
    return {"graded": len(qb.pending), "skipped": qb.skipped, "duplicates": qb.duplicates, "needs_look": needs_look}
