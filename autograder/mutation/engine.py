"""Run the mutants of a week's reference answers against its tests, in one warm sandbox kernel.

Contract: :func:`run_week` executes the week's solution notebook once in a sandbox (as
``runner.grade_variants`` does), then for each question and each selected mutant of the
definitions its answer cells inject (``# INJECT SOLUTION: …`` lines of the master):

1. probe: inside the kernel, the mutant's source is executed in a *copy* of the globals and
   replayed on the probe inputs (``kernel.py``); an equivalent mutant is dropped and not counted;
2. otherwise the mutant's source is executed in the kernel's globals, as a student's cell would
   be, and the question's tests (public and hidden) run in this trusted process, as in grading;
   the mutant is *killed* when any test fails;
3. the kernel's globals are restored for the next mutant.

A mutant plays the student: it is code derived from our reference, and it only ever runs inside
the sandbox, never in this process. A mutant whose definition itself raises is *invalid* (it
would leave the reference in place) and is not counted. At most ``max_mutants`` non-equivalent
mutants per question are tested, chosen deterministically: candidates are interleaved across
operator families (``operators.OPERATORS`` order) so a cap keeps variety, and at most
``4 × max_mutants`` candidates are probed.
"""

from __future__ import annotations

import ast
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat
import yaml

from autograder.config import Course, Week
from autograder.inject import DIRECTIVE
from autograder.mutation.operators import OPERATORS, Mutant, mutants_of
from autograder.remote import CallTimeout, KernelDied, RemoteError

_ACCEPTED = re.compile(r"MUTANT OK ([0-9a-f]{8}):\s*(.+)")
KERNEL_SOURCE = (Path(__file__).parent / "kernel.py").read_text(encoding="utf-8")
_TRAINING = re.compile(r"\.step\(|\btrain\w*\(")


class MutationError(Exception):
    """The week cannot be mutation-tested (reference notebook fails, unknown question...)."""


@dataclass
class QuestionMutation:
    question: str
    kind: str                      # "function" (deterministic answer) or "training"
    definitions: list[str]
    generated: int = 0             # candidates produced by the operators
    probed: int = 0
    equivalent: int = 0
    invalid: int = 0
    killed: int = 0
    survivors: list[Mutant] = field(default_factory=list)
    accepted: dict[str, str] = field(default_factory=dict)  # mutant key → reason, listed in the master

    @property
    def unexplained(self) -> list[Mutant]:
        """Survivors the master does not list with a reason."""
        return [m for m in self.survivors if m.key not in self.accepted]

    @property
    def mutants(self) -> int:
        return self.killed + len(self.survivors)

    @property
    def score(self) -> float | None:
        return self.killed / self.mutants if self.mutants else None


def question_definitions(master: Path) -> dict[str, list[str]]:
    """Question name → the top-level reference names its solution cells inject, in order."""
    nb = nbformat.read(master, as_version=4)
    out: dict[str, list[str]] = {}
    current: str | None = None
    for cell in nb.cells:
        src = cell.source.lstrip()
        if cell.cell_type == "raw" and src.startswith("# BEGIN QUESTION"):
            cfg = yaml.safe_load(src.split("\n", 1)[1] if "\n" in src else "") or {}
            current = str(cfg["name"])
            out.setdefault(current, [])
        elif cell.cell_type == "raw" and src.startswith("# END QUESTION"):
            current = None
        elif cell.cell_type == "code" and current is not None:
            for m in DIRECTIVE.finditer(cell.source):
                out[current] += [n.strip() for n in m.group(1).split(",") if n.strip()]
    return out


def accepted_survivors(master: Path) -> dict[str, dict[str, str]]:
    """Question → {mutant key: reason} from ``# MUTANT OK <key>: <reason>`` comments in the
    question's code cells (a hidden test cell is the place: students never see it)."""
    nb = nbformat.read(master, as_version=4)
    out: dict[str, dict[str, str]] = {}
    current: str | None = None
    for cell in nb.cells:
        src = cell.source.lstrip()
        if cell.cell_type == "raw" and src.startswith("# BEGIN QUESTION"):
            current = str((yaml.safe_load(src.split("\n", 1)[1] if "\n" in src else "") or {})["name"])
        elif cell.cell_type == "raw" and src.startswith("# END QUESTION"):
            current = None
        elif cell.cell_type == "code" and current is not None:
            for m in _ACCEPTED.finditer(cell.source):
                out.setdefault(current, {})[m.group(1)] = m.group(2).strip()
    return out


def top_level(solution: Path) -> dict[str, ast.stmt]:
    tree = ast.parse(solution.read_text(encoding="utf-8"))
    defs: dict[str, ast.stmt] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defs[node.name] = node
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    defs[t.id] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            defs[node.target.id] = node
    return defs


def classify(sources: list[str]) -> str:
    """"training" when the answer steps an optimiser or calls a ``train…`` function, else "function"."""
    return "training" if any(_TRAINING.search(s) for s in sources) else "function"


def interleave(mutants: list[Mutant]) -> list[Mutant]:
    """Round-robin over operator families, in chain order, each family in source order."""
    groups = [[m for m in mutants if m.operator == op.name] for op in OPERATORS]
    out: list[Mutant] = []
    while any(groups):
        for g in groups:
            if g:
                out.append(g.pop(0))
    return out


@dataclass
class Plan:
    """What a week's mutation run will do: per question, its names, kind and candidate mutants."""
    names: dict[str, list[str]]
    kinds: dict[str, str]
    candidates: dict[str, list[Mutant]]
    sources: dict[str, str]  # reference source of each name


def plan_week(master: Path, solution: Path, questions: list[str] | None = None) -> Plan:
    defs_by_q = question_definitions(master)
    if questions:
        unknown = [q for q in questions if q not in defs_by_q]
        if unknown:
            raise MutationError(f"{master.name}: no question named {', '.join(unknown)} "
                                f"(questions: {', '.join(defs_by_q)})")
        defs_by_q = {q: defs_by_q[q] for q in questions}
    defs = top_level(solution)
    names, kinds, cands, sources = {}, {}, {}, {}
    for q, ns in defs_by_q.items():
        missing = [n for n in ns if n not in defs]
        if missing:
            raise MutationError(f"{solution.name}: {q} injects {', '.join(missing)}, not defined there")
        names[q] = ns
        for n in ns:
            sources[n] = ast.unparse(defs[n])
        kinds[q] = classify([sources[n] for n in ns])
        cands[q] = interleave([m for n in ns for m in mutants_of(defs[n], n)])
    return Plan(names, kinds, cands, sources)


def question_source(plan: Plan, question: str, mutant: Mutant | None = None) -> str:
    """The answer cell a student would write: every definition of the question, one mutated."""
    parts = [mutant.source if mutant is not None and n == mutant.definition else plan.sources[n]
             for n in plan.names[question]]
    return "\n\n".join(dict.fromkeys(parts))  # an assignment of two names appears once


class _Kernel:
    """The warm kernel: solution notebook executed, probe inputs recorded, globals snapshotted."""

    def __init__(self, course: Course, week: Week, auto: list[str], names: list[str]) -> None:
        from autograder.build import ensure_built
        from autograder.runner import Execution, read_cells

        self.build = ensure_built(course, week)
        self.limits = course.limits_for(week)
        cells, _ = read_cells(self.build.solution_notebook)
        self.auto, self.names = auto, names
        self.execution = Execution(self.build, cells, self.limits, deadline=time.monotonic() + 7 * 24 * 3600)
        self.execution.run()
        if self.execution.session is None:
            raise MutationError(f"{week.id}: the solution notebook could not be executed")
        self.reference_failures: list[str] = []
        self.prepared_session = None  # the kernel the probe inputs were recorded in
        self.prepare()

    @property
    def session(self):
        return self.execution.session

    def _exec(self, code: str, timeout: float | None = None) -> dict:
        if self.session is None:
            raise MutationError(f"{self.build.week_id}: the kernel could not be restarted")
        return self.session.exec_cell(code, timeout or self.limits.cell_timeout_s)

    def prepare(self, attempts: int = 2) -> None:
        """Install the kernel-side module, record the tests' inputs on the reference, snapshot.
        A kernel that dies meanwhile is restarted and the recording done again."""
        for _ in range(attempts):
            try:
                self._prepare()
                return
            except (KernelDied, CallTimeout):
                self.execution.restarts = 0
                if not self.execution.recover():
                    break
        raise MutationError(f"{self.build.week_id}: the reference could not be run with recorders")

    def _prepare(self) -> None:
        from autograder.runner import run_tests

        session = self.session

        setup = ("import sys as _s, types as _t\n_m = _t.ModuleType('_ag_mutation')\n"
                 f"exec(compile({KERNEL_SOURCE!r}, '_ag_mutation', 'exec'), _m.__dict__)\n"
                 "_s.modules['_ag_mutation'] = _m\ndel _s, _t, _m\n"
                 f"__import__('_ag_mutation').wrap(globals(), {self.names!r})")
        res = self._exec(setup)
        if "error" in res:
            raise MutationError(f"{self.build.week_id}: kernel set-up failed: {res['error']['evalue']}")
        results = run_tests(self.execution, self.auto)
        if self.session is not session:  # a test killed the kernel: the recorders went with it
            raise KernelDied("kernel restarted while recording probe inputs")
        self.reference_failures = [f"{qr.name}: {t.name}" for qr in results for t in qr.tests if not t.passed]
        res = self._exec("__import__('_ag_mutation').unwrap(globals())\n"
                         "__ag_ref__ = __import__('_ag_mutation').reference(globals())", timeout=600)
        if "error" in res:
            raise MutationError(f"{self.build.week_id}: probe recording failed: {res['error']['evalue']}")
        self.session.snapshot()
        self.prepared_session = self.session

    def recover(self) -> None:
        """After a mutant killed the kernel: a fresh one, with the notebook replayed and the probe
        inputs recorded again. Each mutant gets the runner's full allowance of restarts."""
        self.execution.restarts = 0
        if self.execution.session is None or self.execution.session.dead:
            if not self.execution.recover():
                raise MutationError(f"{self.build.week_id}: the kernel could not be restarted")
        if self.session is not self.prepared_session:
            self.prepare()

    def probe(self, plan: Plan, question: str, mutant: Mutant) -> dict:
        code = (f"__ag_probe__ = __import__('_ag_mutation').probe(globals(), "
                f"{question_source(plan, question, mutant)!r}, {plan.names[question]!r}, {mutant.definition!r})")
        try:
            res = self._exec(code)
        except (KernelDied, CallTimeout):
            self.recover()
            return {"equivalent": False, "why": "probe killed the kernel"}
        if "error" in res:
            return {"equivalent": False, "why": f"probe raised {res['error']['ename']}"}
        try:
            verdict = self.session.get("__ag_probe__")
        except (RemoteError, KernelDied, CallTimeout):
            self.recover()
            return {"equivalent": False, "why": "probe gave no verdict"}
        self.session.restore()
        if not isinstance(verdict, dict):
            raise MutationError("probe returned no verdict")
        return verdict

    def test(self, plan: Plan, question: str, mutant: Mutant) -> str:
        """"invalid", "killed" or "survived"."""
        from autograder.runner import run_tests

        try:
            res = self._exec(question_source(plan, question, mutant))
        except (KernelDied, CallTimeout):
            self.recover()
            return "invalid"
        if "error" in res:
            self.session.restore()
            return "invalid"
        self.execution.restarts = 0
        qr = run_tests(self.execution, [question])[0]
        killed = any(not t.passed for t in qr.tests) or not qr.tests
        if self.session is not self.prepared_session:
            self.recover()
        else:
            self.session.restore()
        return "killed" if killed else "survived"

    def close(self) -> None:
        self.execution.close()


def run_week(course: Course, week: Week, questions: list[str] | None = None, max_mutants: int = 30,
             on_progress: Callable[[str, int, int], None] | None = None) -> list[QuestionMutation]:
    """Mutation results for the week's auto-graded questions (or the named ones).

    ``on_progress(question, done, total)`` is called after each candidate is handled.
    """
    from autograder.build import parse_questions

    if max_mutants < 1:
        raise MutationError("max_mutants must be at least 1")
    master = course.master_path(week)
    solution = course.root / "solutions" / f"{week.id}.py"
    plan = plan_week(master, solution, questions)
    manual = {q.name for q in parse_questions(nbformat.read(master, as_version=4)) if q.manual}
    order = [q for q in plan.names if q not in manual and plan.names[q]]
    accepted = accepted_survivors(master)
    results = {q: QuestionMutation(q, plan.kinds[q], plan.names[q], generated=len(plan.candidates[q]),
                                   accepted=accepted.get(q, {})) for q in order}
    budget = {q: min(len(plan.candidates[q]), 4 * max_mutants) for q in order}
    total = sum(budget.values())
    done = 0
    if not total:
        return list(results.values())
    all_names = list(dict.fromkeys(n for q in order for n in plan.names[q]))
    kernel = _Kernel(course, week, order, all_names)
    try:
        for q in order:
            r = results[q]
            for mutant in plan.candidates[q][: budget[q]]:
                if r.mutants >= max_mutants:
                    break
                r.probed += 1
                verdict = kernel.probe(plan, q, mutant)
                if verdict.get("equivalent") is True:
                    r.equivalent += 1
                else:
                    outcome = kernel.test(plan, q, mutant)
                    if outcome == "invalid":
                        r.invalid += 1
                    elif outcome == "killed":
                        r.killed += 1
                    else:
                        r.survivors.append(mutant)
                done += 1
                if on_progress:
                    on_progress(q, done, total)
            done += budget[q] - r.probed
            if on_progress:
                on_progress(q, done, total)
    finally:
        kernel.close()
    return list(results.values())
