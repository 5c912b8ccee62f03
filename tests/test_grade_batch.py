"""`autograder grade` on the toy course: bad inputs, partial scores, resume, report files."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from helpers import add_cells

from autograder.batch import grade_batch, student_id

FULL = {"q1": 2.0, "q2": 2.0, "q3": 1.0, "q4": 1.0}


def _subs(toy, d):
    course, build = toy
    sol, blank = build.solution_notebook, build.student_notebook
    d.mkdir()
    shutil.copy2(sol, d / "good.ipynb")
    shutil.copy2(blank, d / "blank.ipynb")
    (d / "notes.txt").write_text("not a notebook")
    (d / "empty.ipynb").write_text("")
    (d / "badjson.ipynb").write_text("{bad json")
    (d / "notnb.ipynb").write_text('{"hello": 1}')
    add_cells(sol, d / "raises.ipynb", ["raise ValueError('boom')"], at=3)
    add_cells(sol, d / "loop.ipynb", ["while True:\n    pass"], at=3)
    add_cells(sol, d / "sysexit.ipynb", ["import sys\nsys.exit(3)"], at=3)
    add_cells(sol, d / "osexit.ipynb", ["import os\nos._exit(1)"], at=5)
    # Partial answers: wrong square (q1) and a wrong MC letter (q4).
    add_cells(sol, d / "partial.ipynb", ["def square(x):\n    return x ** 3", "answer = 'C'"])
    # Public test passes (square(2) == 4) but hidden inputs expose the hard-coding.
    add_cells(sol, d / "hardcoded.ipynb", ["def square(x):\n    return 4"])
    # Right numbers, wrong return type for scale (list instead of array is fine; a string is not).
    add_cells(sol, d / "wrongtype.ipynb", ["def scale(v, a):\n    return str(v)"])
    # Layer with a non-zero bias: q3 hidden output check fails, public type check passes.
    add_cells(sol, d / "bias.ipynb", ["def make_layer(i, o):\n    l = torch.nn.Linear(i, o)\n"
                                     "    torch.nn.init.zeros_(l.weight)\n    return l"])
    import nbformat

    nb = nbformat.read(sol, as_version=4)
    nb.cells = [c for c in nb.cells if "def scale" not in c.source]
    nbformat.write(nb, d / "deleted.ipynb")
    nb = nbformat.read(sol, as_version=4)
    nb.cells = nb.cells + nb.cells
    nbformat.write(nb, d / "duplicated.ipynb")
    nb = nbformat.read(sol, as_version=4)
    nb.cells = nb.cells[::-1]
    nbformat.write(nb, d / "reordered.ipynb")
    shutil.copy2(sol, d / "good_week01.ipynb")  # same student id as good.ipynb
    return d


@pytest.fixture(scope="module")
def graded(toy, tmp_path_factory):
    course, build = toy
    base = tmp_path_factory.mktemp("batch")
    subs = _subs(toy, base / "subs")
    out = base / "out"
    stats = grade_batch(course, course.week("week01"), sorted(subs.iterdir()), out, jobs=2)
    rows = {r["student"]: r for r in csv.DictReader(open(out / "grades.csv"))}
    return stats, rows, out, subs


def _scores(row):
    return {q: float(row[q]) if row[q] else None for q in FULL}


def test_every_input_gets_a_row(graded):
    stats, rows, out, subs = graded
    assert stats["duplicates"] == 2  # both files of the shared id
    assert set(rows) == {"good", "blank", "notes", "empty", "badjson", "notnb", "raises", "loop", "sysexit",
                         "osexit", "partial", "hardcoded", "wrongtype", "bias", "deleted", "duplicated",
                         "reordered", "good__dup2"}


def test_csv_columns(graded):
    _, rows, out, _ = graded
    header = next(csv.reader(open(out / "grades.csv")))
    assert header == ["student", "q1", "q2", "q3", "q4", "total", "max", "status", "message"]


@pytest.mark.parametrize("student,scores,status", [
    ("good", FULL, "duplicate-student"),  # good.ipynb and good_week01.ipynb: both graded, both flagged
    ("good__dup2", FULL, "duplicate-student"),
    ("blank", {"q1": 0, "q2": 0, "q3": 0, "q4": 0}, "ok"),
    ("partial", {"q1": 0.0, "q2": 2.0, "q3": 1.0, "q4": 0.5}, "ok"),
    ("hardcoded", {"q1": 1.0, "q2": 2.0, "q3": 1.0, "q4": 1.0}, "ok"),
    ("wrongtype", {"q1": 2.0, "q2": 0.0, "q3": 1.0, "q4": 1.0}, "ok"),
    ("bias", {"q1": 2.0, "q2": 2.0, "q3": 0.5, "q4": 1.0}, "ok"),
    ("deleted", {"q1": 2.0, "q2": 0.0, "q3": 1.0, "q4": 1.0}, "ok"),
    ("duplicated", FULL, "ok"),
    ("reordered", FULL, "ok"),
    ("raises", FULL, "ok"),
    ("loop", FULL, "ok"),
    ("sysexit", FULL, "ok"),
    ("osexit", FULL, "kernel-died"),
])
def test_scores_and_status(graded, student, scores, status):
    _, rows, _, _ = graded
    row = rows[student]
    assert _scores(row) == {q: float(v) for q, v in scores.items()}
    assert row["status"] == status
    assert float(row["total"]) == sum(scores.values())
    assert float(row["max"]) == 6


@pytest.mark.parametrize("student,reason", [
    ("notes", "not a .ipynb file"), ("empty", "empty file"), ("badjson", "not valid JSON"),
    ("notnb", "not a Jupyter notebook"),
])
def test_invalid_inputs(graded, student, reason):
    _, rows, _, _ = graded
    assert rows[student]["status"] == "invalid-notebook"
    assert reason in rows[student]["message"]
    assert float(rows[student]["total"]) == 0


def test_errors_are_reported_per_cell(graded):
    _, rows, out, _ = graded
    fb = (out / "feedback" / "raises.md").read_text()
    assert "ValueError: boom" in fb
    assert "time limit" in (out / "feedback" / "loop.md").read_text()
    assert "kernel died at cell" in rows["osexit"]["message"]


def test_results_json_is_gradescope_shaped(graded):
    _, _, out, _ = graded
    data = json.loads((out / "results" / "partial.json").read_text())
    assert data["score"] == 3.5
    names = [t["name"] for t in data["tests"]]
    assert names == ["q1", "q2", "q3", "q4"]
    for t in data["tests"]:
        assert set(t) >= {"name", "score", "max_score", "visibility", "output"}
    q1 = data["tests"][0]
    assert q1["score"] == 0 and q1["max_score"] == 2
    assert "Gizli testler: 0 / 1 puan" in q1["output"]


def test_feedback_shows_public_detail_and_hidden_scores_only(graded):
    _, _, out, _ = graded
    fb = (out / "feedback" / "hardcoded.md").read_text()
    assert "Toplam: **5 / 6**" in fb
    assert "Gizli testler: 0 / 1 puan" in fb
    for secret in ("test_square_hidden", "default_rng", "assert_close", "x * x"):
        assert secret not in fb
    raw = (out / "results" / "hardcoded.json").read_text()
    assert "test_square_hidden" not in raw and "default_rng" not in raw


def test_resume_skips_graded_and_regrade_redoes(graded, toy):
    course, build = toy
    _, rows, out, subs = graded
    before = (out / "results" / "good.json").stat().st_mtime_ns
    stats = grade_batch(course, course.week("week01"), [subs / "good.ipynb", subs / "blank.ipynb"], out, jobs=1)
    assert {k: stats[k] for k in ("graded", "skipped", "duplicates")} == {"graded": 0, "skipped": 2, "duplicates": 0}
    assert (out / "results" / "good.json").stat().st_mtime_ns == before
    stats = grade_batch(course, course.week("week01"), [subs / "good.ipynb"], out, jobs=1, regrade=True)
    assert stats["graded"] == 1
    assert (out / "results" / "good.json").stat().st_mtime_ns != before
    # Other rows are kept in grades.csv.
    assert len(list(csv.DictReader(open(out / "grades.csv")))) == len(rows)


def test_interrupted_write_leaves_no_partial_file(graded):
    _, _, out, _ = graded
    assert not list(out.rglob("*.tmp"))


@pytest.mark.parametrize("name,sid", [
    ("ayse.yilmaz_week01.ipynb", "ayse.yilmaz"), ("20231234.ipynb", "20231234"),
    ("Ali Veli-week1.ipynb", "Ali_Veli"), ("../../etc.ipynb", "etc"), ("ğüş.ipynb", "gus"),
    ("şahin_week01.ipynb", "sahin"), ("çahin.ipynb", "cahin"), ("IŞIK Ödev.ipynb", "ISIK_Odev"),
    ("ılgın-İnce.ipynb", "ilgin-Ince"), ("José Müller.ipynb", "Jose_Muller"),
])
def test_student_id_rule(name, sid, tmp_path):
    from pathlib import Path

    assert student_id(Path(name)) == sid
