"""`autograder build`: inject solutions, run Otter Assign, and validate the result.

Validation is what makes a release safe: the solution scores full marks, the unedited student
notebook scores 0 on every question, every auto-graded question has hidden tests (each with a
Turkish hint, when course.yml asks for hints), the points add up to course.yml, and the solution runs within the week's time budget.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from autograder.config import Course, Week
from autograder.inject import InjectError, inject_notebook
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

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_questions(nb) -> list[Question]:
    out = []
    for cell in nb.cells:
        if cell.cell_type == "raw" and cell.source.lstrip().startswith("# BEGIN QUESTION"):
            cfg = yaml.safe_load(cell.source.split("\n", 1)[1] if "\n" in cell.source else "") or {}
            pts = cfg.get("points", 0)
            total = float(sum(pts)) if isinstance(pts, list) else float(pts or 0)
            out.append(Question(name=str(cfg["name"]), points=total, manual=bool(cfg.get("manual", False))))
    return out


def _add_compat_files(nb, stage: Path, solution: Path) -> None:
    """Ship what Otter itself needs to run our tests (compatibility mode: Gradescope, `otter run`).

    The reference module goes to the autograder only, never to students.
    """
    pkg = Path(__file__).resolve().parent
    files = {"solutions/__init__.py": None, f"solutions/{solution.name}": solution,
             "autograder/__init__.py": None, "autograder/testkit.py": pkg / "testkit.py"}
    for rel, src in files.items():
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        if src is None:
            (stage / rel).write_text("")
        else:
            shutil.copy2(src, stage / rel)
    cfg_cell = next(c for c in nb.cells if c.cell_type == "raw" and c.source.lstrip().startswith("# ASSIGNMENT CONFIG"))
    cfg = yaml.safe_load(cfg_cell.source.split("\n", 1)[1]) or {}
    cfg["autograder_files"] = sorted(set(cfg.get("autograder_files", [])) | set(files))
    cfg["generate"] = True  # the Otter autograder zip, for compatibility mode
    cfg_cell.source = "# ASSIGNMENT CONFIG\n" + yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True)


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
    solution = root / "solutions" / f"{week.id}.py"
    if not master.is_file():
        raise BuildError(f"{week.id}: master notebook not found: {week.master}")
    if not solution.is_file():
        raise BuildError(f"{week.id}: solutions/{week.id}.py not found")
    nb = nbformat.read(master, as_version=4)
    try:
        inject_notebook(nb, solution)
    except (InjectError, SyntaxError) as e:
        raise BuildError(f"{week.id}: {e}") from None
    questions = parse_questions(nb)
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
        _add_compat_files(nb, stage, solution)
        nbformat.write(nb, stage / f"{week.id}.ipynb")
        out = work / "out"
        r = subprocess.run([sys.executable, "-m", "otter", "assign", "--no-run-tests", "--no-pdfs",
                            str(stage / f"{week.id}.ipynb"), str(out)],
                           capture_output=True, text=True, cwd=stage)
        if r.returncode != 0:
            tail = (r.stderr or r.stdout).strip().splitlines()[-5:]
            raise BuildError(f"{week.id}: otter assign failed:\n  " + "\n  ".join(tail))
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


def validate(course: Course, week: Week, build: WeekBuild) -> BuildReport:
    from autograder.runner import grade_notebook

    report = BuildReport(week=week.id)
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
            report.problems.append(f"{week.id}: {q.name}: no tests")
            continue
        if hidden == 0:
            report.problems.append(f"{week.id}: {q.name}: no hidden test")
        if abs(tf.points - q.points) > 1e-9:
            report.problems.append(f"{week.id}: {q.name}: tests are worth {tf.points:g} but the question {q.points:g}")
    if abs(total - week.points) > 1e-9:
        report.problems.append(f"{week.id}: questions add up to {total:g} points but course.yml says {week.points:g}")
    report.problems += [f"{week.id}: {p}" for p in student_import_problems(build)]
    if course.validation.require_hints:
        report.problems += [f"{week.id}: {p}" for p in hint_problems(build)]

    with ThreadPoolExecutor(max_workers=2) as pool:
        sol_f = pool.submit(grade_notebook, build, build.solution_notebook, "solution", limits)
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
        for t in qr.tests:
            if t.passed and t.points > 0:
                report.problems.append(f"{week.id}: {qr.name}: test '{t.name}' gives points to the blank notebook")
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
