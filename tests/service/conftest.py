"""Fixtures for the submission service: one copy of the built toy course per run, fresh
gradebooks, and real `autograder serve` processes on loopback (see service_helpers)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from pg_helpers import fresh_gradebook, postgres_url
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


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """The URL of an empty gradebook database, once per database kind: SQLite (a file) and
    PostgreSQL (see postgres_url)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'gradebook.sqlite3'}"
    url = postgres_url()
    fresh_gradebook(url).dispose()
    return url


@pytest.fixture
def gb(svc_root, db_url) -> gbm.Gradebook:
    """A fresh gradebook with the roster loaded, on SQLite and on PostgreSQL (db_url)."""
    g = gbm.Gradebook(db_url)
    g.sync_roster(gbm.load_roster(svc_root / "roster.yml"))
    yield g
    g.dispose()


@pytest.fixture
def server_factory(svc_root, tmp_path):
    servers: list[Server] = []

    def make(db: Path | str | None = None, workers: int = 2) -> Server:
        """``db``: a SQLite file, or a database URL (str with ``://``)."""
        url = db if isinstance(db, str) and "://" in db else f"sqlite:///{db or tmp_path / 'gradebook.sqlite3'}"
        s = Server(svc_root / "course.yml", url,
                   tmp_path / f"server{len(servers)}.log", workers)
        servers.append(s)
        return s

    yield make
    for s in servers:
        s.stop()
