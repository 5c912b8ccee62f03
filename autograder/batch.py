"""Grade a batch of submissions: parallel, resumable, one row per input whatever its state.

The results files are the source of truth: one is written (atomically, last) per graded
submission, and grades.csv is regenerated from them after every submission. So an interrupted
run loses nothing already graded, and a re-run skips what is done unless ``--regrade``.
"""

from __future__ import annotations

import hashlib
import re
import statistics
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Callable

from autograder.config import Course, Week
from autograder.pool import close_all
from autograder.results import (QuestionResult, SubmissionResult, atomic_write, grades_csv, load_results,
                                write_submission)
from autograder.weekbuild import WeekBuild

_WEEK_SUFFIX = re.compile(r"[_\-. ]?week\d{1,2}$", re.IGNORECASE)


def student_id(path: Path) -> str:
    """The file name without extension and without a trailing ``_weekNN``; unsafe characters -> ``_``.

    ``ayse.yilmaz_week01.ipynb`` -> ``ayse.yilmaz``; ``20231234.ipynb`` -> ``20231234``.
    """
    stem = _WEEK_SUFFIX.sub("", path.stem) or path.stem
    sid = re.sub(r"[^A-Za-z0-9._-]", "_", stem).lstrip(".") or "unnamed"
    return sid[:100]


def collect(paths: list[Path]) -> list[Path]:
    """Files to grade: the given files, and every visible regular file directly inside given folders."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith("."))
        elif p.exists():
            out.append(p)
        else:
            raise FileNotFoundError(f"no such file or folder: {p}")
    seen, unique = set(), []
    for f in out:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique


def sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


@dataclass
class Job:
    path: Path
    student: str


def plan(files: list[Path], out: Path, regrade: bool) -> tuple[list[Job], list[Job], list[Job]]:
    """(to grade, already graded, duplicates) — duplicates get ``<id>__dupN`` and are not graded."""
    done = {r["student"]: r.get("sha256", "") for r in load_results(out)}
    todo, skipped, dups = [], [], []
    taken: dict[str, int] = {}
    for f in files:
        sid = student_id(f)
        if sid in taken:
            taken[sid] += 1
            dups.append(Job(f, f"{sid}__dup{taken[sid]}"))
            continue
        taken[sid] = 1
        if not regrade and sid in done and done[sid] == sha256(f):
            skipped.append(Job(f, sid))
        else:
            todo.append(Job(f, sid))
    return todo, skipped, dups


def _grade_one(course_yml: str, week_id: str, path: str, student: str, out: str, backend: str, image: str) -> dict:
    """Worker-process entry: grade one file and write its files; returns a short summary."""
    from autograder import config
    from autograder.backends import get_backend
    from autograder.runner import grade_notebook, warm_pool

    course = config.load(course_yml)
    week = course.week(week_id)
    build = WeekBuild(course.root, week_id)
    limits, be = course.limits_for(week), get_backend(backend, image)
    result = grade_notebook(build, Path(path), student, limits, backend=be, pool=warm_pool(build, limits, be))
    write_submission(Path(out), result)
    return {"student": student, "status": result.status, "total": result.total}


def write_csv(out: Path, build: WeekBuild) -> None:
    atomic_write(out / "grades.csv", grades_csv(load_results(out), build.question_names))


def write_duplicates(out: Path, build: WeekBuild, week: Week, dups: list[Job]) -> None:
    """A row for each file that maps to a student id already taken (not graded)."""
    for job in dups:
        r = SubmissionResult(student=job.student, week=week.id, status="duplicate-student",
                             message=f"another file maps to the same student id ({job.path.name})",
                             questions=[QuestionResult(q.name, q.points, q.manual) for q in build.questions],
                             sha256=sha256(job.path))
        write_submission(out, r)


def grade_batch(course: Course, week: Week, files: list[Path], out: Path, *, jobs: int = 1, regrade: bool = False,
                backend: str = "local", image: str = "cpu",
                on_progress: Callable[[str, dict], None] | None = None) -> dict:
    build = WeekBuild(course.root, week.id)
    out.mkdir(parents=True, exist_ok=True)
    todo, skipped, dups = plan(files, out, regrade)
    write_duplicates(out, build, week, dups)
    write_csv(out, build)
    course_yml = str(course.root / "course.yml")
    args = lambda j: (course_yml, week.id, str(j.path), j.student, str(out), backend, image)  # noqa: E731
    if jobs <= 1:
        try:
            for job in todo:
                summary = _grade_one(*args(job))
                write_csv(out, build)
                if on_progress:
                    on_progress(job.student, summary)
        finally:
            close_all()  # the warm spare is only useful within this batch
    else:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
            futures: dict[Future, Job] = {pool.submit(_grade_one, *args(j)): j for j in todo}
            for fut in as_completed(futures):
                job = futures[fut]
                try:
                    summary = fut.result()
                except Exception as e:  # noqa: BLE001 - a grader crash costs one row, not the batch
                    r = SubmissionResult(student=job.student, week=week.id, status="sandbox-error",
                                         message=f"grader error: {type(e).__name__}: {e}"[:300],
                                         questions=[QuestionResult(q.name, q.points, q.manual) for q in build.questions],
                                         sha256=sha256(job.path))
                    write_submission(out, r)
                    summary = {"student": job.student, "status": r.status, "total": 0.0}
                write_csv(out, build)
                if on_progress:
                    on_progress(job.student, summary)
    return {"graded": len(todo), "skipped": len(skipped), "duplicates": len(dups)}


def question_summary(out: Path, build: WeekBuild) -> list[dict]:
    rows = load_results(out)
    summary = []
    for q in build.questions:
        scores = [r["scores"].get(q.name) for r in rows if r["scores"].get(q.name) is not None]
        summary.append({"question": q.name, "max": q.points, "manual": q.manual,
                        "mean": statistics.fmean(scores) if scores else 0.0,
                        "full": sum(1 for s in scores if abs(s - q.points) < 1e-9), "n": len(rows)})
    return summary
