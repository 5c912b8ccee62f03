"""Week-1 notebooks for the similarity tests: independent answers and disguised copies.

- ``notebook(released, answers)``: the released notebook with its answer cells filled in.
- ``disguise(answers, seed)``: a planted copy the way a student hides one: every name the
  student chose renamed, the code reformatted (``ast.unparse``), the functions of each answer in
  the opposite order, one answer moved to a new cell at the end of the notebook, different
  comments, and one extra helper function that the copy calls.
- ``mixed_student(seed)``: for large batches, one of the six hand-written styles per question,
  with the names the student chose renamed, so that no two generated notebooks are the same text.
"""

from __future__ import annotations

import ast
import builtins
import copy
import random
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "similarity"))
from week01_students import STUDENTS  # noqa: E402

REQUIRED = {"sigmoid", "perceptron", "perceptron_torch", "collapse", "q_w01_e2b", "transform", "singular_values",
            "squash", "principal_stds", "build_net", "train_classifier", "q_w01_e4c", "gd", "gd_path",
            "neuron_grads", "converged_etas"}
KEEP = REQUIRED | set(dir(builtins)) | {"np", "torch", "nn", "math", "du", "self"}
QUESTIONS = list(STUDENTS["ayse"])


def notebook(released: Path, answers: dict[str, str], moved: tuple[str, ...] = (),
             extra_cells: tuple[str, ...] = ()) -> bytes:
    """The released notebook with answers in place; ``moved`` answers go to new cells at the end."""
    nb = nbformat.read(released, as_version=4)
    cells = nb.cells
    for i, c in enumerate(cells):
        if c.cell_type == "code" and "otter_answer_cell" in c.get("metadata", {}).get("tags", []):
            q = next(cells[j].source.split('"')[1] for j in range(i + 1, len(cells))
                     if cells[j].cell_type == "code" and cells[j].source.startswith("grader.check("))
            if q in answers and q not in moved:
                c.source = answers[q]
    for q in moved:
        cells.append(nbformat.v4.new_code_cell(answers[q]))
    for src in extra_cells:
        cells.append(nbformat.v4.new_code_cell(src))
    return nbformat.writes(nb).encode("utf-8")


class _Rename(ast.NodeTransformer):
    def __init__(self, mapping: dict[str, str]) -> None:
        self.mapping = mapping

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = self.mapping.get(node.id, node.id)
        return node

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.arg = self.mapping.get(node.arg, node.arg)
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        node.name = self.mapping.get(node.name, node.name)
        self.generic_visit(node)
        return node


def _chosen_names(tree: ast.AST) -> set[str]:
    """Names the student chose: variables, parameters, helpers (not the graded API, not modules)."""
    out: set[str] = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            out.add(n.id)
        elif isinstance(n, ast.arg):
            out.add(n.arg)
        elif isinstance(n, ast.FunctionDef):
            out.add(n.name)
    return out - KEEP


def rename(code: str, rng: random.Random, pool: list[str]) -> str:
    tree = ast.parse(code)
    names = sorted(_chosen_names(tree))
    fresh = rng.sample(pool, len(names)) if len(pool) >= len(names) else [f"v{i}_{rng.randrange(999)}"
                                                                           for i in range(len(names))]
    mapping = dict(zip(names, fresh))
    # The graded functions keep their parameter names only when callers use them by keyword;
    # positional calls (the tests' way) work with any names.
    return ast.unparse(_Rename(mapping).visit(tree))


_POOL = ["a", "bb", "val", "tmp", "res", "arr", "mat", "acc", "deger", "girdi_", "agirlik_", "toplam_",
         "vektor", "liste", "sayac", "kat", "model_", "veri", "etiket", "sonuc_", "ara", "xx", "yy", "zz",
         "p1", "p2", "q1", "q2", "h", "g2", "u_", "s_", "v_", "w_", "eps", "kk", "ll", "mm", "nn_", "oo"]

_COMMENTS = ["# burada asıl hesap yapılıyor", "# TODO: kontrol et", "# formül derste vardı",
             "# sonucu döndür", "# adım adım", "# dikkat: şekiller", "# kendi çözümüm"]


def disguise(answers: dict[str, str], seed: int) -> tuple[dict[str, str], tuple[str, ...]]:
    """A disguised copy of one student's answers and the questions it moves to the end."""
    rng = random.Random(seed)
    out: dict[str, str] = {}
    for q, code in answers.items():
        tree = ast.parse(code)
        tree.body.reverse() if all(isinstance(n, (ast.FunctionDef, ast.Import, ast.ImportFrom))
                                   for n in tree.body) else None
        text = rename(ast.unparse(tree), rng, _POOL)
        lines = []
        for line in text.split("\n"):
            if rng.random() < 0.25 and line.strip():
                lines.append(line[: len(line) - len(line.lstrip())] + rng.choice(_COMMENTS))
            lines.append(line)
        out[q] = "\n".join(lines) + "\n"
    # One extra helper, called from the longest answer's first return.
    q = max(out, key=lambda k: len(out[k]))
    tree = ast.parse(out[q])
    helper = ast.parse("def _paketle(deger):\n    return deger").body[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Return) and node.value is not None:
            node.value = ast.Call(ast.Name("_paketle", ast.Load()), [node.value], [])
            break
    tree.body.insert(0, helper)
    out[q] = ast.unparse(ast.fix_missing_locations(tree)) + "\n"
    moved = (rng.choice([k for k in out if k != q]),)
    return out, moved


def mixed_student(seed: int) -> dict[str, str]:
    """A generated student: one hand-written style per question, the chosen names renamed."""
    rng = random.Random(seed)
    styles = list(STUDENTS)
    out = {}
    for q in QUESTIONS:
        code = STUDENTS[rng.choice(styles)][q]
        out[q] = rename(code, rng, _POOL) + "\n" if rng.random() < 0.7 else code
    return out


def copy_answers(answers: dict[str, str]) -> dict[str, str]:
    return copy.deepcopy(answers)
