"""Build output, release archive, the CLI verbs and Otter compatibility mode, on the toy course."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.build import BuildError, build_week
from autograder.weekbuild import WeekBuild

AG = [sys.executable, "-m", "autograder.cli"]


def run(args, cwd):
    return subprocess.run([*AG, *args], cwd=cwd, capture_output=True, text=True, timeout=900)


def test_student_version_has_no_solutions_or_hidden_tests(toy):
    course, build = toy
    files = {p.relative_to(build.student_dir).as_posix() for p in build.student_dir.rglob("*") if p.is_file()}
    assert files == {"week01.ipynb", "dlsp_utils.py", "tests/q1.py", "tests/q2.py", "tests/q3.py", "tests/q4.py",
                     "autograder/__init__.py", "autograder/testkit.py"}  # grader.check in students' Jupyter
    nb = build.student_notebook.read_text()
    assert "x * x" not in nb and "zero_" not in nb and '"B"' not in nb
    assert "def square(x):" in nb and "x'in karesini döndür" in nb  # signature and Turkish docstring stay
    for t in (build.student_dir / "tests").glob("*.py"):
        assert "hidden=True" not in t.read_text()
    assert any("hidden=True" in t.read_text() for t in (build.autograder_dir / "tests").glob("*.py"))


def test_manifest_and_question_table(toy):
    course, build = toy
    assert [(q.name, q.points) for q in build.questions] == [("q1", 2), ("q2", 2), ("q3", 1), ("q4", 1)]
    assert build.manifest["validated"] is True
    assert build.otter_zip is not None


def test_validation_names_week_question_and_test(toy, tmp_path):
    course, _ = toy
    root = tmp_path / "c"
    shutil.copytree(course.root, root, ignore=shutil.ignore_patterns("build"))
    sol = root / "solutions" / "week01.py"
    sol.write_text(sol.read_text().replace("return x * x", "return x * x + 1"))
    from autograder import config

    c = config.load(root / "course.yml")
    report = build_week(c, c.week("week01"))
    assert not report.ok
    assert any(p.startswith("week01: q1: test 'q1 - 1' fails on the solution") for p in report.problems), report.problems
    # A test that gives points to the blank notebook is reported too, and so is a public test that
    # imports what students do not have (they run public tests in their own Jupyter).
    master = root / "assignments" / "week01" / "week01.ipynb"
    nb = nbformat.read(master, as_version=4)
    for cell in nb.cells:
        if "def test_answer_format" in cell.source:
            cell.source = "def test_answer_format(answer):\n    import solutions.week01\n    assert True"
        if "def test_scale_hidden" in cell.source:  # a hidden test without its Turkish hint
            cell.source = "\n".join(line for line in cell.source.split("\n") if not line.startswith("failure_message:"))
    nbformat.write(nb, master)
    sol.write_text(sol.read_text().replace("return x * x + 1", "return x * x"))
    report = build_week(c, c.week("week01"))
    assert any("q4: test 'q4 - 1' gives points to the blank notebook" in p for p in report.problems), report.problems
    assert "week01: q4: a public test imports 'solutions', which students do not have" in report.problems
    assert "week01: q2: hidden test 'q2 - 2' has no failure_message hint" in report.problems
    assert not any("q1: hidden test" in p for p in report.problems)


def test_missing_solution_module_is_a_build_error(toy, tmp_path):
    course, _ = toy
    root = tmp_path / "c"
    shutil.copytree(course.root, root, ignore=shutil.ignore_patterns("build"))
    (root / "solutions" / "week01.py").unlink()
    from autograder import config

    c = config.load(root / "course.yml")
    with pytest.raises(BuildError, match="week01: solutions/week01.py not found"):
        build_week(c, c.week("week01"))


def test_cli_build_check_release(toy, tmp_path):
    course, build = toy
    root = course.root
    r = run(["build", "week01"], root)
    assert r.returncode == 0, r.stderr
    assert "q1" in r.stdout and "built 1 week(s)" in r.stdout
    r = run(["build", "week09"], root)
    assert r.returncode == 2 and "unknown week 'week09'" in r.stderr
    # check: public tests only, per question.
    r = run(["check", str(build.solution_notebook)], root)
    assert r.returncode == 0 and r.stdout.count("✅") == 4, r.stdout + r.stderr
    wrong = tmp_path / "wrong.ipynb"
    nb = nbformat.read(build.solution_notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("def square(x):\n    return 0"))
    nbformat.write(nb, wrong)
    r = run(["check", str(wrong)], root)
    assert r.returncode == 1 and "❌ q1" in r.stdout and "square(2) 4 olmalı" in r.stdout
    assert "Gizli" not in r.stdout  # check runs public tests only
    # release: refused before the date, forced works, archive holds the student version only.
    r = run(["release", "week01", "--out", str(tmp_path / "rel")], root)
    assert r.returncode == 1 and "--force" in r.stderr
    r = run(["release", "week01", "--force", "--out", str(tmp_path / "rel")], root)
    assert r.returncode == 0, r.stderr
    names = set(zipfile.ZipFile(tmp_path / "rel" / "week01.zip").namelist())
    assert names == {"week01/week01.ipynb", "week01/dlsp_utils.py", *(f"week01/tests/q{i}.py" for i in range(1, 5)),
                     "week01/autograder/__init__.py", "week01/autograder/testkit.py"}


def test_bad_course_file_is_reported(tmp_path):
    (tmp_path / "course.yml").write_text("title: x\n")
    r = run(["build", "--all"], tmp_path)
    assert r.returncode == 2 and "course.yml: term: missing" in r.stderr


@pytest.mark.slow
def test_otter_compatibility_zip_grades_with_otter_run(toy, tmp_path):
    """The compiled autograder still works with Otter itself (e.g. on Gradescope)."""
    course, build = toy
    out = tmp_path / "otter"
    out.mkdir()
    otter = Path(sys.executable).parent / "otter"
    r = subprocess.run([str(otter), "run", "-a", str(build.otter_zip), str(build.solution_notebook), "-o", str(out)],
                       capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    data = json.loads((out / "results.json").read_text())
    scores = {t["name"]: t["score"] for t in data["tests"] if t["name"].startswith("q")}
    assert scores == {"q1": 2.0, "q2": 2.0, "q3": 1.0, "q4": 1.0}
