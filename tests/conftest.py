"""Shared fixtures. Expensive work (building a week, grading a batch) is done once per run."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from autograder import config  # noqa: E402
from autograder.build import build_week  # noqa: E402
from autograder.weekbuild import WeekBuild  # noqa: E402


def add_cells(src: Path, dest: Path, cells: list[str], at: int | None = None) -> Path:
    """Copy a notebook and insert code cells (appended, or at index ``at``)."""
    nb = nbformat.read(src, as_version=4)
    new = [nbformat.v4.new_code_cell(c) for c in cells]
    if at is None:
        nb.cells.extend(new)
    else:
        nb.cells[at:at] = new
    nbformat.write(nb, dest)
    return dest


@pytest.fixture(scope="session")
def toy(tmp_path_factory) -> tuple[config.Course, WeekBuild]:
    """The toy course (4 small questions), copied and built once per run."""
    root = tmp_path_factory.mktemp("toycourse")
    shutil.copytree(FIXTURES / "toycourse", root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("build"))
    course = config.load(root / "course.yml")
    report = build_week(course, course.week("week01"))
    assert report.ok, report.problems
    return course, WeekBuild(root, "week01")


@pytest.fixture(scope="session")
def course() -> config.Course:
    return config.load(ROOT / "course.yml")


_BUILT: dict[str, object] = {}


def built_week(course: config.Course, week_id: str):
    """Build and validate a real week once per run; returns (report, WeekBuild)."""
    if week_id not in _BUILT:
        report = build_week(course, course.week(week_id))
        _BUILT[week_id] = (report, WeekBuild(course.root, week_id))
    return _BUILT[week_id]
