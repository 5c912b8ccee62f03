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
import hashlib
import importlib.abc
import importlib.machinery
import io
import re
import sys
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


class BuildImports:
    """The import statement for one build's test files and the helpers they import.

    Test files import the build's own modules (``dlsp_utils``, ``solutions.weekNN``): the copies that
    ship in its autograder folder. Those load under a private package name keyed by their content,
    never as plain ``dlsp_utils`` in ``sys.modules``: one process that grades two courses, two weeks
    whose helpers differ, or a week before and after a rebuild must not get a cached copy of another.
    ``autograder`` (the testkit) stays the installed package: it is the grader's code, not the build's.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        files = sorted(p for p in root.glob("*.py")) + sorted(
            p for d in root.iterdir() if d.is_dir() and (d / "__init__.py").is_file() and d.name != "autograder"
            for p in d.rglob("*.py"))
        self.local = {p.relative_to(root).parts[0].removesuffix(".py") for p in files} - {"autograder"}
        h = hashlib.sha256(str(root.resolve()).encode())
        for f in files:
            h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes())
        self.prefix = f"_ag_build_{h.hexdigest()[:16]}"
        self.builtins = {**vars(builtins), "__import__": self.import_}
        if self.prefix not in sys.modules:
            pkg = types.ModuleType(self.prefix)
            pkg.__path__ = [str(root)]  # type: ignore[attr-defined]
            pkg.__builtins__ = self.builtins  # type: ignore[attr-defined]
            sys.modules[self.prefix] = pkg
        _LocalFinder.builds[self.prefix] = self

    def import_(self, name: str, globals: Any = None, locals: Any = None,  # noqa: A002
                fromlist: Any = (), level: int = 0) -> Any:
        if name == "otter.test_files" or (name == "otter" and fromlist and "test_files" in fromlist):
            return _SHIM if name == "otter.test_files" else types.SimpleNamespace(test_files=_SHIM)
        top = name.partition(".")[0]
        if level == 0 and top in self.local:
            leaf = builtins.__import__(f"{self.prefix}.{name}", None, None, fromlist or ("_",), 0)
            return leaf if fromlist else sys.modules[f"{self.prefix}.{top}"]
        return builtins.__import__(name, globals, locals, fromlist, level)


class _LocalLoader(importlib.machinery.SourceFileLoader):
    imports: BuildImports

    def exec_module(self, module: types.ModuleType) -> None:
        module.__builtins__ = self.imports.builtins  # type: ignore[attr-defined] # nested imports stay local
        super().exec_module(module)
        if module.__name__.startswith(f"{self.imports.prefix}.solutions."):  # reference results: once per build
            from autograder.refcache import build_digest, wrap_module
            root = self.imports.root
            wrap_module(module, build_digest(self.imports.prefix, root), root.parent / "refcache")

    def path_stats(self, path: str) -> dict[str, Any]:
        raise OSError("no bytecode cache")  # a .pyc is keyed by mtime in seconds: a quick rebuild could hit a stale one


class _LocalFinder(importlib.abc.MetaPathFinder):
    builds: dict[str, BuildImports] = {}

    @classmethod
    def find_spec(cls, fullname: str, path: Any, target: Any = None) -> Any:
        imports = cls.builds.get(fullname.partition(".")[0])
        if imports is None or "." not in fullname:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            loader = _LocalLoader(spec.loader.name, spec.loader.path)
            loader.imports = imports
            spec.loader = loader
        return spec


sys.meta_path.insert(0, _LocalFinder())


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
    path: str = ""  # the test file (its source is the grader's, so a public failure may quote it)
    builtins: dict[str, Any] | None = None  # the build's import statement, for doctests


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


def load_test_file(path: Path, imports: BuildImports | None = None) -> TestFile:
    """Load one test file; its imports resolve against ``imports`` (default: the folder above ``tests/``)."""
    imports = imports or BuildImports(path.parent.parent)
    source = path.read_text()
    env: dict[str, Any] = {"__builtins__": imports.builtins, "__name__": path.stem}
    exec(compile(source, str(path), "exec"), env)
    if "test" in env and isinstance(env["test"], dict):  # OK format
        spec = env["test"]
        cases, explicit = [], []
        for si, suite in enumerate(spec.get("suites", [])):
            for ci, case in enumerate(suite.get("cases", [])):
                cases.append(TestCase(name=case.get("name") or f"{spec['name']} - {len(cases) + 1}", points=0.0,
                                      hidden=bool(case.get("hidden", False)), doctest=case["code"],
                                      failure_message=case.get("failure_message"),
                                      success_message=case.get("success_message"),
                                      path=str(path), builtins=imports.builtins))
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
                                  success_message=obj.success_message, path=str(path)))
            explicit.append(obj.points)
    resolve_points(env.get("points"), cases, explicit)
    return TestFile(name, str(path), cases, bool(env.get("all_or_nothing", False)))


def load_tests(tests_dir: Path) -> dict[str, TestFile]:
    """Every test file of a build; ``tests_dir`` sits in the autograder folder beside the build's helpers."""
    imports = BuildImports(tests_dir.parent)
    files = {}
    for p in sorted(tests_dir.glob("*.py")):
        tf = load_test_file(p, imports)
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


# A test parameter or doctest name that is one of these always means the module, never the
# student's object of that name: otherwise ``np.allclose = lambda *a, **k: True`` forges a pass.
STRONG_MODULE_NAMES = {"np", "numpy", "pd", "pandas", "torch", "math", "random", "plt", "scipy", "sklearn",
                       "collections", "itertools", "statistics", "re", "json"}


def _lookup(name: str, fetch: Callable[[str], Any], available: set[str]) -> Any:
    if name in STRONG_MODULE_NAMES:
        from autograder.remote import MODULE_ALIASES, grader_module

        module = grader_module(MODULE_ALIASES[name])
        if module is not None:
            return module
    return fetch(name) if name in available else None


def run_case(case: TestCase, fetch: Callable[[str], Any], available: set[str]) -> tuple[bool, str]:
    """Run one case; ``fetch(name)`` returns a student global (value or handle).

    As in Otter, a parameter called ``env`` gets every student global and a missing name is None;
    unlike Otter, a name that means a module (``np``, ``pd``, …) is the grader's own module.
    """
    if case.func is not None:
        kwargs = {}
        for p in case.params:
            if p == "env":
                kwargs[p] = {n: fetch(n) for n in sorted(available)}
            else:
                kwargs[p] = _lookup(p, fetch, available)
        case.func(**kwargs)
        return True, ""
    assert case.doctest is not None
    globs = {n: _lookup(n, fetch, available) for n in doctest_names(case.doctest)
             if n in available or n in STRONG_MODULE_NAMES}
    if case.builtins is not None:
        globs["__builtins__"] = case.builtins  # `import helper` in a doctest finds the build's copy
    examples = doctest.DocTestParser().parse(case.doctest, case.name)
    test = doctest.DocTest([e for e in examples if isinstance(e, doctest.Example)], globs, case.name, None, None, case.doctest)
    runner = doctest.DocTestRunner(verbose=False)
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        runner.run(test, out=out.write, clear_globs=False)
    if runner.failures:
        return False, re.sub(r"\*{10,}\n", "", out.getvalue()).strip()
    return True, ""


def failure_detail(case: TestCase, exc: BaseException, lang: str = "tr", limit: int = 300) -> str:
    """Where an exception-format test failed, as Otter reports it (the line of the test file), plus
    the values of the names on that line. Only for public tests: the source is the grader's own."""
    frame_line = None
    tb = exc.__traceback__
    while tb is not None:
        if case.path and tb.tb_frame.f_code.co_filename == case.path:
            frame_line = (tb.tb_lineno, tb.tb_frame.f_locals)
        tb = tb.tb_next
    head = f"{type(exc).__name__}: {str(exc).strip(chr(39))}".rstrip(": ")
    if frame_line is None:
        return head
    lineno, local = frame_line
    try:
        src = Path(case.path).read_text().splitlines()[lineno - 1].strip()
    except (OSError, IndexError):
        return head
    test = Path(case.path).stem  # Otter names the test file, not the case
    where = (f"Error at line {lineno} in test {test}:" if lang == "en" else f"{test} testinin {lineno}. satırında hata:")
    lines = [where, f"  {src}", head]
    try:
        names = [n.id for n in ast.walk(ast.parse(src if not src.startswith(("elif", "else")) else "pass"))
                 if isinstance(n, ast.Name)]
    except SyntaxError:
        names = []
    seen = set()
    for n in names:
        if n in seen or n not in local:
            continue
        seen.add(n)
        v = local[n]
        if isinstance(v, (types.ModuleType, types.FunctionType, type)) or callable(v) or type(v).__name__ == "Handle":
            continue
        try:
            text = repr(v)
        except Exception:  # noqa: BLE001 - a value whose repr fails is simply not shown
            continue
        lines.append(f"  {n} = {text if len(text) <= limit else text[:limit] + ' …'}")
    return "\n".join(lines)
