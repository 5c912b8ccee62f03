"""Grade exports of one week: our CSV, Canvas's gradebook import and Gradescope's score upload."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import TYPE_CHECKING, Any

from autograder.config import Course, Week
from autograder.gradebook.models import Result, Submission

if TYPE_CHECKING:
    from autograder.gradebook.store import Gradebook

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


def export_rows(gb: "Gradebook", course: Course, week: Week) -> tuple[list[str], list[dict[str, Any]]]:
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


def export_csv(gb: "Gradebook", course: Course, week: Week, fmt: str = "csv") -> str:
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
    elif fmt == "moodle":
        # Moodle "Import grades > CSV file": the import maps one identifier column (e-mail address,
        # ID number or username) to its users and each other column to a grade item. Our student id
        # goes in ID number and username; an empty grade is left out by the import.
        w.writerow(["Email address", "ID number", "Username", "First name", "Last name", f"{week.id} {week.title}"])
        for r in rows:
            first, _, last = (r["name"] or "").rpartition(" ")
            w.writerow([r["email"], r["student"], r["student"], first or last, last if first else "",
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
        raise ValueError(f"unknown export format {fmt!r} (csv, canvas, moodle or gradescope)")
    return buf.getvalue()
