"""The red-team suite: hostile submissions graded in one batch; every defence asserted.

For each attack: legitimate answers keep their points, forged ones get none, nothing secret leaks
into feedback, the batch completes, and the host is unchanged.
"""

from __future__ import annotations

import csv
import hashlib
import os
import socket
import threading
from pathlib import Path

import numpy
import pytest
from helpers import add_cells

from autograder.batch import grade_batch
from autograder.sandbox.launcher import BASE_UID
from redteam.attacks import ATTACKS


class Listener:
    """A loopback TCP listener that records every connection (the network attack's target)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                pass

    def close(self) -> None:
        self.stop = True
        self.thread.join(2)
        self.sock.close()


def _digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


RUN_ID = f"redteam-{os.getpid()}"


@pytest.fixture(scope="module")
def redteam(toy, tmp_path_factory):
    course, build = toy
    os.environ["AUTOGRADER_RUN"] = RUN_ID  # inherited by the batch's worker processes and kernels
    base = tmp_path_factory.mktemp("redteam")
    subs = base / "subs"
    subs.mkdir()
    listener = Listener()
    numpy_before = _digest(numpy.__file__)
    worker_before = _digest(str(Path(__file__).resolve().parent.parent / "autograder" / "sandbox" / "worker.py"))
    try:
        for a in ATTACKS:
            cells = [c.replace("{PORT}", str(listener.port)) for c in a.cells]
            add_cells(build.solution_notebook, subs / f"{a.name}.ipynb", cells)
        out = base / "out"
        grade_batch(course, course.week("week01"), sorted(subs.iterdir()), out, jobs=2)
    finally:
        listener.close()
    rows = {r["student"]: r for r in csv.DictReader(open(out / "grades.csv"))}
    host = {"numpy": (numpy_before, _digest(numpy.__file__)),
            "worker": (worker_before, _digest(str(Path(__file__).resolve().parent.parent / "autograder" / "sandbox" / "worker.py"))),
            "connections": listener.connections}
    return rows, out, host


def test_suite_is_big_enough():
    assert len(ATTACKS) >= 15


def test_batch_completes(redteam):
    rows, out, _ = redteam
    assert set(rows) == {a.name for a in ATTACKS}


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.name)
def test_defence_holds(redteam, attack):
    rows, out, _ = redteam
    row = rows[attack.name]
    got = {q: float(row[q]) for q in attack.expected}
    assert got == attack.expected, (row["status"], row["message"])
    assert row["status"] == attack.status, row["message"]
    feedback = (out / "feedback" / f"{attack.name}.md").read_text()
    result = (out / "results" / f"{attack.name}.json").read_text()
    for s in attack.feedback_has:
        assert s in feedback
    for s in attack.feedback_lacks:
        assert s not in feedback and s not in result
    # Nothing of the grader's side, ever: hidden test code and inputs, the reference, grader paths.
    # (A failed public test shows its own source line, as Otter does: that code is public.)
    root = str(Path(__file__).resolve().parent.parent)
    for secret in ("test_square_hidden", "test_scale_hidden", "default_rng(5)", "[3.0, -1.0, 0.5]", root,
                   "/ag-scratch-"):
        assert secret not in feedback and secret not in result
    assert len(feedback) < 20_000


def test_host_unchanged(redteam, tmp_path):
    rows, out, host = redteam
    assert host["numpy"][0] == host["numpy"][1]
    assert host["worker"][0] == host["worker"][1]
    assert host["connections"] == 0
    # Only our own files were written to the output folder.
    names = {p.name for p in out.rglob("*") if p.is_file()}
    assert "FAKE_RESULTS.json" not in names and "results.json" not in names
    np_dir = os.path.dirname(numpy.__file__)
    for a in ATTACKS:
        for c in a.canaries:
            assert not Path(os.path.expanduser(c.replace("{numpy}", np_dir))).exists(), (a.name, c)


def test_no_sandbox_process_survives(redteam):
    """Nothing started by this run's kernels (fork bomb children included) is still alive."""
    marker = f"AUTOGRADER_RUN={RUN_ID}".encode()
    left = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                uid = os.stat(f"/proc/{pid}").st_uid
                environ = Path(f"/proc/{pid}/environ").read_bytes()
            except (FileNotFoundError, PermissionError, ProcessLookupError):
                continue
            if BASE_UID <= uid < BASE_UID + 256 and marker in environ.split(b"\0"):
                left.append(pid)
    assert left == []
