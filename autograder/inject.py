"""Inject reference code from ``solutions/weekNN.py`` into a master notebook's solution cells.

``solutions/`` is the single source of solution code. A master solution cell holds only
``# INJECT SOLUTION: name, other``; at build time it becomes the source of those definitions with
Otter's solution markers around what students must write: function bodies after the docstring,
method bodies of classes, and the values of assignments.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

DIRECTIVE = re.compile(r"^\s*#\s*INJECT SOLUTION:\s*(.+?)\s*$", re.MULTILINE)


class InjectError(Exception):
    pass


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _function(lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef, where: str) -> list[str]:
    start = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
    body = node.body
    has_doc = isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
        and isinstance(body[0].value.value, str)
    rest = body[1:] if has_doc else body
    if not rest:
        raise InjectError(f"{where}: {node.name} has no body to hide")
    sol_start = rest[0].lineno - 1
    # Comments directly above the first statement belong to the solution too.
    while sol_start - 1 > (body[0].end_lineno - 1 if has_doc else node.lineno - 1) and lines[sol_start - 1].strip().startswith("#"):
        sol_start -= 1
    indent = _indent_of(lines[rest[0].lineno - 1])
    return (lines[start:sol_start] + [f"{indent}# BEGIN SOLUTION"] + lines[sol_start:node.end_lineno]
            + [f"{indent}# END SOLUTION"])


def _class(lines: list[str], node: ast.ClassDef, where: str) -> list[str]:
    start = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
    out: list[str] = []
    cursor = start
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            item_start = (item.decorator_list[0].lineno if item.decorator_list else item.lineno) - 1
            out += lines[cursor:item_start]
            out += _function(lines, item, where)
            cursor = item.end_lineno
    out += lines[cursor:node.end_lineno]
    return out


def _assignment(lines: list[str], node: ast.stmt, name: str) -> list[str]:
    seg = lines[node.lineno - 1: node.end_lineno]
    if len(seg) == 1:
        return [f"{seg[0].rstrip()}  # SOLUTION"]
    return [f"{name} = ...", "# BEGIN SOLUTION NO PROMPT", *seg, "# END SOLUTION"]


def definition_source(source: str, name: str, where: str) -> str:
    tree = ast.parse(source)
    lines = source.splitlines()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return "\n".join(_function(lines, node, where))
        if isinstance(node, ast.ClassDef) and node.name == name:
            return "\n".join(_class(lines, node, where))
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return "\n".join(_assignment(lines, node, name))
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            return "\n".join(_assignment(lines, node, name))
    raise InjectError(f"{where}: no top-level definition named {name!r}")


def inject_cell(cell_source: str, solution_source: str, where: str) -> str | None:
    """The injected source for a cell, or None when the cell has no directive."""
    m = DIRECTIVE.search(cell_source)
    if not m:
        return None
    names = [n.strip() for n in m.group(1).split(",") if n.strip()]
    if not names:
        raise InjectError(f"{where}: empty INJECT SOLUTION directive")
    return "\n\n".join(definition_source(solution_source, n, where) for n in names)


def inject_notebook(nb, solution_path: Path) -> int:
    """Replace every directive cell of ``nb`` in place; returns the number of cells injected."""
    source = solution_path.read_text(encoding="utf-8")
    count = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        new = inject_cell(cell.source, source, f"{solution_path.name} (master cell {i + 1})")
        if new is not None:
            cell.source = new
            count += 1
    return count
