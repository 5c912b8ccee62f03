"""`autograder grade WEEK DIR --via-queue`: the gradebook's workers grade a TA's batch, and the
files written (grades.csv, results/, feedback/) are those of a local batch; an interrupted run
leaves nothing claimed and a re-run collects without queueing anything twice. On SQLite and
PostgreSQL (``db_url``)."""

from __future__ import annotations

import csv
import json
import threading
from pathlib import Path

import pytest
from service_helpers import notebooks
from typer.testing import CliRunner

from autograder import gradebook as gbm
from autograder.cli import app as cli_app
from autograder.service.worker import Worker

pytestmark = pytest.mark.slow


def _subs(svc_course, root: Path) -> Path:
    subs = root / "subs"
    subs.mkdir()
    nbs = notebooks(svc_course)
    (subs / "ali_week01.ipynb").write_bytes(nbs["solution"])
    (subs / "ayse_week01.ipynb").write_bytes(nbs["blank"])
    (subs / "can.ipynb").write_bytes(b"{ not a notebook")
    (subs / "ali.ipynb").write_bytes(nbs["blank"])  # the same student id again: both graded, both flagged
    return subs


@pytest.fixture(scope="module")
def local_batch(svc_root, svc_course, tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("localbatch")
    subs = _subs(svc_course, root)
    r = CliRunner().invoke(cli_app, ["grade", "week01", str(subs), "--out", str(root / "out"),
                                     "--course", str(svc_root / "course.yml")])
    assert r.exit_code == 3, r.output  # can's unreadable file and ali's two files need a look
    return subs, root / "out"


def _text(r) -> str:  # noqa: ANN001 - rich wraps lines at the terminal's width
    return " ".join(r.output.split())


def _without_times(x):  # noqa: ANN001, ANN202
    if isinstance(x, dict):
        return {k: _without_times(v) for k, v in x.items() if k not in ("seconds", "execution_time")}
    if isinstance(x, list):
        return [_without_times(v) for v in x]
    return x


def _files(out: Path) -> dict[str, object]:
    got: dict[str, object] = {"grades.csv": list(csv.reader((out / "grades.csv").open(encoding="utf-8")))}
    for p in sorted((out / "results").glob("*.json")):
        got[f"results/{p.name}"] = _without_times(json.loads(p.read_text(encoding="utf-8")))
    for p in sorted((out / "feedback").glob("*.md")):
        got[f"feedback/{p.name}"] = p.read_text(encoding="utf-8")
    return got


class BackgroundWorker:
    """An `autograder worker` in a thread of this process (its sandboxes are real)."""

    def __init__(self, course_yml: Path, url: str) -> None:
        self.gb = gbm.Gradebook(url)
        self.w = Worker(course_yml, gb=self.gb)
        self.gb.register_worker(self.w.id)
        self.stop = threading.Event()
        self.t = threading.Thread(target=self._run, daemon=True)
        self.t.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            if not self.w.run_once():
                self.stop.wait(0.2)

    def close(self) -> None:
        self.stop.set()
        self.t.join(timeout=120)
        self.w.close()
        self.gb.dispose()


def test_grade_via_queue_matches_a_local_batch_and_resumes(local_batch, svc_root, db_url, tmp_path, monkeypatch):
    subs, local_out = local_batch
    monkeypatch.setenv("AUTOGRADER_DATABASE_URL", db_url)
    course = ["--course", str(svc_root / "course.yml")]
    out = tmp_path / "out"
    runner = CliRunner()
    gb = gbm.Gradebook(db_url)

    # Interrupted while waiting (no worker yet): exit 130, everything queued, nothing claimed.
    import autograder.queuebatch as qbm

    def interrupt(_s: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(qbm, "_sleep", interrupt)
    r = runner.invoke(cli_app, ["grade", "week01", str(subs), "--out", str(out), "--via-queue", *course])
    assert r.exit_code == 130, r.output
    assert "run the same command again" in _text(r)
    rows = [s for s, _ in gb.submissions(week="week01")]
    assert sorted(s.student for s in rows) == ["ali", "ali__dup2", "ayse", "can"]
    assert all(s.status == "queued" and s.claimed_by is None and s.source == "cli" for s in rows)
    assert all(s.priority == gbm.PRIORITY_REGRADE for s in rows)  # behind students' uploads
    assert not list((out / "results").glob("ali.json"))
    monkeypatch.undo()
    monkeypatch.setenv("AUTOGRADER_DATABASE_URL", db_url)

    # A worker starts; the re-run queues nothing new and writes what a local batch writes.
    worker = BackgroundWorker(svc_root / "course.yml", db_url)
    try:
        r = runner.invoke(cli_app, ["grade", "week01", str(subs), "--out", str(out), "--via-queue", *course])
    finally:
        worker.close()
    assert r.exit_code == 3, r.output
    assert "0 queued, 4 already in the queue" in _text(r)
    assert len(gb.submissions(week="week01")) == 4
    assert _files(out) == _files(local_out)
    assert {s.student: res.kind for s, res in gb.submissions(week="week01")} == {
        "ali": "cli", "ali__dup2": "cli", "ayse": "cli", "can": "cli"}

    # A third run queues nothing: ali, ali__dup2 and ayse are graded in ``out``; can's unreadable notebook has
    # no digest in its results file (as in a local batch), so its result is fetched again.
    r = runner.invoke(cli_app, ["grade", "week01", str(subs), "--out", str(out), "--via-queue", *course])
    assert r.exit_code == 3 and "0 queued, 0 already in the queue, 3 already graded" in _text(r), r.output
    assert len(gb.submissions(week="week01")) == 4 and _files(out) == _files(local_out)
    gb.dispose()
