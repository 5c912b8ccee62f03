"""Grading workers: claim a queued submission from the gradebook, grade it in the sandbox, record.

A worker needs only the course repository (course.yml, the week builds) and the gradebook's URL:
notebooks travel in the database, so workers on other machines share the load by pointing
``AUTOGRADER_DATABASE_URL`` at the same PostgreSQL server and running ``autograder worker``.

``autograder serve`` starts ``service.workers`` of them as child processes that die with it
(``PR_SET_PDEATHSIG``): after a ``kill -9`` of the service nothing keeps grading in the
background, and the next start queues their unfinished claims again.
"""

from __future__ import annotations

import argparse
import ctypes
import fcntl
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from pathlib import Path

from autograder import config as config_mod
from autograder.gradebook import Claim, Gradebook, database_url, local_worker_dead, local_worker_id, safe_join

log = logging.getLogger("autograder.worker")

MAX_WARM_WEEKS = 2  # warm pools kept per worker (each holds one started kernel)


def die_with_parent(parent: int) -> None:
    """Linux: SIGKILL this process when its parent dies; exit now if it is already gone."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:  # pragma: no cover - not Linux; the worker also polls its parent
        pass
    if os.getppid() != parent:
        os._exit(0)


class Worker:
    def __init__(self, course_path: Path, gb: Gradebook | None = None, worker_id: str | None = None,
                 poll_s: float = 0.3, parent: int | None = None) -> None:
        self.course_path = Path(course_path)
        self.course = config_mod.load(self.course_path)
        self.svc = self.course.service
        self.gb = gb or Gradebook(database_url(self.course))
        self.id = worker_id or local_worker_id()
        self.poll_s = poll_s
        self.parent = parent
        self.stop = threading.Event()
        self.current: Claim | None = None
        self._finishing = False
        self._lock = threading.Lock()
        self._weeks: OrderedDict[str, tuple] = OrderedDict()  # week -> (build, limits, backend, pool)
        self.graded = 0

    # ------------------------------------------------------------------ set-up per week
    def _week(self, week_id: str) -> tuple:
        if week_id in self._weeks:
            self._weeks.move_to_end(week_id)
            return self._weeks[week_id]
        from autograder.backends import get_backend
        from autograder.build import ensure_built
        from autograder.pool import SessionPool
        from autograder.runner import session_maker

        week = self.course.week(week_id)
        lock_path = self.course.root / "build" / f".build-{week_id}.lock"
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path, "w") as lock:  # one build at a time across workers on this machine
            fcntl.flock(lock, fcntl.LOCK_EX)
            build = ensure_built(self.course, week)
        limits = self.course.limits_for(week)
        backend = get_backend(self.svc.backend, week.image)
        pool = SessionPool(session_maker(build, limits, backend), spares=1)
        while len(self._weeks) >= MAX_WARM_WEEKS:
            _, old = self._weeks.popitem(last=False)
            old[3].close()
        self._weeks[week_id] = (build, limits, backend, pool)
        return self._weeks[week_id]

    def close(self) -> None:
        while self._weeks:
            _, (_, _, _, pool) = self._weeks.popitem()
            pool.close()

    # ------------------------------------------------------------------ one job
    def run_once(self) -> bool:
        """Claim and grade one submission; False if the queue was empty."""
        claim = self.gb.claim(self.id, self.svc.lease_s)
        if claim is None:
            return False
        with self._lock:
            self.current = claim
        t0 = time.monotonic()
        try:
            result = self.grade(claim)
        except Exception as e:  # noqa: BLE001 - a grader failure costs this attempt, not the worker
            log.exception("worker %s: grading submission %s failed", self.id, claim.id)
            self.gb.fail(claim, f"grader error: {type(e).__name__}: {e}")
            with self._lock:
                self.current = None
            return True
        with self._lock:
            self._finishing = True
        try:
            ok = self.gb.finish(claim, result)
        finally:
            with self._lock:
                self.current, self._finishing = None, False
        if ok:
            self.graded += 1
            if self.course.lti is not None:  # grades flow back to the LMS (never fails the grading)
                from autograder.service.lti import after_grading

                after_grading(self.course, self.gb, claim.week, claim.student)
        log.info("worker %s: submission %s (%s %s) %s %g/%g in %.1f s%s", self.id, claim.id, claim.week,
                 claim.student, result.status, result.total, result.max_score, time.monotonic() - t0,
                 "" if ok else " — claim lost, result discarded")
        return True

    def grade(self, claim: Claim):
        from autograder.runner import grade_notebook

        build, limits, backend, pool = self._week(claim.week)
        tmp = Path(tempfile.mkdtemp(prefix="ag-submission-"))
        try:
            path = safe_join(tmp, f"{claim.student}.ipynb")
            path.write_bytes(claim.notebook)
            return grade_notebook(build, path, claim.student, limits, backend=backend, pool=pool)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def drain(self, timeout_s: float = 600) -> int:
        """Grade until the queue is empty (tests and `autograder worker --drain`)."""
        n, deadline = 0, time.monotonic() + timeout_s
        while time.monotonic() < deadline and self.run_once():
            n += 1
        return n

    # ------------------------------------------------------------------ forever
    def _heartbeat(self) -> None:
        every = max(1.0, self.svc.lease_s / 4)
        while not self.stop.wait(every):
            try:
                self.gb.worker_heartbeat(self.id)
                with self._lock:
                    claim = self.current
                if claim is not None and not self.gb.renew(claim, self.svc.lease_s):
                    log.warning("worker %s: lost the claim on submission %s", self.id, claim.id)
            except Exception:  # noqa: BLE001 - the database may be briefly unavailable
                log.exception("worker %s: heartbeat failed", self.id)
            if self.parent is not None and os.getppid() != self.parent:
                os._exit(0)

    def on_signal(self, signum, frame) -> None:  # noqa: ANN001
        """SIGTERM/SIGINT: give an unfinished claim back to the queue and exit at once. (While a
        result is being recorded, that transaction finishes first and the loop then stops.)"""
        self.stop.set()
        with self._lock:
            claim, finishing = self.current, self._finishing
        if finishing:
            return
        try:
            if claim is not None:
                self.gb.release(claim)
        finally:
            # Sandboxes, the warm spare included, die with this process (bubblewrap
            # --die-with-parent; a docker sandbox sees its stdin close).
            os._exit(0)

    def warm_up(self, weeks: list[str]) -> None:
        """Start the warm pools (one kernel each) of the weeks being submitted now, before the
        first submission arrives: the first student does not wait for a cold start."""
        for w in weeks[-MAX_WARM_WEEKS:]:
            try:
                self._week(w)
            except Exception:  # noqa: BLE001 - grading that week will report the problem
                log.exception("worker %s: could not prepare %s", self.id, w)

    def run_forever(self, warm: list[str] | None = None) -> None:
        self.gb.register_worker(self.id)
        threading.Thread(target=self._heartbeat, name="heartbeat", daemon=True).start()
        self.warm_up(warm or [])
        log.info("worker %s: grading from %s", self.id, self.gb.display_url)
        try:
            while not self.stop.is_set():
                try:
                    busy = self.run_once()
                except Exception:  # noqa: BLE001 - e.g. the database is briefly unavailable
                    log.exception("worker %s: queue error", self.id)
                    busy = False
                if not busy:
                    self.stop.wait(self.poll_s)
        finally:
            self.close()


# --------------------------------------------------------------------------- processes (serve)

class WorkerProcesses:
    """The worker processes of one `autograder serve`: started, restarted if they die, stopped."""

    def __init__(self, course_path: Path, n: int, warm: list[str] | None = None) -> None:
        self.course_path = Path(course_path)
        self.n = n
        self.warm = list(warm or [])
        self.procs: list[subprocess.Popen | None] = [None] * n

    def _spawn(self, i: int) -> subprocess.Popen:
        cmd = [sys.executable, "-m", "autograder.service.worker", "--course", str(self.course_path),
               "--parent", str(os.getpid())]
        for w in self.warm:
            cmd += ["--warm", w]
        return subprocess.Popen(cmd, stdin=subprocess.DEVNULL)

    def start(self) -> None:
        for i in range(self.n):
            self.procs[i] = self._spawn(i)

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs if p is not None]

    def check(self) -> list[int]:
        """Restart workers that died; returns their pids (whose claims the caller re-queues)."""
        dead = []
        for i, p in enumerate(self.procs):
            if p is not None and p.poll() is not None:
                log.warning("worker process %s exited with %s; starting another", p.pid, p.returncode)
                dead.append(p.pid)
                self.procs[i] = self._spawn(i)
        return dead

    def stop(self, grace_s: float = 10) -> None:
        for p in self.procs:
            if p is not None and p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace_s
        for p in self.procs:
            if p is None:
                continue
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.procs = [None] * self.n


def requeue_dead_local(gb: Gradebook) -> list[int]:
    return gb.requeue_dead(local_worker_dead)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="autograder worker", description="Grade queued submissions from the gradebook.")
    ap.add_argument("--course", default=os.environ.get("AUTOGRADER_COURSE", "course.yml"))
    ap.add_argument("--parent", type=int, default=None, help="exit when this process (the service) dies")
    ap.add_argument("--drain", action="store_true", help="grade until the queue is empty, then exit")
    ap.add_argument("--warm", action="append", default=[], help="week to prepare a warm kernel for (repeatable)")
    args = ap.parse_args(argv)
    if args.parent is not None:
        die_with_parent(args.parent)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    worker = Worker(Path(args.course), parent=args.parent)
    signal.signal(signal.SIGTERM, worker.on_signal)
    signal.signal(signal.SIGINT, worker.on_signal)
    if args.drain:
        try:
            n = worker.drain()
        finally:
            worker.close()
        log.info("worker %s: graded %d submission(s); queue empty", worker.id, n)
        return 0
    worker.run_forever(warm=args.warm)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
