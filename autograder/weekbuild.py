"""A compiled week on disk: the Otter Assign output plus our manifest.

Layout under the build folder (git-ignored)::

    build/dist/weekNN/student/       released to students (notebook, public tests, data files)
    build/dist/weekNN/autograder/    solution notebook, all tests, data files
    build/dist/weekNN/manifest.json  questions, points, public files, input hash, timings
"""

from __future__ import annotations

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
