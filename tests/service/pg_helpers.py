"""PostgreSQL for the service tests: the URL of a database of this test process's own, and a
fresh gradebook on it. Used by conftest's ``db_url``/``gb`` fixtures and the multi-worker test."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from autograder import gradebook as gbm


def postgres_url() -> str:
    """AUTOGRADER_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/autograder_test,
    what scripts/pg-test-cluster.sh prints), with a database of its own per pytest-xdist worker so
    that parallel workers never empty each other's tables. Skips without it, except in CI, where
    the PostgreSQL tests may not skip (.ci/run starts a server). Two pytest runs without xdist
    share one database: give each its own AUTOGRADER_TEST_DATABASE_URL."""
    url = os.environ.get("AUTOGRADER_TEST_DATABASE_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but AUTOGRADER_TEST_DATABASE_URL is not set: the PostgreSQL tests may not skip in CI")
        pytest.skip("AUTOGRADER_TEST_DATABASE_URL not set (scripts/pg-test-cluster.sh starts a server)")
    xw = os.environ.get("PYTEST_XDIST_WORKER")
    if not xw:
        return url
    base = make_url(url)
    name = f"{base.database}_{xw}"
    if name not in _created_dbs:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            if not c.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
                c.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        _created_dbs.add(name)
    return base.set(database=name).render_as_string(hide_password=False)


_created_dbs: set[str] = set()


def fresh_gradebook(url: str) -> gbm.Gradebook:
    """A gradebook on an empty schema (PostgreSQL: the tables dropped first)."""
    if not url.startswith("sqlite"):
        g = gbm.Gradebook(url)
        gbm.Base.metadata.drop_all(g.engine)
        g.dispose()
    return gbm.Gradebook(url)
