"""Fixtures for the submission service: one copy of the built toy course per run, fresh
gradebooks, and real `autograder serve` processes on loopback (see service_helpers)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from service_helpers import ROSTER, SERVICE, Server

from autograder import config
from autograder import gradebook as gbm
from autograder.weekbuild import WeekBuild

# The toy course (tests/conftest.py) is built once per run; the service tests copy the built
# course (the build is keyed on relative paths, so the copy needs no rebuild) and add a service
# section and a roster to the copy, leaving the shared one untouched.


@pytest.fixture(scope="session")
def svc_root(toy, tmp_path_factory) -> Path:
    course, build = toy
    root = tmp_path_factory.mktemp("svccourse")
    shutil.copytree(course.root, root, dirs_exist_ok=True)
    for p in (root / "build").glob("gradebook*"):
        p.unlink()
    raw = yaml.safe_load((root / "course.yml").read_text(encoding="utf-8"))
    raw["service"] = SERVICE
    (root / "course.yml").write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (root / "roster.yml").write_text(yaml.safe_dump(ROSTER, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert WeekBuild(root, "week01").manifest.get("validated"), "the toy build was not validated"
    return root


@pytest.fixture(scope="session")
def svc_course(svc_root) -> config.Course:
    return config.load(svc_root / "course.yml")


@pytest.fixture
def gb(svc_root, tmp_path) -> gbm.Gradebook:
    """A fresh gradebook with the roster loaded: its own SQLite file, or, with
    AUTOGRADER_TEST_DATABASE_URL set (e.g. postgresql+psycopg://…), that database emptied first."""
    url = os.environ.get("AUTOGRADER_TEST_DATABASE_URL")
    if url:
        g = gbm.Gradebook(url)
        gbm.Base.metadata.drop_all(g.engine)
        g.dispose()
    g = gbm.Gradebook(url or f"sqlite:///{tmp_path / 'gradebook.sqlite3'}")
    g.sync_roster(gbm.load_roster(svc_root / "roster.yml"))
    yield g
    g.dispose()


@pytest.fixture
def server_factory(svc_root, tmp_path):
    servers: list[Server] = []

    def make(db: Path | None = None, workers: int = 2) -> Server:
        s = Server(svc_root / "course.yml", f"sqlite:///{db or tmp_path / 'gradebook.sqlite3'}",
                   tmp_path / f"server{len(servers)}.log", workers)
        servers.append(s)
        return s

    yield make
    for s in servers:
        s.stop()
