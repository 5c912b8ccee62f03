"""The queue survives `kill -9` of the service: a restart finishes every pending submission,
loses none and grades none twice; the killed service's workers do not linger."""

from __future__ import annotations

import os
import time

import httpx
import pytest
from service_helpers import STUDENTS, notebooks, sign_in, upload, worker_pids

from autograder import gradebook as gbm

pytestmark = pytest.mark.slow


def _wait(pred, timeout: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def test_kill_9_mid_queue_then_restart(server_factory, svc_root, svc_course, tmp_path):
    db = tmp_path / "gradebook.sqlite3"
    gb = gbm.Gradebook(f"sqlite:///{db}")
    gb.sync_roster(gbm.load_roster(svc_root / "roster.yml"))
    people = STUDENTS[:6]
    secrets = {u.id: s for u, s in gb.invite(people)[0]}
    nb = notebooks(svc_course)["solution"]

    first = server_factory(db, workers=2).start()
    ids = []
    for sid in people:
        with httpx.Client(base_url=first.url) as c:
            sign_in(c, sid, secrets[sid])
            r = upload(c, "week01", nb)
            assert r.status_code == 303, r.text[:300]
            ids.append(int(r.headers["location"].rsplit("/", 1)[1]))

    # Kill it once something is graded and several are still pending.
    _wait(lambda: gb.queue_counts()["done"] >= 1, 240, "the first graded submission")
    workers = worker_pids(first.proc.pid)
    assert len(workers) == 2
    first.kill9()
    killed_at = gbm.utcnow()
    before = gb.queue_counts()
    assert before["queued"] + before["running"] >= 3, before
    _wait(lambda: not any(os.path.exists(f"/proc/{p}") for p in workers), 15, "the workers to die with the service")
    done_before = {s.id for s, _ in gb.submissions(week="week01") if s.status == "done"}

    second = server_factory(db, workers=2).start()
    _wait(lambda: gb.queue_counts()["done"] == len(ids), 300, "every submission to be graded after the restart", 0.5)

    subs = {s.id: (s, r) for s, r in gb.submissions(week="week01")}
    assert sorted(subs) == sorted(ids)  # none lost, none invented
    for sid in ids:
        sub, res = subs[sid]
        assert sub.status == "done" and res.score == 6, (sid, sub.status, res and res.score)
        assert len(gb.history(sid)) == 1, f"submission {sid} was graded {len(gb.history(sid))} times"
    for sid in done_before:
        assert gb.history(sid)[0].created_at <= killed_at  # graded before the kill, not again after it
    if before["running"]:
        assert "queued again" in second.log()  # the claims of the killed workers, at start-up
    print(f"\nrestart: {len(done_before)} graded before kill -9, {before['queued']} queued and {before['running']} "
          f"running at the kill; all {len(ids)} graded once after the restart")
    gb.dispose()


def test_stopped_worker_hands_its_claim_back_and_a_drain_worker_finishes_it(svc_root, svc_course, tmp_path):
    """`autograder worker` as on another machine: only the course and the database URL. SIGTERM
    while grading puts the submission back in the queue at once (no waiting for the lease)."""
    import signal
    import subprocess
    import sys

    import nbformat

    db = tmp_path / "gradebook.sqlite3"
    url = f"sqlite:///{db}"
    gb = gbm.Gradebook(url)
    nb = nbformat.reads(notebooks(svc_course)["solution"].decode(), as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("import time\ntime.sleep(6)"))
    sid = gb.add_submission("ali", "week01", nbformat.writes(nb).encode(), "slow.ipynb")
    env = dict(os.environ, AUTOGRADER_DATABASE_URL=url)
    course = str(svc_root / "course.yml")
    w = subprocess.Popen([sys.executable, "-m", "autograder.cli", "worker", "--course", course], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait(lambda: gb.submission(sid).status == "running", 180, "the worker to claim the submission")
        time.sleep(1)
        w.send_signal(signal.SIGTERM)
        assert w.wait(timeout=20) == 0
    finally:
        if w.poll() is None:
            w.kill()
    sub = gb.submission(sid)
    assert sub.status == "queued" and sub.claimed_by is None and sub.attempts == 0
    assert gb.history(sid) == []
    r = subprocess.run([sys.executable, "-m", "autograder.cli", "worker", "--drain", "--course", course], env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert gb.submission(sid).status == "done" and [h.score for h in gb.history(sid)] == [6]
    gb.dispose()
