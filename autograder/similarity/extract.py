"""What each student wrote, per question: a submission's code cells cut into answers.

The week's released notebook is the template. Its answer cells (tag ``otter_answer_cell``) sit
between a locked prompt (``### Soru …`` markdown) and a ``grader.check("q…")`` cell, and define
the names the tests call (``def sigmoid``, ``q_w01_e2b = …``). Students may add, move or merge
cells, so a submission is assigned to questions in two steps:

1. **Regions.** A code cell belongs to the question whose prompt precedes it (with no check cell in
   between), else to the question of the next ``grader.check`` when no other prompt lies in between,
   else to ``OTHER``. Cells identical to a released cell (setup, checks, untouched stubs and
   scratch cells) are dropped: they are the released notebook's own code.
2. **Names.** Within a cell, each top-level statement that defines one of a question's names goes to
   that question wherever it is (a student who moved ``def squash`` to the end still answers 3c);
   other statements, with the comments above them, stay with the cell's region. A cell that does
   not parse (magics aside) stays whole in its region.

A notebook with no markers at all therefore falls back to its named definitions plus ``OTHER``,
which the whole-notebook comparison still covers. The template also lists the week's *common*
sources: the released notebook's code, the released helper and public test files, and the
reference solution (``solutions/weekNN.py``).
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from autograder.weekbuild import WeekBuild

OTHER = "diğer"  # code outside every question's region that defines no question's name
_CHECK = re.compile(r"""grader\.check\(\s*["']([A-Za-z0-9_]+)["']\s*\)""")
_MAGIC = re.compile(r"^\s*[%!]")


@dataclass
class Template:
    """What every student of the week starts from."""

    week: str
    questions: list[str]
    names: dict[str, str] = field(default_factory=dict)      # top-level name -> question
    prompts: dict[str, str] = field(default_factory=dict)    # normalised prompt text -> question
    released_cells: set[str] = field(default_factory=set)    # stripped code of released code cells
    common: list[tuple[str, str]] = field(default_factory=list)  # (label, code) excluded as common


def _norm_md(text: str) -> str:
    return " ".join(text.split())


def _defined_names(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    out: set[str] = set()
    for t in targets:
        for n in ast.walk(t):
            if isinstance(n, ast.Name):
                out.add(n.id)
    return out


def _parse(src: str) -> ast.Module | None:
    """The cell's AST with IPython magics and shell lines blanked (same line numbers), or None."""
    cleaned = "\n".join("" if _MAGIC.match(line) else line for line in src.split("\n"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences in student strings
            return ast.parse(cleaned)
    except (SyntaxError, ValueError):
        return None


class InvalidNotebook(ValueError):
    """A file that is not a readable Jupyter notebook; the message says why."""


def read_notebook_cells(data: bytes) -> list[tuple[str, str]]:
    """(cell_type, source) of every code and markdown cell; raises InvalidNotebook with a reason.

    Plain JSON rather than nbformat: no schema validation (a student's odd metadata must not hide
    their code) and no start-up cost, which matters for a batch of hundreds."""
    if not data.strip():
        raise InvalidNotebook("empty file")
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        raise InvalidNotebook(f"not valid JSON: {str(e)[:120]}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        raise InvalidNotebook("JSON is not a Jupyter notebook (no 'cells' list)")
    cells = []
    for c in raw["cells"]:
        if not isinstance(c, dict) or c.get("cell_type") not in ("code", "markdown"):
            continue
        src = c.get("source", "")
        if isinstance(src, list):
            src = "".join(s for s in src if isinstance(s, str))
        cells.append((c["cell_type"], src if isinstance(src, str) else ""))
    return cells


def load_template(build: WeekBuild) -> Template:
    """The template of a compiled week (``autograder build``): questions, names, prompts, common code."""
    if not build.exists:
        raise FileNotFoundError(f"{build.week_id} is not built (run: autograder build {build.week_id})")
    tpl = Template(build.week_id, list(build.question_names))
    cells = read_notebook_cells(build.student_notebook.read_bytes())
    last_md: str | None = None
    run: list[str] = []  # code cells since the last markdown cell: the answer cells of the next check
    released_code = []
    for kind, src in cells:
        if kind == "markdown":
            last_md, run = src, []
            continue
        released_code.append(src)
        if src.strip():
            tpl.released_cells.add(src.strip())
        checked = _CHECK.findall(src)
        if not checked:
            run.append(src)
            continue
        q = checked[0]
        for a in run:
            tree = _parse(a)
            for node in tree.body if tree else []:
                for name in _defined_names(node):
                    tpl.names.setdefault(name, q)
        if last_md is not None:
            tpl.prompts[_norm_md(last_md)] = q
        last_md, run = None, []
    tpl.common.append(("yayımlanan defter", "\n\n".join(released_code)))
    for p in sorted(build.student_dir.rglob("*.py")):
        tpl.common.append((f"yayımlanan dosya {p.relative_to(build.student_dir)}", p.read_text(encoding="utf-8")))
    ref = build.course_root / "solutions" / f"{build.week_id}.py"
    if ref.is_file():
        tpl.common.append((f"referans çözüm solutions/{ref.name}", ref.read_text(encoding="utf-8")))
    return tpl


def _statement_chunks(src: str, tree: ast.Module) -> list[tuple[set[str], str]]:
    """Split a cell into top-level statements, each with the comment and blank lines above it."""
    lines = src.split("\n")
    chunks: list[tuple[set[str], str]] = []
    start = 0
    for i, node in enumerate(tree.body):
        end = node.end_lineno or node.lineno
        if i == len(tree.body) - 1:
            end = len(lines)  # trailing comments stay with the last statement
        chunks.append((_defined_names(node), "\n".join(lines[start:end])))
        start = end
    if not tree.body:
        chunks.append((set(), src))
    return chunks


def split_answers(cells: list[tuple[str, str]], tpl: Template) -> dict[str, str]:
    """The student's own code per question (and ``OTHER``), in notebook order; empty ones left out."""
    n = len(cells)
    next_check: list[str | None] = [None] * n   # question of the first check cell at or after i
    prompt_between: list[bool] = [False] * n    # a prompt lies between i and that check
    nxt: str | None = None
    seen_prompt = False
    for i in range(n - 1, -1, -1):
        kind, src = cells[i]
        if kind == "code" and _CHECK.search(src):
            nxt, seen_prompt = _CHECK.search(src).group(1), False
        elif kind == "markdown" and _norm_md(src) in tpl.prompts:
            seen_prompt = True
        next_check[i], prompt_between[i] = nxt, seen_prompt
    out: dict[str, list[str]] = {}
    current: str | None = None  # question of the last prompt, until a check cell closes it
    for i, (kind, src) in enumerate(cells):
        if kind == "markdown":
            q = tpl.prompts.get(_norm_md(src))
            if q is not None:
                current = q
            continue
        if not src.strip() or src.strip() in tpl.released_cells:
            if _CHECK.search(src):
                current = None
            continue
        region = current or (next_check[i] if not prompt_between[i] else None) or OTHER
        if region not in tpl.questions:
            region = OTHER
        tree = _parse(src)
        chunks = _statement_chunks(src, tree) if tree is not None else [(set(), src)]
        for names, text in chunks:
            owner = next((tpl.names[nm] for nm in sorted(names) if nm in tpl.names), region)
            if text.strip():
                out.setdefault(owner, []).append(text.strip("\n"))
        if _CHECK.search(src):
            current = None
    return {q: "\n\n".join(parts) for q, parts in out.items()}
