"""Shared fixtures. Expensive work (building a week, grading a batch) is done once per run."""

from __future__ import annotations

import shutil

import pytest
from helpers import FIXTURES, ROOT

from autograder import config
from autograder.build import build_week
from autograder.weekbuild import WeekBuild


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


def pytest_collection_modifyitems(config, items):
    """Under xdist, keep all tests of one week on one worker (a week is built once per run there),
    and the other tests of one module together (their module fixtures grade a batch once)."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        week = callspec.params.get("week_id") if callspec else None
        item.add_marker(pytest.mark.xdist_group(week or item.module.__name__))
