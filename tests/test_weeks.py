"""Every week of course.yml: build validation, and tests of the tests with right and wrong answers.

Building a week validates it (solution full marks, blank notebook zero, hidden tests for every
auto-graded question, each with a hint, points add up, solution within its time budget). Then
the week's answer snippets are run in one kernel holding the solution notebook, each after the
notebook (so it replaces the solution's definitions), with the kernel's globals restored between
snippets (see ``grade_snippets``):

- ``tests/right_answers/weekNN.py`` (``RIGHT_ANSWERS``): correct answers written differently from
  the reference (float32, lists, loops, another valid optimiser or seed use). Each must keep full
  marks in its own question and lose nothing in any other question.
- ``tests/wrong_answers/weekNN.py`` (``WRONG_ANSWERS``): plausible mistakes. Each must cost its own
  question hidden points, and nothing in any other question ("a bug costs points once"), except
  in a question whose master declares ``depends_on: [its question]`` in its ``# BEGIN QUESTION``
  config and whose prompt names that question, so the student is told.

A snippet can only change what a question's tests see through the student globals those tests
read, directly or through the globals the notebook's definitions of them use. So per snippet,
only its own question and the questions whose tests can reach a name it (re)defines are graded:
the same verdict as grading every question, at a fraction of the time. Each week is built once
per run and its snippets are graded once per run.
"""

from __future__ import annotations

import ast
import runpy

import nbformat
import pytest
import yaml
from helpers import ROOT, built_week

from autograder import config
from autograder.results import QuestionResult
from autograder.runner import grade_variants, read_cells
from autograder.testfiles import doctest_names
from autograder.weekbuild import WeekBuild

COURSE = config.load(ROOT / "course.yml")
WEEKS = [w.id for w in COURSE.weeks]

pytestmark = pytest.mark.slow

Snippets = dict[str, list[tuple[str, str]]]


# --------------------------------------------------------------------------- snippets and masters

def load_snippets(kind: str, week_id: str) -> Snippets:
    """``RIGHT_ANSWERS`` / ``WRONG_ANSWERS`` of tests/{right,wrong}_answers/weekNN.py: question →
    [(why, code)]; a missing file is an empty dict."""
    path = ROOT / "tests" / f"{kind}_answers" / f"{week_id}.py"
    if not path.is_file():
        return {}
    return runpy.run_path(str(path)).get(f"{kind.upper()}_ANSWERS", {})


def master_questions(week_id: str) -> dict[str, dict]:
    """Each question of the week's master: its ``# BEGIN QUESTION`` config and its prompt
    (the markdown cells up to its solution)."""
    nb = nbformat.read(COURSE.master_path(COURSE.week(week_id)), as_version=4)
    out: dict[str, dict] = {}
    current = None
    for cell in nb.cells:
        src = cell.source.lstrip()
        if cell.cell_type == "raw" and src.startswith("# BEGIN QUESTION"):
            cfg = yaml.safe_load(src.split("\n", 1)[1] if "\n" in src else "") or {}
            current = out.setdefault(str(cfg["name"]), {"config": cfg, "prompt": ""})
        elif cell.cell_type == "raw" and src.startswith(("# BEGIN SOLUTION", "# END QUESTION")):
            current = None
        elif current is not None and cell.cell_type == "markdown":
            current["prompt"] += cell.source + "\n"
    return out


def declared_dependencies(week_id: str) -> dict[str, set[str]]:
    """question → the questions whose answers it uses, as its master declares (``depends_on``)."""
    return {q: set(info["config"].get("depends_on") or []) for q, info in master_questions(week_id).items()}


# --------------------------------------------------------------------------- who can reach what

def defined_names(code: str) -> set[str]:
    """Top-level names a snippet (re)binds."""
    names: set[str] = set()
    for node in ast.parse(code).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        else:
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    names.add(sub.id)
    return names


def global_references(cells: list[str]) -> dict[str, set[str]]:
    """For each global the notebook binds, every name its binding statements mention (over-approximate:
    a function's body, a class's methods, the right side of an assignment)."""
    refs: dict[str, set[str]] = {}
    for src in cells:
        try:
            tree = ast.parse(src)
        except SyntaxError:  # IPython magics and the like: nothing a test reaches is defined there
            continue
        for node in tree.body:
            bound = defined_names(ast.unparse(node)) if not isinstance(node, ast.Expr) else set()
            for name in bound:
                refs.setdefault(name, set()).update(free_names(node) - {name})
    return refs


def free_names(node: ast.AST) -> set[str]:
    """Names a statement reads from the notebook's globals. In a ``def`` or ``class``, names bound
    inside it (arguments, locals) are local unless declared ``global``: a function's local ``S``
    is not the notebook's ``S``."""
    used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return used
    local = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del))}
    local |= {a.arg for n in ast.walk(node) if isinstance(n, ast.arguments)
              for a in [*n.posonlyargs, *n.args, *n.kwonlyargs, n.vararg, n.kwarg] if a is not None}
    local |= {n.name for n in ast.walk(node) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
              and n is not node}
    local |= {(a.asname or a.name).split(".")[0] for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))
              for a in n.names}
    declared = {g for n in ast.walk(node) if isinstance(n, ast.Global) for g in n.names}
    return used - (local - declared)


def reachable(start: set[str], refs: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), list(start)
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo += refs.get(n, ())
    return seen


def names_read_by_tests(build: WeekBuild, question: str) -> set[str] | None:
    """Student globals a question's tests fetch; None when a test takes the whole namespace (``env``)."""
    names: set[str] = set()
    tf = build.tests.get(question)
    for case in tf.cases if tf else []:
        if "env" in case.params:
            return None
        names |= set(case.params) | (doctest_names(case.doctest) if case.doctest else set())
    return names


def questions_reached(build: WeekBuild, code: str, refs: dict[str, set[str]]) -> set[str]:
    """Auto-graded questions whose tests can see a change made by running ``code`` after the notebook."""
    changed = defined_names(code)
    out = set()
    for q in build.questions:
        if q.manual:
            continue
        read = names_read_by_tests(build, q.name)
        if read is None or reachable(read, refs) & changed:
            out.add(q.name)
    return out


# --------------------------------------------------------------------------- grading snippets

def grade_snippets(build: WeekBuild, snippets: list[tuple[str, list[str]]]) -> list[dict[str, QuestionResult]]:
    """Per (code, questions): the solution notebook with that code run after it, those questions graded."""
    return grade_variants(build, build.solution_notebook, snippets, COURSE.limits_for(COURSE.week(build.week_id)))


_GRADED: dict[tuple[str, str], list[tuple[str, str, dict[str, QuestionResult]]]] = {}


def graded(kind: str, week_id: str) -> list[tuple[str, str, dict[str, QuestionResult]]]:
    """(question, why, results of every question the snippet reaches) per snippet; once per run."""
    key = (kind, week_id)
    if key not in _GRADED:
        report, build = built_week(COURSE, week_id)
        assert report.ok, "\n".join(report.problems)
        snippets = load_snippets(kind, week_id)
        refs = global_references(read_cells(build.solution_notebook)[0])
        flat = [(q, why, code) for q, items in snippets.items() for why, code in items]
        unknown = sorted({q for q, _, _ in flat} - set(build.question_names))
        assert not unknown, f"{kind}_answers/{week_id}.py names unknown questions: {unknown}"
        plan = [(code, sorted(questions_reached(build, code, refs) | {q})) for q, _, code in flat]
        results = grade_snippets(build, plan)
        _GRADED[key] = [(q, why, res) for (q, why, _), res in zip(flat, results)]
    return _GRADED[key]


def _lost(qr: QuestionResult) -> str:
    return f"{qr.score:g}/{qr.max_score:g}"


# --------------------------------------------------------------------------- the tests

@pytest.mark.parametrize("week_id", WEEKS)
def test_week_builds_and_validates(course, week_id):
    report, build = built_week(course, week_id)
    assert report.ok, "\n".join(report.problems)
    auto = [q for q in report.questions if not q["manual"]]
    assert auto and all(q["hidden"] >= 1 and q["public"] >= 1 for q in auto)
    assert "Type your answer" not in build.student_notebook.read_text(), "English placeholder in the student notebook"


@pytest.mark.parametrize("week_id", WEEKS)
def test_declared_dependencies_are_told(week_id):
    """A question may declare that it uses another's answer only if that question exists and the
    prompt names it (the student must know that a bug there can cost points here too)."""
    questions = master_questions(week_id)
    bad = []
    for q, deps in declared_dependencies(week_id).items():
        for d in sorted(deps):
            if d not in questions or d == q:
                bad.append(f"{q}: depends_on names {d!r}, which is not another question of {week_id}")
            elif d not in questions[q]["prompt"]:
                bad.append(f"{q}: depends_on {d} but its prompt does not say so")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("week_id", WEEKS)
def test_right_answers_keep_full_marks(week_id):
    """Correct-but-different answers keep every point, in their question and everywhere else."""
    assert load_snippets("right", week_id), f"tests/right_answers/{week_id}.py has no RIGHT_ANSWERS"
    unfair = []
    for q, why, results in graded("right", week_id):
        for name, qr in results.items():
            if qr.score < qr.max_score - 1e-9:
                failed = [t.name for t in qr.tests if not t.passed]
                unfair.append(f"{q}: {why}: {name} got {_lost(qr)} (failed: {failed})")
    assert not unfair, "right answers that lose points:\n" + "\n".join(unfair)


@pytest.mark.parametrize("week_id", WEEKS)
def test_wrong_answers_lose_hidden_points(week_id):
    report, build = built_week(COURSE, week_id)
    wrong = load_snippets("wrong", week_id)
    auto = [q.name for q in build.questions if not q.manual]
    missing = [q for q in auto if len(wrong.get(q, [])) < 2]
    assert not missing, f"questions with fewer than two wrong answers: {missing}"
    kept = []
    for q, why, results in graded("wrong", week_id):
        got, mx = results[q].part(hidden=True)
        if got >= mx:
            kept.append(f"{q}: {why}")
    assert not kept, "wrong answers that keep all hidden points:\n" + "\n".join(kept)


@pytest.mark.parametrize("week_id", WEEKS)
def test_wrong_answers_cost_only_their_question(week_id):
    """A bug costs points once: in its own question, and in a question that declares it depends on
    that one (``depends_on``), never elsewhere."""
    deps = declared_dependencies(week_id)
    cascades = []
    for q, why, results in graded("wrong", week_id):
        for name, qr in results.items():
            if name != q and q not in deps.get(name, set()) and qr.score < qr.max_score - 1e-9:
                failed = [t.name for t in qr.tests if not t.passed]
                cascades.append(f"{q}: {why}: also costs {name} ({_lost(qr)}, failed: {failed})")
    assert not cascades, "wrong answers that cost points in other questions:\n" + "\n".join(cascades)
