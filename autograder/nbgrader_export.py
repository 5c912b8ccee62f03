"""`autograder export-nbgrader`: the same weeks as nbgrader source notebooks, in a ready course folder.

Each master (with solutions injected) becomes ``source/<week>/<week>.ipynb``: prompts and setup
as locked cells, solution cells with ``### BEGIN/END SOLUTION``, and, at the end of the notebook
(where tests see its final state, as in Otter and our grader), one autograder test cell per
question (``grade_id`` = question name, points = our maximum) holding the public tests and,
between ``### BEGIN/END HIDDEN TESTS``, the hidden ones. A test cell runs its test functions the way
Otter does (arguments by name from the notebook's globals) and ends with the points earned, which
nbgrader takes as partial credit. What this gives up: nbgrader runs the tests inside the student's
kernel, so none of the sandbox guarantees of our own grader hold there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

from autograder.build import ensure_built
from autograder.config import Course, Week
from autograder.inject import inject_notebook

CODE_STUB = "# KODUNU BURAYA YAZ\nraise NotImplementedError()"

RUNNER = '''# Değerlendirme yardımcısı (dokunma): testleri çalıştırır, kazanılan puanı döndürür.
def _ag_run_tests(tests, env):
    import contextlib, inspect, io, os, sys, warnings
    earned, failures = 0.0, []
    for fn, points, hidden in tests:
        args = {p: env.get(p) for p in inspect.signature(fn).parameters}
        # nbgrader zeroes a test cell that writes to stderr: silence warnings, and send both
        # Python-level and C-level (fd 2, e.g. PyTorch's C++ warnings) stderr to /dev/null.
        sys.stderr.flush()
        saved, null = os.dup(2), os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        try:
            with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
                warnings.simplefilter("ignore")
                fn(**args)
            earned += points
        except Exception as e:  # noqa: BLE001 - a failing test costs its points only
            if not hidden:
                failures.append(f"{fn.__name__}: {type(e).__name__}: {e}")
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            os.close(null)
    for f in failures:
        print("❌", f)
    return round(earned, 6)
'''


def _meta(kind: str, grade_id: str, points: float | None = None) -> dict:
    flags = {"locked": dict(grade=False, solution=False, locked=True),
             "solution": dict(grade=False, solution=True, locked=False),
             "tests": dict(grade=True, solution=False, locked=True),
             "manual": dict(grade=True, solution=True, locked=False)}[kind]
    meta = {"schema_version": 3, "grade_id": grade_id, **flags}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def convert_markers(source: str) -> str:
    """Otter solution markers -> nbgrader's (``### BEGIN SOLUTION`` regions)."""
    out = []
    for line in source.splitlines():
        indent = line[: len(line) - len(line.lstrip())]
        stripped = line.strip()
        if re.fullmatch(r"#\s*BEGIN SOLUTION( NO PROMPT)?", stripped):
            out.append(f"{indent}### BEGIN SOLUTION")
        elif re.fullmatch(r"#\s*END SOLUTION", stripped):
            out.append(f"{indent}### END SOLUTION")
        elif re.search(r"\s#\s*SOLUTION\s*$", line):
            code = re.sub(r"\s*#\s*SOLUTION\s*$", "", line)
            out += [f"{indent}### BEGIN SOLUTION", code, f"{indent}### END SOLUTION"]
        else:
            out.append(line)
    return "\n".join(out)


def _test_config(source: str) -> tuple[dict, str]:
    m = re.match(r'\s*"""\s*#\s*BEGIN TEST CONFIG\n(.*?)"""\s*#\s*END TEST CONFIG\n', source, re.S)
    if not m:
        return {}, source
    return yaml.safe_load(m.group(1)) or {}, source[m.end():]


def _test_cell(qname: str, cases: list[tuple[str, float, bool]], solution_src: str | None, week_id: str) -> str:
    public = [(src, pts) for src, pts, hidden in cases if not hidden]
    hidden = [(src, pts) for src, pts, hidden in cases if hidden]
    fn_name = lambda src: re.search(r"^def (\w+)\(", src, re.M).group(1)  # noqa: E731
    lines = [f"# Testler: {qname}", "_ag_tests = []"]
    if solution_src is not None:
        # The reference module, for tests that compare with it; hidden, so never released.
        lines += [
            "### BEGIN HIDDEN TESTS",
            "import sys as _ag_sys, types as _ag_types",
            f"if 'solutions.{week_id}' not in _ag_sys.modules:",
            "    _ag_pkg = _ag_sys.modules.setdefault('solutions', _ag_types.ModuleType('solutions'))",
            f"    _ag_mod = _ag_types.ModuleType('solutions.{week_id}')",
            f"    exec({solution_src!r}, _ag_mod.__dict__)",
            f"    _ag_sys.modules['solutions.{week_id}'] = _ag_mod",
            f"    _ag_pkg.{week_id} = _ag_mod",
            "### END HIDDEN TESTS",
        ]
    for src, pts in public:
        lines += [src.strip(), f"_ag_tests.append(({fn_name(src)}, {pts!r}, False))"]
    if hidden:
        lines.append("### BEGIN HIDDEN TESTS")
        for src, pts in hidden:
            lines += [src.strip(), f"_ag_tests.append(({fn_name(src)}, {pts!r}, True))"]
        lines.append("### END HIDDEN TESTS")
    lines += ["_ag_score = _ag_run_tests(_ag_tests, globals())",
              "assert _ag_score > 0, 'bu sorudan puan alınamadı'",
              "_ag_score"]
    return "\n".join(lines)


def export_week(course: Course, week: Week, dest: Path) -> Path:
    """Write ``dest/source/<week>/`` for one week; returns the notebook path."""
    build = ensure_built(course, week)
    root = course.root
    solution = root / "solutions" / f"{week.id}.py"
    nb = nbformat.read(course.master_path(week), as_version=4)
    inject_notebook(nb, solution)
    points = {q.name: q.points for q in build.questions}
    tests = build.tests
    out = nbformat.v4.new_notebook(metadata=nb.metadata)
    cells = out.cells
    cells.append(nbformat.v4.new_code_cell(RUNNER, metadata=_meta("locked", "ag_runner")))
    solution_src = solution.read_text(encoding="utf-8")
    embedded = False
    # Test cells go last, as in Otter and in our grader, where tests see the notebook's final state
    # (a test may read a variable that a later cell of the notebook sets).
    test_cells: list = []
    question, in_tests, in_solution, case_srcs, n = None, False, False, [], 0
    for cell in nb.cells:
        n += 1
        src = cell.source
        head = src.lstrip().split("\n", 1)[0].strip() if cell.cell_type == "raw" else ""
        if head == "# ASSIGNMENT CONFIG":
            continue
        if head == "# BEGIN QUESTION":
            question = yaml.safe_load(src.split("\n", 1)[1])
            continue
        if head in ("# BEGIN SOLUTION", "# END SOLUTION"):
            in_solution = head == "# BEGIN SOLUTION"
            continue
        if head in ("# BEGIN TESTS", "# END TESTS"):
            in_tests, case_srcs = head == "# BEGIN TESTS", case_srcs if head == "# END TESTS" else []
            continue
        if head == "# END QUESTION":
            q = question["name"]
            if not question.get("manual"):
                cases = [(body, case.points, case.hidden) for body, case in zip(case_srcs, tests[q].cases)]
                needs_ref = any(f"solutions.{week.id}" in b for b, _, _ in cases)
                test_cells.append(nbformat.v4.new_code_cell(
                    _test_cell(q, cases, solution_src if needs_ref and not embedded else None, week.id),
                    metadata=_meta("tests", q, points[q])))
                embedded = embedded or needs_ref
            question = None
            continue
        if in_tests:
            case_srcs.append(_test_config(src)[1])
            continue
        gid = f"cell_{n:03d}"
        if in_solution and question is not None and question.get("manual"):
            # A person grades it: nbgrader's manually graded answer cell, worth the question's points.
            meta = _meta("manual", question["name"], points[question["name"]])
            new = nbformat.v4.new_markdown_cell if cell.cell_type == "markdown" else nbformat.v4.new_code_cell
            cells.append(new(src, metadata=meta))
        elif in_solution and cell.cell_type == "code":
            cells.append(nbformat.v4.new_code_cell(convert_markers(src), metadata=_meta("solution", gid)))
        elif cell.cell_type == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(src, metadata=_meta("locked", gid)))
        elif cell.cell_type == "code":
            cells.append(nbformat.v4.new_code_cell(src, metadata=_meta("locked", gid)))
    cells.append(nbformat.v4.new_markdown_cell(
        "## Otomatik notlama testleri\n\nAşağıdaki hücreler her sorunun testlerini çalıştırır; "
        "defterin tamamını çalıştırdıktan sonra bunları çalıştır.", metadata=_meta("locked", "ag_tests_intro")))
    cells.extend(test_cells)
    folder = dest / "source" / week.id
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    path = folder / f"{week.id}.ipynb"
    nbformat.write(out, path)
    for f in build.public_files:
        shutil.copy2(f, folder / f.name)
    (folder / "autograder").mkdir()
    (folder / "autograder" / "__init__.py").write_text("")
    shutil.copy2(Path(__file__).parent / "testkit.py", folder / "autograder" / "testkit.py")
    return path


NBGRADER_CONFIG = '''# nbgrader configuration for the DLSP20 (Türkçe) weeks exported by `autograder export-nbgrader`.
c = get_config()
c.CourseDirectory.course_id = "dlsp20-tr"
c.ClearSolutions.code_stub = {"python": %r}
c.ClearSolutions.text_stub = "CEVABINI BURAYA YAZ"
c.ExecutePreprocessor.timeout = 300
c.Execute.timeout = 300
''' % CODE_STUB


def export(course: Course, weeks: list[Week], dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "nbgrader_config.py").write_text(NBGRADER_CONFIG)
    paths = [export_week(course, w, dest) for w in weeks]
    (dest / "points.json").write_text(json.dumps(
        {w.id: {q.name: q.points for q in ensure_built(course, w).questions} for w in weeks}, indent=1))
    return paths



def nbgrader_env() -> dict[str, str]:
    """nbgrader shells out to `alembic` by name: put this interpreter's scripts on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def nbgrader(args: list[str], cwd: Path, timeout: float = 1800) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "nbgrader"
    return subprocess.run([str(exe), *args], cwd=cwd, env=nbgrader_env(), capture_output=True, text=True,
                          timeout=timeout)


def autograde_timer(course: Course, build, workdir: Path):
    """For `make bench`: a callable that autogrades the week's solution with nbgrader."""
    dest = workdir / "nbgrader"
    export(course, [course.week(build.week_id)], dest)
    r = nbgrader(["generate_assignment", build.week_id, "--force"], dest)
    if r.returncode != 0:
        raise RuntimeError(f"nbgrader generate_assignment failed: {r.stderr[-500:]}")
    sub = dest / "submitted" / "bench" / build.week_id
    sub.mkdir(parents=True, exist_ok=True)
    shutil.copy2(dest / "source" / build.week_id / f"{build.week_id}.ipynb", sub)

    def run() -> None:
        r = nbgrader(["autograde", build.week_id, "--force", "--student", "bench"], dest)
        if r.returncode != 0:
            raise RuntimeError(f"nbgrader autograde failed: {r.stderr[-500:]}")
    return run
