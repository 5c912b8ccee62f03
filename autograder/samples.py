"""Sample submissions for a built week: correct, blank, partly wrong, crashing, hanging, broken.

Used by `make demo` and the tests. Wrong answers come from ``tests/wrong_answers/weekNN.py``
(the "tests of the tests"), appended as a last cell so they replace the correct definitions.
"""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path

import nbformat

from autograder.weekbuild import WeekBuild


def wrong_answers(course_root: Path, week_id: str) -> dict[str, list[tuple[str, str]]]:
    path = course_root / "tests" / "wrong_answers" / f"{week_id}.py"
    if not path.is_file():
        return {}
    return runpy.run_path(str(path)).get("WRONG_ANSWERS", {})


def with_extra_cells(src: Path, dest: Path, cells: list[tuple[int | None, str]]) -> None:
    """Copy a notebook, inserting code cells at positions (None = append)."""
    nb = nbformat.read(src, as_version=4)
    for pos, code in cells:
        cell = nbformat.v4.new_code_cell(code)
        if pos is None:
            nb.cells.append(cell)
        else:
            nb.cells.insert(pos, cell)
    nbformat.write(nb, dest)


def make_samples(build: WeekBuild, dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    w = build.week_id
    sol, blank = build.solution_notebook, build.student_notebook
    out = []

    def add(name: str) -> Path:
        p = dest / f"{name}_{w}.ipynb"
        out.append(p)
        return p

    shutil.copy2(sol, add("correct"))
    shutil.copy2(blank, add("blank"))
    wrong = wrong_answers(build.course_root, w)
    picked = [(q, variants[0][1]) for q, variants in wrong.items() if variants][::2]
    if picked:
        with_extra_cells(sol, add("partial"), [(None, code) for _, code in picked])
    n_cells = len(nbformat.read(sol, as_version=4).cells)
    with_extra_cells(sol, add("crashes"), [(n_cells // 2, "raise RuntimeError('öğrenci hatası')"),
                                          (n_cells // 2, "import os\nos._exit(1)")])
    with_extra_cells(sol, add("hangs"), [(n_cells // 2, "while True:\n    pass")])
    add("broken").write_text('{"cells": [ this is not json', encoding="utf-8")
    return out
