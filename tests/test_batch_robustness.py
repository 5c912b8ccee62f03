"""A batch that no notebook can stop (issue: hostile or careless files in front of a correct one).

Each trigger below once stopped `autograder grade` for the whole batch; now each leaves a row of
its own and the correct notebook after it gets full marks. Also: Turkish names keep students apart,
older notebook formats are graded, a grader error is one row that a re-run resumes past.
"""

from __future__ import annotations

import csv
import json
import shutil

import nbformat
import pytest
from helpers import add_cells
from typer.testing import CliRunner

from autograder import runner
from autograder.batch import grade_batch

FULL = 6.0

# The kernel worker is reachable from student code through the garbage collector: a hostile
# notebook can replace its methods. These cells do exactly that.
_FIND_WORKER = "import gc\nW = next(o for o in gc.get_objects() if type(o).__name__ == 'Worker')\n"
BREAK_NAMES = _FIND_WORKER + "def _boom():\n    raise RuntimeError('no names for you')\nW.op_names = _boom\n"
# A forged reply: every later reply of the worker is replaced by this raw frame.
_FORGE = _FIND_WORKER + """import struct
def _forged(ok, value=None, **extra):
    W.sock.sendall(struct.pack('<II', len(HEADER), len(BLOBS)) + HEADER
                   + b''.join(struct.pack('<Q', len(b)) + b for b in BLOBS))
W._reply = _forged
"""
DEEP_HEADER = "HEADER = b'[' * 100_000\nBLOBS = []\n" + _FORGE
HUGE_SHAPE = ("HEADER = b'{\"ok\": true, \"value\": {\"t\": \"ndarray\", \"dtype\": \"float64\", "
              "\"shape\": [0, 4611686018427387904, 4611686018427387904], \"i\": 0}}'\nBLOBS = [b'']\n" + _FORGE)
WIDE_SHAPE = ("HEADER = b'{\"ok\": true, \"value\": {\"t\": \"ndarray\", \"dtype\": \"float64\", "
              "\"shape\": [0, 1099511627776, 1099511627776], \"i\": 0}}'\nBLOBS = [b'']\n" + _FORGE)


@pytest.fixture(scope="module")
def hostile_batch(toy, tmp_path_factory):
    course, build = toy
    base = tmp_path_factory.mktemp("hostile")
    d = base / "subs"
    d.mkdir()
    sol = build.solution_notebook
    # File names sort the triggers in front of the correct notebook ("zz_correct").
    add_cells(sol, d / "a_names.ipynb", [BREAK_NAMES])
    add_cells(sol, d / "b_deep_header.ipynb", [DEEP_HEADER])
    add_cells(sol, d / "c_huge_shape.ipynb", [HUGE_SHAPE])
    add_cells(sol, d / "c_wide_shape.ipynb", [WIDE_SHAPE])
    (d / "d_deep_file.ipynb").write_text("[" * 100_000 + "]" * 100_000)
    (d / "e_big_file.ipynb").write_bytes(b'{"cells": [' + b'{"cell_type": "raw", "source": ""},' * 200_000 + b"{}]}")
    shutil.copy2(sol, d / "zz_correct.ipynb")
    shutil.copy2(sol, d / "şahin.ipynb")
    shutil.copy2(sol, d / "çahin.ipynb")
    v3 = nbformat.v3.new_notebook(worksheets=[nbformat.v3.new_worksheet(cells=[
        nbformat.v3.new_code_cell(input=c.source) if c.cell_type == "code" else nbformat.v3.new_text_cell("markdown", c.source)
        for c in nbformat.read(sol, as_version=4).cells])])
    (d / "v3.ipynb").write_text(nbformat.v3.writes_json(v3))
    out = base / "out"
    result = CliRunner().invoke(_cli(), ["grade", "week01", str(d), "--out", str(out), "--course",
                                         str(course.root / "course.yml")])
    rows = {r["student"]: r for r in csv.DictReader(open(out / "grades.csv"))}
    return result, rows, out


def _cli():
    from autograder.cli import app

    return app


def test_every_trigger_leaves_its_own_row_and_the_batch_finishes(hostile_batch):
    result, rows, _ = hostile_batch
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert set(rows) == {"a_names", "b_deep_header", "c_huge_shape", "c_wide_shape", "d_deep_file", "e_big_file",
                         "zz_correct", "sahin", "cahin", "v3"}
    assert float(rows["zz_correct"]["total"]) == FULL and rows["zz_correct"]["status"] == "ok"


def test_exit_code_and_summary_count_rows_that_need_a_look(hostile_batch):
    result, rows, _ = hostile_batch
    look = [r for r in rows.values() if r["status"] in ("invalid-notebook", "duplicate-student", "sandbox-error",
                                                        "grader-error")]
    assert len(look) == 2  # the two unreadable files
    assert result.exit_code == 3
    assert "2 row(s) need a look" in result.output


def test_broken_name_listing_costs_only_that_notebook(hostile_batch):
    _, rows, _ = hostile_batch
    assert rows["a_names"]["status"] in ("ok", "kernel-died")
    assert float(rows["a_names"]["total"]) < FULL


@pytest.mark.parametrize("student", ["b_deep_header", "c_huge_shape", "c_wide_shape"])
def test_forged_replies_are_protocol_errors_of_that_submission(hostile_batch, student):
    # The forging cell's own reply is the first forged frame: that cell is dropped as a dead
    # kernel's cell, and the notebook replayed without it keeps its (correct) answers.
    _, rows, out = hostile_batch
    assert rows[student]["status"] == "kernel-died", rows[student]
    assert "kernel died at cell" in rows[student]["message"]
    assert float(rows[student]["total"]) == FULL


@pytest.mark.parametrize("student,reason", [("d_deep_file", "nested 100000 levels deep"),
                                            ("e_big_file", "MB limit")])
def test_unreadable_files_are_refused_before_parsing(hostile_batch, student, reason):
    _, rows, _ = hostile_batch
    assert rows[student]["status"] == "invalid-notebook"
    assert reason in rows[student]["message"]


def test_turkish_names_are_two_students_with_full_marks(hostile_batch):
    _, rows, _ = hostile_batch
    for sid in ("sahin", "cahin"):
        assert rows[sid]["status"] == "ok" and float(rows[sid]["total"]) == FULL


def test_nbformat3_notebook_is_upgraded_and_graded(hostile_batch):
    _, rows, _ = hostile_batch
    assert rows["v3"]["status"] == "ok" and float(rows["v3"]["total"]) == FULL


def test_roster_maps_file_names_to_roster_ids(toy, tmp_path):
    from autograder.batch import plan, roster_index

    index = roster_index(["ayse.yilmaz", "s20231234"], ["ayse@uni.edu.tr", "şule@uni.edu.tr"])
    files = [tmp_path / n for n in ("Ayse.Yilmaz_week01.ipynb", "ayse@uni.edu.tr.ipynb", "sule@uni.edu.tr.ipynb",
                                    "şule@uni.edu.tr_week01.ipynb", "stranger.ipynb")]
    for f in files:
        f.write_text("{}")
    todo, _, dups = plan(files, tmp_path / "out", regrade=False, roster=index)
    ids = [j.student for j in todo]
    assert ids == ["ayse.yilmaz", "ayse.yilmaz__dup2", "s20231234", "s20231234__dup2", "stranger"]
    assert len(dups) == 4 and all(j.same_id for j in dups)
    assert dups[0].same_id == ("ayse@uni.edu.tr.ipynb",)


def test_grader_error_is_a_row_and_a_rerun_resumes_past_it(toy, tmp_path, monkeypatch):
    course, build = toy
    d = tmp_path / "subs"
    d.mkdir()
    shutil.copy2(build.solution_notebook, d / "bad.ipynb")
    shutil.copy2(build.solution_notebook, d / "good.ipynb")
    real = runner.run_tests

    def flaky(execution, questions, public_only=False):
        if execution.cells == runner.read_cells(d / "bad.ipynb")[0] and flaky.fail:
            flaky.fail = False
            raise ZeroDivisionError("a bug in the grader")
        return real(execution, questions, public_only)

    flaky.fail = True
    monkeypatch.setattr(runner, "run_tests", flaky)
    out = tmp_path / "out"
    stats = grade_batch(course, course.week("week01"), sorted(d.iterdir()), out, jobs=1)
    rows = {r["student"]: r for r in csv.DictReader(open(out / "grades.csv"))}
    assert rows["bad"]["status"] == "grader-error"
    assert "while testing bad.ipynb" in rows["bad"]["message"] and "ZeroDivisionError" in rows["bad"]["message"]
    assert float(rows["good"]["total"]) == FULL
    assert stats["needs_look"] == 1
    log = (out / "grader.log").read_text()
    assert "Traceback" in log and "a bug in the grader" in log
    # A re-run neither crashes nor duplicates: the row is kept (the TA regrades it with --regrade).
    stats = grade_batch(course, course.week("week01"), sorted(d.iterdir()), out, jobs=1)
    assert stats["graded"] == 0 and stats["skipped"] == 2
    stats = grade_batch(course, course.week("week01"), [d / "bad.ipynb"], out, jobs=1, regrade=True)
    rows = {r["student"]: r for r in csv.DictReader(open(out / "grades.csv"))}
    assert rows["bad"]["status"] == "ok" and float(rows["bad"]["total"]) == FULL
    assert json.loads((out / "results" / "bad.json").read_text())["score"] == FULL
