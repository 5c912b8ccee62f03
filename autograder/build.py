"""`autograder build`: inject solutions, run Otter Assign, and validate the result.

Validation is what makes a release safe: the solution scores full marks, the unedited student
notebook scores 0 on every question, every auto-graded question has hidden tests (each with a
Turkish hint, when course.yml asks for hints), the points add up to course.yml, and the solution
runs within the week's time budget.

Standard Otter Assign masters build unchanged: config in raw cells or in Markdown ```otter fences,
tests kept in notebook metadata (Otter's default) or in files, question points derived from the
tests as Otter derives them, ``generate:``/``seed:`` settings kept, and no ``solutions/<id>.py``
needed when nothing is injected. For assignments that are not this course's weeks
(``Week.strict_checks`` false) the checks Otter itself does not make (a hidden test per question,
a hint per hidden test, blank notebook scores zero, points match course.yml) are warnings, not errors.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import shutil
import subprocess
import sys
import pprint
import re
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from autograder.config import Course, Week
from autograder.inject import DIRECTIVE, InjectError, inject_notebook
from autograder.testfiles import load_tests
from autograder.weekbuild import Question, WeekBuild, inputs_digest, week_dir


class BuildError(Exception):
    """A week failed to compile or to validate; the message names week, question and test."""


@dataclass
class BuildReport:
    week: str
    questions: list[dict] = field(default_factory=list)  # name, points, manual, public, hidden
    solution_seconds: float = 0.0
    solution_cpu_seconds: float = 0.0
    build_seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


_OTTER_FENCE = re.compile(r"^\s*```otter[ \t]*\n(.*?)\n?```\s*$", re.DOTALL)


def otter_block(cell) -> str | None:
    """The text of an Otter Assign block cell: a raw cell, or Otter's Markdown ```otter form."""
    if cell.cell_type == "raw":
        return cell.source
    if cell.cell_type == "markdown":
        m = _OTTER_FENCE.match(cell.source)
        return m.group(1) if m else None
    return None


def _block_config(cell, index: int, marker: str) -> dict | None:
    """The YAML under ``marker`` in cell ``index`` (1-based in messages), or None for other cells."""
    text = otter_block(cell)
    if text is None or not text.lstrip().startswith(marker):
        return None
    body = text.lstrip()[len(marker):]
    try:
        cfg = yaml.safe_load(body) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise BuildError(f"master cell {index + 1} ({marker}): not valid YAML{where}: "
                         f"{getattr(e, 'problem', None) or e}") from None
    if not isinstance(cfg, dict):
        raise BuildError(f"master cell {index + 1} ({marker}): expected 'key: value' lines")
    return cfg


def parse_questions(nb) -> list[Question]:
    """Questions of a master notebook; ``points`` is None where Otter derives it from the tests."""
    out = []
    for i, cell in enumerate(nb.cells):
        cfg = _block_config(cell, i, "# BEGIN QUESTION")
        if cfg is None:
            continue
        if "name" not in cfg or not isinstance(cfg["name"], (str, int)):
            raise BuildError(f"master cell {i + 1} (# BEGIN QUESTION): key 'name' is missing")
        pts = cfg.get("points")
        try:
            total = None if pts is None else float(sum(pts)) if isinstance(pts, list) else float(pts)
        except (TypeError, ValueError):
            raise BuildError(f"master cell {i + 1} (# BEGIN QUESTION {cfg['name']}): key 'points' "
                             f"must be a number or a list of numbers, not {pts!r}") from None
        out.append(Question(name=str(cfg["name"]), points=total, manual=bool(cfg.get("manual", False))))
    return out


def assignment_config(nb) -> tuple[int, dict]:
    """Index and YAML of the master's ``# ASSIGNMENT CONFIG`` cell (raw or Markdown ```otter)."""
    for i, cell in enumerate(nb.cells):
        cfg = _block_config(cell, i, "# ASSIGNMENT CONFIG")
        if cfg is not None:
            return i, cfg
    raise BuildError("the master notebook has no '# ASSIGNMENT CONFIG' cell")


def _add_compat_files(nb, stage: Path, solution: Path | None) -> None:
    """Ship what Otter itself needs to run our tests (compatibility mode: Gradescope, `otter run`).

    The reference module goes to the autograder only, never to students. The master's own
    ``generate:`` settings (seed, pdf, …) are kept; only a missing or false one is switched on.
    """
    pkg = Path(__file__).resolve().parent
    files: dict[str, Path | None] = {"autograder/__init__.py": None, "autograder/testkit.py": pkg / "testkit.py"}
    if solution is not None:
        files |= {"solutions/__init__.py": None, f"solutions/{solution.name}": solution}
    for rel, src in files.items():
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        if src is None:
            (stage / rel).write_text("")
        else:
            shutil.copy2(src, stage / rel)
    index, cfg = assignment_config(nb)
    have = cfg.get("autograder_files") or []
    if not isinstance(have, list):
        raise BuildError(f"master cell {index + 1} (# ASSIGNMENT CONFIG): key 'autograder_files' must be a list")
    cfg["autograder_files"] = sorted(set(have) | set(files))
    if not cfg.get("generate"):
        cfg["generate"] = True  # the Otter autograder zip, for compatibility mode
    text = "# ASSIGNMENT CONFIG\n" + yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True)
    cell = nb.cells[index]
    cell.source = text if cell.cell_type == "raw" else f"```otter\n{text}```"


def _tests_from_metadata(autograder: Path, notebook: Path) -> None:
    """Otter keeps tests in the notebook's metadata unless ``tests: files: true``; write them out as
    the test files ``otter run`` would use, so that grading reads one layout."""
    tests_dir = autograder / "tests"
    if tests_dir.is_dir():
        return
    meta = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {}).get("otter", {})
    tests = meta.get("tests") or {}
    if not tests:
        return
    tests_dir.mkdir()
    for name, spec in tests.items():
        if isinstance(spec, dict):  # OK format
            text = "OK_FORMAT = True\n\ntest = " + pprint.pformat(spec, width=100) + "\n"
        elif isinstance(spec, str):  # exception format: the file's source
            text = spec
        else:
            raise BuildError(f"otter assign wrote an unreadable test for {name!r} in the notebook metadata")
        (tests_dir / f"{name}.py").write_text(text)


# Otter Assign puts this English placeholder in a manual question's answer cell; students read Turkish.
OTTER_ANSWER_PLACEHOLDER = "_Type your answer here, replacing this text._"
ANSWER_PLACEHOLDER = "_Cevabını buraya yaz (bu metni silerek)._"


def localise_placeholders(path: Path) -> None:
    """Replace Otter's English answer-cell placeholder in a compiled notebook with the Turkish one."""
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.strip() == OTTER_ANSWER_PLACEHOLDER:
            cell.source = ANSWER_PLACEHOLDER
            changed = True
    if changed:
        nbformat.write(nb, path)


def compile_week(course: Course, week: Week) -> WeekBuild:
    """Inject solutions and run Otter Assign; the build folder is replaced only on success."""
    root = course.root
    master = course.master_path(week)
    solution: Path | None = root / "solutions" / f"{week.id}.py"
    if not master.is_file():
        raise BuildError(f"{week.id}: master notebook not found: {week.master}")
    try:
        nb = nbformat.read(master, as_version=4)
    except Exception as e:  # nbformat raises many types for a damaged file
        raise BuildError(f"{week.id}: {week.master} is not a readable notebook: {str(e)[:200]}") from None
    if not solution.is_file():
        injects = [i + 1 for i, c in enumerate(nb.cells) if c.cell_type == "code" and DIRECTIVE.search(c.source)]
        if injects:
            raise BuildError(f"{week.id}: solutions/{week.id}.py not found (master cell {injects[0]} injects from it)")
        solution = None  # a plain Otter master: its solutions are in the notebook
    try:
        if solution is not None:
            inject_notebook(nb, solution)
        questions = parse_questions(nb)
        assignment_config(nb)
    except (InjectError, SyntaxError, BuildError) as e:
        raise BuildError(f"{week.id}: {e}") from None
    if not questions:
        raise BuildError(f"{week.id}: the master notebook has no '# BEGIN QUESTION' cells")
    (root / "build").mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"stage-{week.id}-", dir=root / "build"))
    try:
        stage = work / "stage"
        stage.mkdir()
        for src in [*(root / "assignments" / "common").glob("*"), *master.parent.iterdir()]:
            if src.is_file() and src != master and src.suffix != ".md":
                shutil.copy2(src, stage / src.name)
        try:
            _add_compat_files(nb, stage, solution)
        except BuildError as e:
            raise BuildError(f"{week.id}: {e}") from None
        nbformat.write(nb, stage / f"{week.id}.ipynb")
        out = work / "out"
        r = subprocess.run([sys.executable, "-m", "otter", "assign", "--no-run-tests", "--no-pdfs",
                            str(stage / f"{week.id}.ipynb"), str(out)],
                           capture_output=True, text=True, cwd=stage)
        if r.returncode != 0:
            lines = [ln for ln in (r.stderr or r.stdout).strip().splitlines() if ln.strip()]
            if any(ln.startswith("Traceback") for ln in lines):
                lines = lines[-1:]  # the exception's message, not otter's traceback
            raise BuildError(f"{week.id}: otter assign failed:\n  " + "\n  ".join(lines[-5:]))
        _tests_from_metadata(out / "autograder", out / "autograder" / f"{week.id}.ipynb")
        questions = _derive_points(questions, out / "autograder", week.id)
        if course.language == "tr":  # an English Otter course keeps Otter's own placeholder
            for compiled in out.rglob("*.ipynb"):
                localise_placeholders(compiled)
        # Public tests import the testkit; students run them in their own Jupyter (grader.check).
        kit = out / "student" / "autograder"
        kit.mkdir()
        (kit / "__init__.py").write_text("")
        shutil.copy2(Path(__file__).resolve().parent / "testkit.py", kit / "testkit.py")
        public = sorted(p.name for p in (out / "student").iterdir()
                        if p.is_file() and p.suffix != ".ipynb")
        manifest = {
            "week": week.id,
            "questions": [q.__dict__ for q in questions],
            "public_files": public,
            "inputs": inputs_digest(root, master, week.id),
            "language": course.language,
            "otter": _otter_settings(out / "autograder"),
            "built_at": time.time(),
        }
        (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        dest = week_dir(root, week.id)
        dest.parent.mkdir(parents=True, exist_ok=True)
        old = dest.with_name(dest.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if dest.exists():
            dest.rename(old)
        out.rename(dest)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return WeekBuild(root, week.id)


def _derive_points(questions: list[Question], autograder: Path, week_id: str) -> list[Question]:
    """Otter's rule: a question without ``points`` is worth what its tests are worth."""
    if all(q.points is not None for q in questions):
        return questions
    try:
        tests = load_tests(autograder / "tests") if (autograder / "tests").is_dir() else {}
    except Exception as e:  # a test file that does not load is the author's to fix
        raise BuildError(f"{week_id}: a test file does not load: {type(e).__name__}: {e}") from None
    out = []
    for q in questions:
        if q.points is None:
            tf = tests.get(q.name)
            q = Question(q.name, tf.points if tf is not None and not q.manual else 0.0, q.manual)
        out.append(q)
    return out


def _otter_settings(autograder: Path) -> dict:
    """What grading needs from Otter's own config: the intercell seed and its variable."""
    path = autograder / "otter_config.json"
    try:
        cfg = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except ValueError:
        cfg = {}
    seed = cfg.get("seed")
    var = cfg.get("seed_variable")
    return {"seed": seed if type(seed) is int else None,
            "seed_variable": var if isinstance(var, str) and var.isidentifier() else None}


def validate(course: Course, week: Week, build: WeekBuild) -> BuildReport:
    from autograder.refcache import recording
    from autograder.runner import grade_notebook

    report = BuildReport(week=week.id)
    # Checks Otter itself does not make: errors for this course's weeks, warnings for other assignments.
    course_check = report.problems if week.strict_checks else report.warnings
    limits = course.limits_for(week)
    tests = build.tests
    total = 0.0
    for q in build.questions:
        tf = tests.get(q.name)
        public = sum(1 for c in tf.cases if not c.hidden) if tf else 0
        hidden = sum(1 for c in tf.cases if c.hidden) if tf else 0
        report.questions.append({"name": q.name, "points": q.points, "manual": q.manual,
                                 "public": public, "hidden": hidden})
        total += q.points
        if q.manual:
            continue
        if tf is None:
            course_check.append(f"{week.id}: {q.name}: no tests")
            continue
        if hidden == 0:
            course_check.append(f"{week.id}: {q.name}: no hidden test")
        if abs(tf.points - q.points) > 1e-9:
            report.problems.append(f"{week.id}: {q.name}: tests are worth {tf.points:g} but the question {q.points:g}")
    if abs(total - week.points) > 1e-9:
        course_check.append(f"{week.id}: questions add up to {total:g} points but course.yml says {week.points:g}")
    report.problems += [f"{week.id}: {p}" for p in student_import_problems(build)]
    if course.validation.require_hints:
        course_check += [f"{week.id}: {p}" for p in hint_problems(build)]

    with ThreadPoolExecutor(max_workers=2) as pool:
        # grading our own solution records the reference results the tests compute (refcache)
        sol_f = pool.submit(recording, grade_notebook, build, build.solution_notebook, "solution", limits)
        blank_f = pool.submit(grade_notebook, build, build.student_notebook, "blank", limits)
        sol, blank = sol_f.result(), blank_f.result()
    report.solution_seconds = sol.exec_seconds
    report.solution_cpu_seconds = sol.exec_cpu_seconds
    if sol.status != "ok":
        report.problems.append(f"{week.id}: solution notebook: {sol.status}: {sol.message}")
    for e in sol.cell_errors:
        report.problems.append(f"{week.id}: solution notebook cell {e['cell']} raised {e['error']}")
    for qr in sol.questions:
        if qr.manual:
            continue
        for t in qr.tests:
            if not t.passed:
                report.problems.append(f"{week.id}: {qr.name}: test '{t.name}' fails on the solution: {t.message}")
    for qr in blank.questions:
        if qr.score <= 0:  # an all-or-nothing question scores 0 even when some of its tests pass
            continue
        for t in qr.tests:
            if t.passed and t.points > 0:
                course_check.append(f"{week.id}: {qr.name}: test '{t.name}' gives points to the blank notebook")
    # The budget is CPU time: wall time on a shared or loaded machine says more about the machine.
    if sol.exec_cpu_seconds > limits.solution_budget_s:
        report.problems.append(f"{week.id}: solution used {sol.exec_cpu_seconds:.1f} s of CPU "
                               f"({sol.exec_seconds:.1f} s wall), budget is {limits.solution_budget_s:g} s")
    return report


def hint_problems(build: WeekBuild) -> list[str]:
    """A hidden test shows students only its score; its ``failure_message`` (Otter's key, a Turkish
    hint of what it checks, never its inputs or expected values) is what tells them where to look.
    One problem per hidden test without a hint."""
    problems = []
    for qname, tf in sorted(build.tests.items()):
        for case in tf.cases:
            if case.hidden and not (case.failure_message or "").strip():
                problems.append(f"{qname}: hidden test '{case.name}' has no failure_message hint")
    return problems


def student_import_problems(build: WeekBuild) -> list[str]:
    """Public tests run in students' own Jupyter too (``grader.check``): they may import only the
    standard library, installed packages and what the student folder ships, never ``solutions``."""
    shipped = {p.stem if p.is_file() else p.name for p in build.student_dir.iterdir()}
    problems = []
    for t in sorted((build.student_dir / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(t.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for top in {n.split(".")[0] for n in names}:
                if top in shipped or top in sys.stdlib_module_names or top == "otter":
                    continue
                if top in ("solutions", "autograder") or importlib.util.find_spec(top) is None:
                    problems.append(f"{t.stem}: a public test imports {top!r}, which students do not have")
    return problems


def build_week(course: Course, week: Week, check: bool = True) -> BuildReport:
    t0 = time.monotonic()
    build = compile_week(course, week)
    report = validate(course, week, build) if check else BuildReport(week=week.id)
    report.build_seconds = time.monotonic() - t0
    manifest = dict(build.manifest)
    manifest["validated"] = check and report.ok
    manifest["solution_seconds"] = round(report.solution_seconds, 2)
    manifest["solution_cpu_seconds"] = round(report.solution_cpu_seconds, 2)
    (build.dir / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return report


def ensure_built(course: Course, week: Week) -> WeekBuild:
    """The week's build, rebuilt first when missing or older than its inputs."""
    build = WeekBuild(course.root, week.id)
    if build.exists and build.manifest.get("inputs") == inputs_digest(course.root, course.master_path(week), week.id):
        return build
    report = build_week(course, week, check=False)
    if not report.ok:  # pragma: no cover - compile errors raise BuildError instead
        raise BuildError("\n".join(report.problems))
    return WeekBuild(course.root, week.id)
