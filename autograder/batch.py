"""Grade a batch of submissions: parallel, resumable, one row per input whatever its state.

The results files are the source of truth: one is written (atomically, last) per graded
submission, and grades.csv is regenerated from them after every submission. So an interrupted
run loses nothing already graded, and a re-run skips what is done unless ``--regrade``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import statistics
import unicodedata
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Callable

from autograder.config import Course, Week
from autograder.pool import close_all
from autograder.results import (NEEDS_A_LOOK, QuestionResult, SubmissionResult, atomic_write, grades_csv,
                                load_results, write_submission)
from autograder.weekbuild import WeekBuild

_WEEK_SUFFIX = re.compile(r"[_\-. ]?week\d{1,2}$", re.IGNORECASE)


# Turkish letters first (ı and İ do not decompose to i/I), then any letter by Unicode decomposition.
_TURKISH = str.maketrans({"ç": "c", "Ç": "C", "ğ": "g", "Ğ": "G", "ı": "i", "İ": "I",
                          "ö": "o", "Ö": "O", "ş": "s", "Ş": "S", "ü": "u", "Ü": "U"})


def ascii_id(text: str) -> str:
    """``text`` as an id of ``A–Z a–z 0–9 . _ -``: Turkish letters transliterated (ş→s, ı→i, İ→I …),
    other letters by Unicode decomposition (é→e), anything else → ``_``."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", text).translate(_TURKISH))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9._-]", "_", text)


def student_id(path: Path, roster: dict[str, str] | None = None) -> str:
    """The file name without extension and without a trailing ``_weekNN``, as an ASCII id.

    ``şahin_week01.ipynb`` -> ``sahin``; ``ayse.yilmaz_week01.ipynb`` -> ``ayse.yilmaz``. With a
    roster (``roster_index``), a name that is a roster id or e-mail (any case, Turkish letters or
    not) maps to that person's id.
    """
    stem = _WEEK_SUFFIX.sub("", path.stem) or path.stem
    sid = ascii_id(stem).lstrip(".") or "unnamed"
    if roster:
        for key in (stem, sid):
            hit = roster.get(key.casefold())
            if hit:
                return hit
    return sid[:100]


def roster_index(ids: list[str], emails: list[str]) -> dict[str, str]:
    """Case-folded roster ids and e-mails -> roster id (for ``student_id``)."""
    index: dict[str, str] = {}
    for sid, email in zip(ids, emails):
        for key in (sid, email, ascii_id(email) if email else ""):
            if key:
                index.setdefault(key.casefold(), sid)
    return index


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
    same_id: tuple[str, ...] = ()  # other files that map to the same student id (both are graded)


def plan(files: list[Path], out: Path, regrade: bool, roster: dict[str, str] | None = None
         ) -> tuple[list[Job], list[Job], list[Job]]:
    """(to grade, already graded, duplicates). Files that map to the same student id are all graded,
    as ``<id>``, ``<id>__dup2``, … (in file-name order, so a re-run agrees), and all flagged; the
    third list holds those jobs again (they are also in one of the first two)."""
    done = {r["student"]: r.get("sha256", "") for r in load_results(out)}
    groups: dict[str, list[Path]] = {}
    for f in files:
        groups.setdefault(student_id(f, roster), []).append(f)
    todo, skipped, dups = [], [], []
    for sid, paths in groups.items():
        for n, f in enumerate(paths, start=1):
            job = Job(f, sid if n == 1 else f"{sid}__dup{n}",
                      tuple(p.name for p in paths if p is not f) if len(paths) > 1 else ())
            if job.same_id:
                dups.append(job)
            if not regrade and done.get(job.student) == sha256(f) and done[job.student]:
                skipped.append(job)
            else:
                todo.append(job)
    return todo, skipped, dups


def duplicate_status(status: str, message: str, path: Path, others: tuple[str, ...]) -> tuple[str, str]:
    """Files sharing a student id are all graded; each row's status says so and its message names
    the other files (and the grading status, if it was not ok)."""
    graded = "" if status == "ok" else f" (grading status {status}: {message})"
    return "duplicate-student", (f"{path.name} maps to the same student id as {', '.join(others)}; all were "
                                 f"graded, a TA should decide which counts{graded}")[:500]


_LOGGED: set[str] = set()


def log_to(out: Path) -> None:
    """Send this process's grader log (tracebacks of grader errors) to ``out/grader.log``."""
    path = str((out / "grader.log").resolve())
    if path in _LOGGED:
        return
    _LOGGED.add(path)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(message)s"))
    lg = logging.getLogger("autograder.grader")
    lg.addHandler(handler)
    lg.setLevel(logging.INFO)


def _grade_one(course_yml: str, week_id: str, path: str, student: str, out: str, backend: str, image: str,
               same_id: tuple[str, ...] = ()) -> dict:
    """Worker-process entry: grade one file and write its files; returns a short summary."""
    from autograder import config
    from autograder.backends import get_backend
    from autograder.runner import grade_notebook, warm_pool

    log_to(Path(out))
    course = config.load(course_yml)
    week = course.week(week_id)
    build = WeekBuild(course.root, week_id)
    limits, be = course.limits_for(week), get_backend(backend, image)
    result = grade_notebook(build, Path(path), student, limits, backend=be, pool=warm_pool(build, limits, be))
    flag = duplicate_status(result.status, result.message, Path(path), same_id) if same_id else None
    write_submission(Path(out), result, staff_status=flag)
    return {"student": student, "status": flag[0] if flag else result.status, "total": result.total}


def _grader_error(build: WeekBuild, week_id: str, job: Job, out: Path, e: BaseException) -> dict:
    """A failure outside grade_notebook's own containment (the worker process died, the output
    folder is not writable …): still one row, never a stopped batch."""
    logging.getLogger("autograder.grader").error("grader error for %s", job.path, exc_info=e)
    r = SubmissionResult(student=job.student, week=week_id, status="grader-error",
                         message=f"grader error for {job.path.name}: {type(e).__name__}: {e}"[:300],
                         questions=[QuestionResult(q.name, q.points, q.manual) for q in build.questions],
                         sha256=sha256(job.path))
    write_submission(out, r)
    return {"student": job.student, "status": r.status, "total": 0.0}


def write_csv(out: Path, build: WeekBuild) -> None:
    atomic_write(out / "grades.csv", grades_csv(load_results(out), build.question_names))


def grade_batch(course: Course, week: Week, files: list[Path], out: Path, *, jobs: int = 1, regrade: bool = False,
                backend: str = "local", image: str = "cpu",
                on_progress: Callable[[str, dict], None] | None = None) -> dict:
    """Grade ``files``; returns counts: graded, skipped (already graded), duplicates (files sharing
    a student id, all graded and flagged) and needs_look (rows in ``out`` whose status a TA should
    check: invalid notebooks, duplicates, sandbox and grader errors)."""
    build = WeekBuild(course.root, week.id)
    out.mkdir(parents=True, exist_ok=True)
    log_to(out)
    todo, skipped, dups = plan(files, out, regrade, course_roster_index(course))
    write_csv(out, build)
    course_yml = str(course.root / "course.yml")
    args = lambda j: (course_yml, week.id, str(j.path), j.student, str(out), backend, image, j.same_id)  # noqa: E731
    if jobs <= 1:
        try:
            for job in todo:
                try:
                    summary = _grade_one(*args(job))
                except Exception as e:  # noqa: BLE001 - a grader crash costs one row, not the batch
                    summary = _grader_error(build, week.id, job, out, e)
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
                    summary = _grader_error(build, week.id, job, out, e)
                write_csv(out, build)
                if on_progress:
                    on_progress(job.student, summary)
    needs_look = sum(1 for r in load_results(out) if r["status"] in NEEDS_A_LOOK)
    return {"graded": len(todo), "skipped": len(skipped), "duplicates": len(dups), "needs_look": needs_look}


def course_roster_index(course: Course) -> dict[str, str] | None:
    """The roster's ids and e-mails (``student_id``), when the course has a roster file."""
    from autograder.gradebook import load_roster, roster_path

    path = roster_path(course)
    if not path.exists():
        return None
    roster = load_roster(path)
    people = [p for p in roster.people if p.role == "student"]
    return roster_index([p.id for p in people], [p.email for p in people])


def question_summary(out: Path, build: WeekBuild) -> list[dict]:
    rows = load_results(out)
    summary = []
    for q in build.questions:
        scores = [r["scores"].get(q.name) for r in rows if r["scores"].get(q.name) is not None]
        summary.append({"question": q.name, "max": q.points, "manual": q.manual,
                        "mean": statistics.fmean(scores) if scores else 0.0,
                        "full": sum(1 for s in scores if abs(s - q.points) < 1e-9), "n": len(rows)})
    return summary
