"""Grade one notebook: execute it in a sandbox, then run the tests in this (trusted) process.

Failure is contained per cell and per test: a cell that raises or times out costs only itself; a
kernel that dies is restarted and the notebook replayed without the fatal cell, so questions that
can still be graded are graded; a test that hangs or kills the kernel fails alone.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from autograder import testkit
from autograder.backends import Backend, get_backend
from autograder.pool import SessionPool, pool_for
from autograder.config import Limits as CourseLimits
from autograder.i18n import text
from autograder.notebook import CodeCell, InvalidNotebook, read_notebook
from autograder.remote import CallTimeout, KernelDied, RemoteError, Session
from autograder.results import QuestionResult, SubmissionResult, TestResult, scrub
from autograder.sandbox.launcher import Limits as SandboxLimits
from autograder.weekbuild import WeekBuild

MAX_RESTARTS = 3
log = logging.getLogger("autograder.grader")
__all__ = ["InvalidNotebook", "grade_notebook", "grade_variants", "read_cells", "run_tests"]
# --- memory limit (sandbox cgroups): how an out-of-memory kill is reported -----------------------
MEMORY_LIMIT_STATUS = "memory-limit"  # cell_errors[i]["status"] of a cell during which the OOM killer struck
MEMORY_LIMIT_MESSAGE = "bellek sınırı aşıldı ({mb} MB): çekirdek durduruldu"
MEMORY_LIMIT_CHILD_MESSAGE = "bellek sınırı aşıldı ({mb} MB): bir alt süreç durduruldu"


def _oom_kills(session: Session | None) -> int | None:
    """OOM kills in the session's kernel group so far (None where the backend has no such count)."""
    count = getattr(session.proc, "oom_kills", None) if session is not None else None
    return count() if callable(count) else None
# --------------------------------------------------------------------------------------------------


def read_cells(path: Path, limits: CourseLimits | None = None) -> tuple[list[str], str]:
    """Code cells of a submission, and its sha256; raises InvalidNotebook with a reason."""
    nb = read_notebook(path, *_read_limits(limits))
    return nb.sources, nb.sha256


def _read_limits(limits: CourseLimits | None) -> tuple[int, int]:
    limits = limits or CourseLimits()
    return int(limits.notebook_mb * 1024 * 1024), limits.max_cells


def seed_cells(cells: list[str], otter: dict) -> list[str]:
    """Otter's intercell seeding, as ``otter run`` does it: with ``seed_variable``, that variable is
    set to the seed before every cell; otherwise numpy's and ``random``'s generators are seeded."""
    seed, var = otter.get("seed"), otter.get("seed_variable")
    if type(seed) is not int:
        return cells
    if isinstance(var, str) and var.isidentifier():
        prefix = f"{var} = {seed}\n"
    else:
        prefix = (f"import numpy as __ag_np, random as __ag_random\n"
                  f"__ag_np.random.seed({seed}); __ag_random.seed({seed}); del __ag_np, __ag_random\n")
    return [c if c.startswith("%%") or not c.strip() else prefix + c for c in cells]


def session_maker(build: WeekBuild, limits: CourseLimits, backend: Backend) -> Callable[[], Session]:
    """A factory of unstarted kernels for this week. The working folder holds the week's public
    files; the notebook's cells travel over the channel, so a kernel can be started before the
    submission it will run is known (see ``pool``)."""
    return lambda: Session(sandbox_limits(limits), build.public_files, call_timeout=limits.test_timeout_s,
                           process_factory=backend.process_factory)


def warm_pool(build: WeekBuild, limits: CourseLimits, backend: Backend) -> SessionPool:
    key = (build.week_id, str(build.dir), backend.name, limits.model_dump_json())
    return pool_for(key, session_maker(build, limits, backend))


def sandbox_limits(limits: CourseLimits) -> SandboxLimits:
    return SandboxLimits(memory_mb=limits.memory_mb, cpu_seconds=int(limits.submission_timeout_s) + 30,
                         file_mb=limits.file_mb, max_processes=limits.max_processes,
                         scratch_mb=limits.scratch_mb)


@dataclass
class Execution:
    """A live kernel with the notebook executed in it, able to recover from a kernel death."""

    build: WeekBuild
    cells: list[str]
    limits: CourseLimits
    deadline: float
    backend: Backend = field(default_factory=get_backend)
    pool: SessionPool | None = None
    session: Session | None = None
    restarts: int = 0
    exec_seconds: float = 0.0
    exec_cpu_seconds: float = 0.0

    def __post_init__(self) -> None:
        self.errors: dict[int, str] = {}
        self.ok_cells: list[int] = []
        self.died_at: list[int] = []
        self.timed_out = False
        self.protections_off: list[str] = []
        self.memory_limit_cells: set[int] = set()  # 0-based cells during which the OOM killer struck

    def _new_session(self) -> Session:
        s = self.pool.get() if self.pool is not None else session_maker(self.build, self.limits, self.backend)().start()
        s.deadline = self.deadline
        self.protections_off = s.protections.off()
        return s

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def run(self) -> None:
        """Execute every cell once, recording errors, timeouts and the cells that killed the kernel."""
        self.session = self._new_session()
        t0 = time.monotonic()
        for i, src in enumerate(self.cells):
            if not src.strip():
                continue
            self._run_cell(i, src)
            if self.timed_out:
                break
        self.exec_seconds = time.monotonic() - t0
        self.exec_cpu_seconds = self.session.cpu_seconds if self.session is not None else 0.0

    def _run_cell(self, i: int, src: str) -> None:
        budget = min(self.limits.cell_timeout_s, self.remaining())
        if budget <= 0:
            self.timed_out = True
            return
        session, ooms_before = self.session, _oom_kills(self.session)
        try:
            res = self.session.exec_cell(src, budget)
        except (KernelDied, CallTimeout) as e:
            self.died_at.append(i + 1)
            self.errors[i] = f"kernel died: {e}" if isinstance(e, KernelDied) else "time limit (kernel killed)"
            if isinstance(e, KernelDied) and (_oom_kills(session) or 0) > (ooms_before or 0):
                self.memory_limit_cells.add(i)
                self.errors[i] = MEMORY_LIMIT_MESSAGE.format(mb=self.limits.memory_mb)
            if isinstance(e, CallTimeout) and self.remaining() <= 0:
                self.timed_out = True
            self.recover()
            return
        err = res.get("error")
        if err is not None and (_oom_kills(session) or 0) > (ooms_before or 0):
            # The kernel lived; a process it started was killed for memory (and the cell failed).
            self.memory_limit_cells.add(i)
            err = {**err, "evalue": MEMORY_LIMIT_CHILD_MESSAGE.format(mb=self.limits.memory_mb) + "; " + err["evalue"]}
        if err is None:
            self.ok_cells.append(i)
            return
        if err["ename"] == "KeyboardInterrupt":
            self.errors[i] = f"time limit ({budget:.0f} s)"
            if self.remaining() <= 0:
                self.timed_out = True
        else:
            self.errors[i] = f"{err['ename']}: {err['evalue']}"
        self.ok_cells.append(i)  # a cell that raised still ran up to the error; replay it too

    def recover(self) -> bool:
        """Start a fresh kernel and replay the cells that did not kill the previous one."""
        if self.session is not None:
            self.session.close()
            self.session = None
        if self.restarts >= MAX_RESTARTS or self.remaining() <= 0:
            return False
        self.restarts += 1
        self.session = self._new_session()
        for j in list(self.ok_cells):
            if self.remaining() <= 0:
                self.timed_out = True
                return False
            try:
                self.session.exec_cell(self.cells[j], min(self.limits.cell_timeout_s, self.remaining()))
            except (KernelDied, CallTimeout):
                self.ok_cells.remove(j)
                return self.recover()
        return True

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None


def run_tests(execution: Execution, questions: list[str], public_only: bool = False) -> list[QuestionResult]:
    """Run the questions' tests; all public tests first, then the hidden ones.

    The order matters for feedback hygiene: public failure messages may quote the student's own
    exceptions, and by the time a hidden input reaches student code no public message is left to
    carry it back out.
    """
    build = execution.build
    results: dict[str, QuestionResult] = {}
    plan = []
    for qname in questions:
        q = build.question(qname)
        tf = build.tests.get(qname)
        results[qname] = QuestionResult(name=qname, max_score=q.points, manual=q.manual,
                                        all_or_nothing=bool(tf and tf.all_or_nothing))
        if q.manual or tf is None:
            continue
        plan += [(qname, i, c) for i, c in enumerate(tf.cases) if not (public_only and c.hidden)]
    plan.sort(key=lambda item: item[2].hidden)
    outcomes: dict[tuple[str, int], TestResult] = {}
    names: set[str] | None = None
    for qname, i, case in plan:
        if execution.session is None or execution.remaining() <= 0:
            if execution.remaining() <= 0:
                execution.timed_out = True
            outcomes[qname, i] = TestResult(case.name, case.hidden, case.points, False,
                                            text("time_limit", build.manifest.get("language", "tr")))
            continue
        if names is None:
            try:
                names = execution.session.names()
            except (KernelDied, CallTimeout, RemoteError):
                names = set()  # the student broke the kernel's name listing: tests see nothing defined
        passed, message = _run_one(execution, case, names)
        if execution.session is None or execution.session.dead:
            names = None
            if not execution.recover():
                execution.session = None
        hint = (case.failure_message or "") if case.hidden and not passed else ""
        outcomes[qname, i] = TestResult(case.name, case.hidden, case.points, passed, message, hint=hint,
                                        success_message=case.success_message or "")
    for (qname, i), tr in sorted(outcomes.items(), key=lambda kv: kv[0][1]):
        results[qname].tests.append(tr)
    return list(results.values())


# One test at a time per process: doctests and `redirect_stdout` swap the process-wide sys.stdout,
# where a student function's printed output is written, so two gradings in threads (build
# validation grades solution and blank side by side) would otherwise see each other's output.
_TEST_LOCK = threading.RLock()


def _run_one(execution: Execution, case, names: set[str]) -> tuple[bool, str]:
    from autograder.testfiles import failure_detail, run_case

    session = execution.session
    lang = execution.build.manifest.get("language", "tr")
    token = testkit.current_session.set(session)
    cells_token = testkit.current_cells.set(execution.cells)
    try:
        with _TEST_LOCK:
            passed, msg = run_case(case, session.get, names)
        return passed, msg
    except AssertionError as e:
        if case.hidden:  # never shown; keep it short
            return False, str(e) or text("condition_failed", lang)
        detail = failure_detail(case, e, lang) if case.func is not None else str(e)
        if detail in ("", "AssertionError"):
            detail = text("condition_failed", lang)
        return False, f"{case.failure_message}\n{detail}" if case.failure_message else detail
    except RemoteError as e:
        return False, text("student_error", lang, error=f"{e.ename}: {e.evalue}")
    except CallTimeout:
        return False, text("call_timeout", lang)
    except KernelDied:
        return False, text("kernel_died", lang)
    except Exception as e:  # noqa: BLE001 - a wrong type from student code must fail this test only
        if not case.hidden and case.func is not None:
            detail = failure_detail(case, e, lang)
            return False, f"{case.failure_message}\n{detail}" if case.failure_message else detail
        return False, f"{type(e).__name__}: {e}"
    finally:
        testkit.current_session.reset(token)
        testkit.current_cells.reset(cells_token)


@functools.cache
def _one_host_thread() -> None:
    """Tests run reference code in this process while the kernel computes next door. With several
    torch threads here, idle OpenMP threads spin and take the kernel's core: measured on week 1
    with two jobs on two cores, 2–3 s of grader CPU per submission instead of 0.2 s."""
    try:
        import torch
    except ImportError:
        return
    torch.set_num_threads(1)


def grade_notebook(build: WeekBuild, path: Path, student: str, limits: CourseLimits,
                   public_only: bool = False, backend: Backend | None = None,
                   pool: SessionPool | None = None) -> SubmissionResult:
    """Grade one file. Never raises: whatever goes wrong, in the student's notebook or in this
    grader, becomes this submission's result (status ``grader-error`` for the latter, with the
    stage named and the traceback in the ``autograder.grader`` log), so one file cannot stop a batch."""
    _one_host_thread()
    t0 = time.monotonic()
    result = SubmissionResult(student=student, week=build.week_id, language=build.manifest.get("language", "tr"))
    stage = "reading"
    try:
        try:
            nb = read_notebook(path, *_read_limits(limits))
        except (InvalidNotebook, OSError) as e:
            result.status, result.message = "invalid-notebook", scrub(str(e), 300)
            result.questions = _blank(build)
            return result
        result.sha256 = nb.sha256
        stage = "executing"
        execution = Execution(build, seed_cells(nb.sources, build.manifest.get("otter") or {}), limits,
                              deadline=t0 + limits.submission_timeout_s,
                              backend=backend or get_backend(), pool=pool)
        try:
            try:
                execution.run()
            except (KernelDied, CallTimeout, OSError) as e:
                result.status, result.message = "sandbox-error", scrub(f"could not start the sandbox: {e}", 300)
                result.questions = _blank(build)
                return result
            stage = "testing"
            result.questions = run_tests(execution, build.question_names, public_only=public_only)
        finally:
            execution.close()
        stage = "reporting"
        _report(result, execution, nb.cells, limits)
    except Exception as e:  # noqa: BLE001 - containment: a grader bug costs this row, not the batch
        log.error("grader error in %s while %s (%s)\n%s", path, stage, student, traceback.format_exc())
        result.status = "grader-error"
        result.message = scrub(f"grader error while {stage} {path.name}: {type(e).__name__}: {e}", 300)
        result.questions = _blank(build)
    result.seconds = time.monotonic() - t0
    return result


def _blank(build: WeekBuild) -> list[QuestionResult]:
    return [QuestionResult(q.name, q.points, q.manual) for q in build.questions]


def _cell_label(cell: CodeCell) -> str:
    """The cell as the student sees it: its position among all cells, and its first line."""
    return f"{cell.position}" + (f" ({cell.first_line})" if cell.first_line else "")


def _report(result: SubmissionResult, execution: Execution, cells: list[CodeCell], limits: CourseLimits) -> None:
    result.cell_errors = [{"cell": cells[i].position, "first_line": cells[i].first_line, "error": scrub(e, 300),
                           **({"status": MEMORY_LIMIT_STATUS} if i in execution.memory_limit_cells else {})}
                          for i, e in sorted(execution.errors.items())]
    result.protections_off = execution.protections_off
    if execution.timed_out:
        result.status, result.message = "timeout", f"submission time limit of {limits.submission_timeout_s:g} s reached"
    elif execution.died_at:
        result.status = "kernel-died"
        result.message = ("kernel died at cell " + ", ".join(_cell_label(cells[i - 1]) for i in execution.died_at)
                          + "; graded without it")
        if execution.memory_limit_cells:
            result.message += f" (memory limit of {limits.memory_mb} MB)"
    elif result.cell_errors:
        result.message = f"{len(result.cell_errors)} cell(s) raised errors"
    result.exec_seconds = execution.exec_seconds
    result.exec_cpu_seconds = execution.exec_cpu_seconds


def grade_variants(build: WeekBuild, path: Path, variants: list[tuple[str, list[str]]], limits: CourseLimits
                   ) -> list[dict[str, QuestionResult]]:
    """Run a notebook once; then per (code, questions): run the code (e.g. a redefinition of the
    student's function), grade those questions, restore the kernel's globals. Used to test the
    tests with right and wrong answers and mutants.

    One kernel for all variants; a fresh one (the notebook run again) only after a test killed or
    restarted it, since a restarted kernel has no snapshot to restore.
    """
    cells = seed_cells(read_cells(path)[0], build.manifest.get("otter") or {})

    def fresh() -> Execution:
        ex = Execution(build, list(cells), limits, deadline=time.monotonic() + 3600)
        ex.run()
        if ex.session is None or ex.restarts or ex.errors:
            ex.close()
            raise RuntimeError(f"{build.week_id}: {path.name} did not run cleanly: {ex.errors}")
        ex.session.snapshot()
        return ex

    execution = fresh()
    out = []
    try:
        for code, questions in variants:
            if execution.session is None or execution.session.dead or execution.restarts:
                execution.close()
                execution = fresh()
            res = execution.session.exec_cell(code, limits.cell_timeout_s)
            if "error" in res:
                raise RuntimeError(f"variant raised {res['error']['ename']}: {res['error']['evalue']}\n{code}")
            execution.cells.append(code)  # static checks (testkit.student_source) see the variant too
            out.append({qr.name: qr for qr in run_tests(execution, questions)})
            execution.cells.pop()
            if execution.session is not None and not execution.session.dead and not execution.restarts:
                execution.session.restore()
    finally:
        execution.close()
    return out
