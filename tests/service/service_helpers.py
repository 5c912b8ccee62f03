"""Helpers for the service tests: roster and settings of the test course, sign-in, upload,
and a real `autograder serve` process on loopback."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from autograder.results import QuestionResult, SubmissionResult
from autograder.results import TestResult as TResult

STUDENTS = [f"s{i:02d}" for i in range(60)]
ROSTER = {
    "students": [{"id": "ali", "name": "Ali Veli", "email": "ali@example.edu", "section": 1},
                 {"id": "ayse", "name": "Ayşe Yılmaz", "email": "ayse@example.edu", "section": 1},
                 {"id": "can", "name": "Can Demir"},
                 {"id": "deniz", "name": "Deniz Ak"},
                 {"id": "ece", "name": "Ece Kara"},
                 *[{"id": s, "name": f"Öğrenci {s}"} for s in STUDENTS]],
    "tas": [{"id": "ta1", "name": "Asistan Bir"}],
    "instructors": [{"id": "hoca", "name": "Hoca"}],
}
SERVICE = {
    "roster": "roster.yml",
    "database": "sqlite:///build/gradebook.sqlite3",
    "score": "best",
    "late": {"window_hours": 48, "penalty_percent_per_day": 10},
    "rate_limit": {"submissions": 3, "per_minutes": 10},
    "max_upload_mb": 1,
    "workers": 2,
    "lease_s": 20,
    "open_weeks": ["week01"],
}


def notebooks(svc_course) -> dict[str, bytes]:
    b = svc_course.root / "build" / "dist" / "week01"
    return {"solution": (b / "autograder" / "week01.ipynb").read_bytes(),
            "blank": (b / "student" / "week01.ipynb").read_bytes()}


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def sign_in(client, user: str, secret: str) -> None:
    tok = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"user": user, "secret": secret, "csrf_token": tok}, follow_redirects=False)
    assert r.status_code == 303, (r.status_code, r.text[:300])


def upload(client, week: str, data: bytes, name: str = "week01.ipynb", follow: bool = False):
    tok = csrf_of(client.get(f"/weeks/{week}").text)
    return client.post(f"/weeks/{week}/submissions", data={"csrf_token": tok},
                       files={"notebook": (name, data, "application/x-ipynb+json")}, follow_redirects=follow)


# --------------------------------------------------------------------------- real servers

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`autograder serve` in its own process group, logging to a file."""

    def __init__(self, course_yml: Path, db_url: str, log: Path, workers: int = 2) -> None:
        self.course_yml, self.db_url, self.log_path, self.workers = course_yml, db_url, log, workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 180) -> "Server":
        env = dict(os.environ, AUTOGRADER_DATABASE_URL=self.db_url, PYTHONUNBUFFERED="1")
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "autograder.cli", "serve", "--course", str(self.course_yml), "--port", str(self.port),
             "--workers", str(self.workers)],
            stdout=self._log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log()[-3000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"server did not start in {timeout} s:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kill9(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)  # the service only, not its process group
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # anything left in its group
            except ProcessLookupError:
                pass
        if getattr(self, "_log", None):
            self._log.close()


def worker_pids(server_pid: int) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{d}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"autograder.service.worker" in cmd and f"{server_pid}".encode() in cmd:
            out.append(int(d))
    return out


def fake_result(student: str, q1_hidden: bool = True) -> SubmissionResult:
    """A stand-in grading result (4 questions, 6 points) for tests about the queue, not the grader."""
    qs = []
    for name, pts in (("q1", 2.0), ("q2", 2.0), ("q3", 1.0), ("q4", 1.0)):
        hidden_ok = q1_hidden or name != "q1"
        qs.append(QuestionResult(name, pts, tests=[TResult(f"{name}_public", False, pts / 2, True),
                                                   TResult(f"{name}_hidden", True, pts / 2, hidden_ok, "secret")]))
    return SubmissionResult(student=student, week="week01", questions=qs, seconds=0.1)
