"""Similarity reports in the gradebook: which submissions a week's report compares, and the
report rows (``SimilarityRun``) the staff week page starts, lists and serves.

A run is created ``running``, computed outside the request (a background thread of the web
process, see ``autograder/service/similarity.py``) and finished ``done`` with its HTML and CSV, or
``error`` with a message. A run left ``running`` by a web process that stopped stays so; a newer
run supersedes it (the page shows the newest first).
"""

from __future__ import annotations

from sqlalchemy import select, update

from autograder.gradebook.models import DONE, ERROR, RUNNING, SimilarityRun, Submission, utcnow
from autograder.gradebook.store import Gradebook


def compared_submissions(gb: Gradebook, week: str, policy: str) -> list[tuple[str, str, bytes]]:
    """(student, label, notebook) per student of the week: the submission that counts under
    ``policy``, or the student's latest when none is graded yet."""
    chosen = {student: sub.id for student, (sub, _) in gb.counted(week, policy).items()}
    for sub, _ in gb.submissions(week=week):  # newest first
        chosen.setdefault(sub.student, sub.id)
    out = []
    with gb.session() as s:
        for student in sorted(chosen):
            sub = s.get(Submission, chosen[student])
            out.append((student, f"teslim #{sub.id}", sub.notebook))
    return out


def start_run(gb: Gradebook, week: str, by: str) -> int:
    with gb.session() as s, s.begin():
        run = SimilarityRun(week=week, requested_by=by, status=RUNNING)
        s.add(run)
        s.flush()
        return run.id


def finish_run(gb: Gradebook, rid: int, *, html: str, csv: str, notebooks: int, pairs: int,
               seconds: float) -> None:
    with gb.session() as s, s.begin():
        s.execute(update(SimilarityRun).where(SimilarityRun.id == rid).values(
            status=DONE, html=html, csv=csv, notebooks=notebooks, pairs=pairs, seconds=seconds,
            finished_at=utcnow()))


def fail_run(gb: Gradebook, rid: int, message: str) -> None:
    with gb.session() as s, s.begin():
        s.execute(update(SimilarityRun).where(SimilarityRun.id == rid).values(
            status=ERROR, message=message[:2000], finished_at=utcnow()))


def runs(gb: Gradebook, week: str, limit: int = 10) -> list[SimilarityRun]:
    """The week's runs, newest first (without their HTML and CSV)."""
    with gb.session() as s:
        q = select(SimilarityRun).where(SimilarityRun.week == week).order_by(SimilarityRun.id.desc()).limit(limit)
        return list(s.scalars(q))


def run(gb: Gradebook, rid: int, with_content: bool = False) -> SimilarityRun | None:
    with gb.session() as s:
        r = s.get(SimilarityRun, rid)
        if r is not None and with_content:
            _ = r.html, r.csv
        return r
