"""A compiled week on disk: the Otter Assign output plus our manifest.

Layout under the build folder (git-ignored)::

    build/dist/weekNN/student/       released to students (notebook, public tests, data files)
    build/dist/weekNN/autograder/    solution notebook, all tests, data files
    build/dist/weekNN/manifest.json  questions, points, public files, input hash, timings
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from autograder.testfiles import TestFile, load_tests


@dataclass(frozen=True)
class Question:
    name: str
    points: float
    manual: bool = False


def build_root(course_root: Path) -> Path:
    return course_root / "build"


def week_dir(course_root: Path, week_id: str) -> Path:
    return build_root(course_root) / "dist" / week_id


def inputs_digest(course_root: Path, master: Path, week_id: str) -> str:
    """Hash of everything a build reads, so that grading can tell when a build is stale."""
    h = hashlib.sha256()
    files = [master, course_root / "solutions" / f"{week_id}.py"]
    files += sorted(p for p in master.parent.rglob("*") if p.is_file() and p != master)
    files += sorted((course_root / "assignments" / "common").glob("*"))
    pkg = Path(__file__).parent
    files += [pkg / "inject.py", pkg / "build.py", pkg / "testkit.py"]  # what shapes the compiled output
    for p in files:
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(course_root) if p.is_relative_to(course_root) else p.name).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


class WeekBuild:
    def __init__(self, course_root: Path, week_id: str) -> None:
        self.course_root = course_root
        self.week_id = week_id
        self.dir = week_dir(course_root, week_id)
        self.manifest_path = self.dir / "manifest.json"

    @property
    def exists(self) -> bool:
        return self.manifest_path.is_file()

    @cached_property
    def manifest(self) -> dict:
        return json.loads(self.manifest_path.read_text(encoding="utf-8"))

    @cached_property
    def questions(self) -> list[Question]:
        return [Question(**q) for q in self.manifest["questions"]]

    @property
    def question_names(self) -> list[str]:
        return [q.name for q in self.questions]

    def question(self, name: str) -> Question:
        return next(q for q in self.questions if q.name == name)

    @property
    def student_dir(self) -> Path:
        return self.dir / "student"

    @property
    def autograder_dir(self) -> Path:
        return self.dir / "autograder"

    @property
    def student_notebook(self) -> Path:
        return self.student_dir / f"{self.week_id}.ipynb"

    @property
    def solution_notebook(self) -> Path:
        return self.autograder_dir / f"{self.week_id}.ipynb"

    @property
    def otter_zip(self) -> Path | None:
        """The Otter autograder zip (compatibility mode), if the build made one."""
        return next(iter(sorted(self.autograder_dir.glob("*-autograder_*.zip"))), None)

    @property
    def public_files(self) -> list[Path]:
        return [self.student_dir / f for f in self.manifest["public_files"]]

    @cached_property
    def tests(self) -> dict[str, TestFile]:
        return load_tests(self.autograder_dir / "tests")


def question_titles(master: Path) -> dict[str, str]:
    """Each question's title as the master notebook gives it: the first line of the first markdown
    cell after its ``# BEGIN QUESTION`` cell, without heading marks or a trailing "(N puan)".
    Questions without such a line are left out; an unreadable master gives {}."""
    try:
        stat = master.stat()
    except OSError:
        return {}
    return dict(_titles(str(master), stat.st_mtime_ns))


@functools.lru_cache(maxsize=64)
def _titles(master: str, _mtime: int) -> tuple[tuple[str, str], ...]:
    import re

    import yaml

    try:
        cells = json.loads(Path(master).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return ()
    out: dict[str, str] = {}
    pending: str | None = None
    for cell in cells:
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else str(src)
        if cell.get("cell_type") == "raw" and src.lstrip().startswith("# BEGIN QUESTION"):
            try:
                meta = yaml.safe_load(src.split("\n", 1)[1]) if "\n" in src else None
            except yaml.YAMLError:
                meta = None
            pending = str(meta["name"]) if isinstance(meta, dict) and meta.get("name") else None
        elif cell.get("cell_type") == "markdown" and pending:
            line = next((ln.strip() for ln in src.splitlines() if ln.strip()), "")
            title = re.sub(r"\s*\(\s*[\d.,]+\s*puan[^)]*\)\s*$", "", line.lstrip("#").strip())
            if title:
                out[pending] = title[:120]
            pending = None
    return tuple(out.items())
