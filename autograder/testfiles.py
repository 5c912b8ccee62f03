"""Load Otter-compiled test files and run them in the trusted process against a sandboxed kernel.

Both Otter formats run unchanged: the exception-based format (``@test_case`` functions whose
parameters name student globals) and the OK format (doctests). Otter itself is not imported:
its package import costs seconds, and the test files need only ``otter.test_files.test_case``,
which a small shim provides with the same signature and point rules.
"""

from __future__ import annotations

import ast
import builtins
import doctest
import io
import re
import types
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable


class test_case:  # noqa: N801 - mirrors otter.test_files.test_case
    def __init__(self, name: str | None = None, points: float | None = None, hidden: bool = False,
                 success_message: str | None = None, failure_message: str | None = None) -> None:
        self.name, self.points, self.hidden = name, points, hidden
        self.success_message, self.failure_message = success_message, failure_message
        self.test_func: Callable[..., None] = lambda: None

    def __call__(self, fn: Callable[..., None]) -> "test_case":
        self.test_func = fn
        return self


_SHIM = types.ModuleType("otter.test_files")
_SHIM.test_case = test_case  # type: ignore[attr-defined]


def _importer(name, globals=None, locals=None, fromlist=(), level=0):  # noqa: A002
    if name == "otter.test_files" or (name == "otter" and fromlist and "test_files" in fromlist):
        return _SHIM if name == "otter.test_files" else types.SimpleNamespace(test_files=_SHIM)
    return builtins.__import__(name, globals, locals, fromlist, level)


@dataclass
class TestCase:
    name: str
    points: float
    hidden: bool
    params: list[str] = field(default_factory=list)
    func: Callable[..., None] | None = None  # exception format
    doctest: str | None = None  # OK format
    failure_message: str | None = None
    success_message: str | None = None


@dataclass
class TestFile:
    question: str
    path: str
    cases: list[TestCase]
    all_or_nothing: bool = False
    ok_format: bool = False

    @property
    def points(self) -> float:
        return sum(c.points for c in self.cases)


def resolve_points(total: Any, cases: list[TestCase], explicit: list[float | None]) -> None:
    """Otter's rule: a question total is split evenly over the cases without their own points."""
    if isinstance(total, list):
        if len(total) != len(cases):
            raise ValueError("points list length differs from the number of test cases")
        explicit, total = list(total), None
    given = sum(p for p in explicit if p is not None)
    n_free = sum(p is None for p in explicit)
    if total is not None:
        if given > total:
            raise ValueError("test cases specify more points than the question has")
        per = (total - given) / n_free if n_free else 0.0
    elif given == 0:
        per = 1 / n_free if n_free else 0.0
    else:
        per = 0.0
    for c, p in zip(cases, explicit):
        c.points = float(p if p is not None else per)


def load_test_file(path: Path) -> TestFile:
    source = path.read_text()
    env: dict[str, Any] = {"__builtins__": {**vars(builtins), "__import__": _importer}, "__name__": path.stem}
    exec(compile(source, str(path), "exec"), env)
    if "test" in env and isinstance(env["test"], dict):  # OK format
        spec = env["test"]
        cases, explicit = [], []
        for si, suite in enumerate(spec.get("suites", [])):
            for ci, case in enumerate(suite.get("cases", [])):
                cases.append(TestCase(name=f"{spec['name']} - {len(cases) + 1}", points=0.0,
                                      hidden=bool(case.get("hidden", False)), doctest=case["code"],
                                      failure_message=case.get("failure_message"),
                                      success_message=case.get("success_message")))
                explicit.append(case.get("points"))
        resolve_points(spec.get("points"), cases, explicit)
        return TestFile(spec["name"], str(path), cases, bool(spec.get("all_or_nothing", False)), ok_format=True)
    name = env.get("name")
    if not isinstance(name, str):
        raise ValueError(f"{path}: test file does not define 'name'")
    cases, explicit = [], []
    for obj in env.values():
        if isinstance(obj, test_case):
            import inspect

            params = list(inspect.signature(obj.test_func).parameters)
            cases.append(TestCase(name=obj.name or f"{name} - {len(cases) + 1}", points=0.0, hidden=obj.hidden,
                                  params=params, func=obj.test_func, failure_message=obj.failure_message,
                                  success_message=obj.success_message))
            explicit.append(obj.points)
    resolve_points(env.get("points"), cases, explicit)
    return TestFile(name, str(path), cases, bool(env.get("all_or_nothing", False)))


def load_tests(tests_dir: Path) -> dict[str, TestFile]:
    files = {}
    for p in sorted(tests_dir.glob("*.py")):
        tf = load_test_file(p)
        files[tf.question] = tf
    return files


# --------------------------------------------------------------------------- running

class MissingName(Exception):
    pass


def doctest_names(source: str) -> set[str]:
    """Names a doctest reads; only these are fetched from the kernel."""
    names: set[str] = set()
    for ex in doctest.DocTestParser().get_examples(source):
        try:
            tree = ast.parse(ex.source)
        except SyntaxError:
            continue
        names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return names


def run_case(case: TestCase, fetch: Callable[[str], Any], available: set[str]) -> tuple[bool, str]:
    """Run one case; ``fetch(name)`` returns a student global (value or handle)."""
    if case.func is not None:
        kwargs = {}
        for p in case.params:
            if p == "env":
                kwargs[p] = {n: fetch(n) for n in sorted(available)}
            else:
                kwargs[p] = fetch(p) if p in available else None
        case.func(**kwargs)
        return True, ""
    assert case.doctest is not None
    globs = {n: fetch(n) for n in doctest_names(case.doctest) if n in available}
    examples = doctest.DocTestParser().parse(case.doctest, case.name)
    test = doctest.DocTest([e for e in examples if isinstance(e, doctest.Example)], globs, case.name, None, None, case.doctest)
    runner = doctest.DocTestRunner(verbose=False)
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        runner.run(test, out=out.write, clear_globs=False)
    if runner.failures:
        return False, re.sub(r"\*{10,}\n", "", out.getvalue()).strip()
    return True, ""
