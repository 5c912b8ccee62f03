"""The nbgrader export, validated by nbgrader itself for every week of course.yml.

For each week: `nbgrader generate_assignment` succeeds; `nbgrader autograde` gives the solution
(the source notebook) full points and the released blank notebook zero; each question's points in
nbgrader's gradebook equal this project's per-question maximum.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest
from helpers import ROOT

from autograder import config
from autograder.nbgrader_export import convert_markers, export, nbgrader
from autograder.weekbuild import WeekBuild

COURSE = config.load(ROOT / "course.yml")
pytestmark = pytest.mark.slow


def test_marker_conversion():
    src = "def f(x):\n    \"\"\"doc\"\"\"\n    # BEGIN SOLUTION\n    return x\n    # END SOLUTION\nq = 'B'  # SOLUTION"
    assert convert_markers(src) == ("def f(x):\n    \"\"\"doc\"\"\"\n    ### BEGIN SOLUTION\n    return x\n"
                                    "    ### END SOLUTION\n### BEGIN SOLUTION\nq = 'B'\n### END SOLUTION")


@pytest.mark.parametrize("week_id", [w.id for w in COURSE.weeks])
def test_nbgrader_grades_like_us(week_id, tmp_path):
    week = COURSE.week(week_id)
    dest = tmp_path / "course"
    export(COURSE, [week], dest)
    r = nbgrader(["generate_assignment", week_id, "--force"], dest)
    assert r.returncode == 0, r.stderr[-3000:]
    release = dest / "release" / week_id / f"{week_id}.ipynb"
    released = release.read_text()
    assert "### BEGIN HIDDEN TESTS" not in released and "_ag_mod" not in released
    for who, src in (("solution", dest / "source" / week_id / f"{week_id}.ipynb"), ("blank", release)):
        (dest / "submitted" / who / week_id).mkdir(parents=True)
        shutil.copy2(src, dest / "submitted" / who / week_id / f"{week_id}.ipynb")
    if week_id == "week01":
        # A correct answer that writes warnings and C-level stderr while the tests call it.
        sub = dest / "submitted" / "solution" / week_id / f"{week_id}.ipynb"
        nb = nbformat.read(sub, as_version=4)
        at = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "q_w01_e1a")
        nb.cells.insert(at, nbformat.v4.new_code_cell(
            "import os, warnings\n_sig = sigmoid\n"
            "def sigmoid(z):\n    warnings.warn('UserWarning from student code')\n"
            "    os.write(2, b'C-level stderr noise\\n')\n    return _sig(z)"))
        nbformat.write(nb, sub)
    r = nbgrader(["autograde", week_id, "--force"], dest)
    assert r.returncode == 0, r.stderr[-3000:]
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{dest / 'gradebook.db'}") as gb:
        ours = {q.name: q.points for q in WeekBuild(ROOT, week_id).questions}
        for who in ("solution", "blank"):
            grades = {g.name: g for g in gb.find_submission(week_id, who).notebooks[0].grades}
            assert {n: g.max_score for n, g in grades.items()} == ours
            auto = {n: g.auto_score for n, g in grades.items() if g.auto_score is not None}
            manual = {n for n, g in grades.items() if g.auto_score is None}
            if who == "solution":
                assert auto == {n: ours[n] for n in auto}, "solution lost points in nbgrader"
            else:
                assert all(v == 0 for v in auto.values()), auto
            assert manual == {q for q, p in ours.items() if q not in auto}
