"""Helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

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


_BUILT: dict[str, object] = {}


def built_week(course: config.Course, week_id: str):
    """Build and validate a real week once per run (per test worker); returns (report, WeekBuild)."""
    if week_id not in _BUILT:
        report = build_week(course, course.week(week_id))
        _BUILT[week_id] = (report, WeekBuild(course.root, week_id))
    return _BUILT[week_id]
