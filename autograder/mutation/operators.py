"""Mutation operators: small, one class per family, applied to reference definitions with ``ast``.

Each operator answers one question for one node: "what could a slightly wrong student have
written here instead?" (:meth:`Operator.replacements`). :func:`mutants_of` walks a definition,
asks every operator of :data:`OPERATORS` (the chain, in order) about every node, and produces
one :class:`Mutant` per (node, replacement): the full source of the mutated definition, as
``ast.unparse`` writes it, and a unified diff against the unparsed original. Docstrings and
decorators are never mutated. Mutants whose source equals the original or an earlier mutant are
dropped, so two operators proposing the same change yield one mutant.

Why ``ast`` and not mutmut / cosmic-ray / mutatest: those tools are built around "write the
mutant into a file, run a test command, read its exit code" (mutmut 3 compiles trampolines into
the module and runs pytest; cosmic-ray runs a test command per mutant in a worker; mutatest
rewrites ``__pycache__``), which does not fit a warm sandbox kernel where the notebook already
ran and a mutant is just a redefinition of the student's function. What we need from them is
only the operator set, which is a few dozen lines on ``ast`` (see README, "Mutation scores").
"""

from __future__ import annotations

import ast
import copy
import difflib
import hashlib
from dataclasses import dataclass
from typing import Iterator


@dataclass(frozen=True)
class Mutant:
    definition: str   # the top-level name mutated
    operator: str     # the operator family
    where: str        # "line N: old → new", for humans
    source: str       # full source of the mutated definition
    diff: str         # unified diff against the original definition

    @property
    def key(self) -> str:
        """A short stable id (from the mutated source), for listing an accepted survivor in a master."""
        return hashlib.sha256(self.source.encode()).hexdigest()[:8]


class Operator:
    """One family of mutations. Subclasses override :meth:`replacements`."""

    name = "operator"

    def replacements(self, node: ast.AST) -> list[ast.AST]:
        return []


_BINOP_SWAP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
               ast.FloorDiv: ast.Div, ast.Pow: ast.Mult, ast.MatMult: ast.Mult, ast.Mod: ast.FloorDiv}


class ArithmeticSwap(Operator):
    """``+`` ↔ ``-``, ``*`` ↔ ``/``, ``//`` → ``/``, ``**`` → ``*``, ``@`` → ``*`` (also in ``x += …``)."""

    name = "arithmetic"

    def replacements(self, node: ast.AST) -> list[ast.AST]:
        if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in _BINOP_SWAP:
            new = copy.deepcopy(node)
            new.op = _BINOP_SWAP[type(node.op)]()
            return [new]
        return []


_CMP_SWAP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
             ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In}


class ComparisonSwap(Operator):
    """``<`` ↔ ``<=``, ``>`` ↔ ``>=``, ``==`` ↔ ``!=``, ``is`` ↔ ``is not``, ``in`` ↔ ``not in``,
    ``and`` ↔ ``or``, ``not x`` → ``x``."""

    name = "comparison"

    def replacements(self, node: ast.AST) -> list[ast.AST]:
        out: list[ast.AST] = []
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in _CMP_SWAP:
                    new = copy.deepcopy(node)
                    new.ops[i] = _CMP_SWAP[type(op)]()
                    out.append(new)
        elif isinstance(node, ast.BoolOp):
            new = copy.deepcopy(node)
            new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            out.append(new)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            out.append(copy.deepcopy(node.operand))
        return out


class ConstantChange(Operator):
    """A number ``c`` becomes ``c + 1``, ``c - 1``, ``2c`` and ``0`` (booleans and strings untouched)."""

    name = "constant"

    def replacements(self, node: ast.AST) -> list[ast.AST]:
        if not (isinstance(node, ast.Constant) and type(node.value) in (int, float)):
            return []
        c = node.value
        seen, out = {c}, []
        for v in (c + 1, c - 1, c * 2, type(c)(0)):
            if v not in seen:
                seen.add(v)
                out.append(ast.Constant(v))
        return out


_AXIS_KEYWORDS = {"dim", "axis", "dims", "axes"}
_REDUCTIONS = {"sum", "mean", "max", "min", "argmax", "argmin", "softmax", "log_softmax", "norm", "std",
               "var", "cumsum", "squeeze", "unsqueeze", "prod", "amax", "amin", "logsumexp", "flatten"}


def _other_axes(value: int) -> list[int]:
    return [a for a in (0, 1, -1) if a != value][:2]


class AxisChange(Operator):
    """``dim=``/``axis=`` k → another axis (0, 1, -1), ``keepdim`` flipped, and the positional
    axis of ``x.sum(k)``-style reductions changed."""

    name = "axis"

    def replacements(self, node: ast.AST) -> list[ast.AST]:
        if not isinstance(node, ast.Call):
            return []
        out: list[ast.AST] = []
        for i, kw in enumerate(node.keywords):
            v = kw.value
            if kw.arg in _AXIS_KEYWORDS and _int_constant(v) is not None:
                for a in _other_axes(_int_constant(v)):
                    new = copy.deepcopy(node)
                    new.keywords[i].value = _int_node(a)
                    out.append(new)
            elif kw.arg == "keepdim" and isinstance(v, ast.Constant) and isinstance(v.value, bool):
                new = copy.deepcopy(node)
                new.keywords[i].value = ast.Constant(not v.value)
                out.append(new)
        if (isinstance(node.func, ast.Attribute) and node.func.attr in _REDUCTIONS and node.args
                and _int_constant(node.args[-1]) is not None and len(node.args) <= 2):
            for a in _other_axes(_int_constant(node.args[-1])):
                new = copy.deepcopy(node)
                new.args[-1] = _int_node(a)
                out.append(new)
        return out


def _int_constant(node: ast.AST) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
            and type(node.operand.value) is int:
        return -node.operand.value
    return None


def _int_node(v: int) -> ast.expr:
    return ast.UnaryOp(ast.USub(), ast.Constant(-v)) if v < 0 else ast.Constant(v)


class ArgumentSwap(Operator):
    """The first two positional arguments of a call swapped; ``a - b``, ``a / b``, ``a @ b`` reversed."""

    name = "swap-args"

    def replacements(self, node: ast.AST) -> list[ast.AST]:
        if isinstance(node, ast.Call) and len(node.args) >= 2 and not any(isinstance(a, ast.Starred) for a in node.args[:2]):
            new = copy.deepcopy(node)
            new.args[0], new.args[1] = new.args[1], new.args[0]
            return [new]
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Sub, ast.Div, ast.MatMult, ast.Pow)):
            new = copy.deepcopy(node)
            new.left, new.right = new.right, new.left
            return [new]
        return []


class StatementDrop(Operator):
    """A statement that only acts (``opt.zero_grad()``, ``loss.backward()``, ``w.copy_(…)``,
    ``x += …``) is removed."""

    name = "drop-statement"

    def replacements(self, node: ast.AST) -> list[ast.AST]:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            return [ast.Pass()]
        if isinstance(node, ast.AugAssign):
            return [ast.Pass()]
        return []


class TermDrop(Operator):
    """A term of a sum dropped (``a + b`` → ``a`` or ``b``; ``a - b`` → ``a``), e.g. a bias, and
    ``bias=…`` in a call → ``bias=False``."""

    name = "drop-term"

    def replacements(self, node: ast.AST) -> list[ast.AST]:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return [copy.deepcopy(node.left), copy.deepcopy(node.right)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
            return [copy.deepcopy(node.left)]
        if isinstance(node, ast.Call):
            for i, kw in enumerate(node.keywords):
                if kw.arg == "bias" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                    new = copy.deepcopy(node)
                    new.keywords[i].value = ast.Constant(False)
                    return [new]
        return []


_PASS_THROUGH = {"detach", "clone", "contiguous", "cpu"}


class GradControlDrop(Operator):
    """``x.detach()`` / ``.clone()`` / ``.contiguous()`` / ``.cpu()`` → ``x``;
    ``with torch.no_grad():`` → its body without the context."""

    name = "detach"

    def replacements(self, node: ast.AST) -> list[ast.AST]:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _PASS_THROUGH \
                and not node.args and not node.keywords:
            return [copy.deepcopy(node.func.value)]
        if isinstance(node, ast.With) and len(node.items) == 1 and "no_grad" in ast.unparse(node.items[0].context_expr):
            return [ast.If(test=ast.Constant(True), body=copy.deepcopy(node.body), orelse=[])]
        return []


_REDUCTION_SWAP = {"mean": "sum", "sum": "mean", "max": "min", "min": "max", "argmax": "argmin",
                   "argmin": "argmax", "amax": "amin", "amin": "amax"}


class ReductionSwap(Operator):
    """``mean`` ↔ ``sum``, ``max`` ↔ ``min``, ``argmax`` ↔ ``argmin`` (methods and ``torch.``/``np.``
    functions)."""

    name = "reduction"

    def replacements(self, node: ast.AST) -> list[ast.AST]:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _REDUCTION_SWAP:
            new = copy.deepcopy(node)
            new.func.attr = _REDUCTION_SWAP[node.func.attr]
            return [new]
        return []


class TransposeChange(Operator):
    """A transpose removed (``A.T``, ``A.mT``, ``A.t()``, ``A.transpose(…)``, ``A.permute(…)`` → ``A``)
    or added to the right operand of ``@``."""

    name = "transpose"

    def replacements(self, node: ast.AST) -> list[ast.AST]:
        if isinstance(node, ast.Attribute) and node.attr in ("T", "mT") and isinstance(node.ctx, ast.Load):
            return [copy.deepcopy(node.value)]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("t", "transpose", "permute"):
            return [copy.deepcopy(node.func.value)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult) \
                and not (isinstance(node.right, ast.Attribute) and node.right.attr in ("T", "mT")):
            new = copy.deepcopy(node)
            new.right = ast.Attribute(value=new.right, attr="T", ctx=ast.Load())
            return [new]
        return []


class SignDrop(Operator):
    """A unary minus removed: ``-x`` → ``x``."""

    name = "sign"

    def replacements(self, node: ast.AST) -> list[ast.AST]:
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and not isinstance(node.operand, ast.Constant):
            return [copy.deepcopy(node.operand)]
        return []


# The chain: every operator family, in the order mutants are interleaved (see engine.select).
OPERATORS: list[Operator] = [
    ArithmeticSwap(),
    ComparisonSwap(),
    ConstantChange(),
    AxisChange(),
    ArgumentSwap(),
    StatementDrop(),
    TermDrop(),
    GradControlDrop(),
    ReductionSwap(),
    TransposeChange(),
    SignDrop(),
]


def _docstring_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                skip.update(id(n) for n in ast.walk(body[0]))
            for d in node.decorator_list:
                skip.update(id(n) for n in ast.walk(d))
    return skip


class _Replace(ast.NodeTransformer):
    def __init__(self, target: ast.AST, new: ast.AST) -> None:
        self.target, self.new = target, new

    def visit(self, node: ast.AST) -> ast.AST:
        if node is self.target:
            return self.new
        return self.generic_visit(node)


def _sites(tree: ast.AST) -> list[ast.AST]:
    """Nodes in source order (depth first), without docstrings and decorators."""
    skip = _docstring_nodes(tree)
    out: list[ast.AST] = []

    def walk(n: ast.AST) -> None:
        if id(n) not in skip:
            out.append(n)
        for child in ast.iter_child_nodes(n):
            walk(child)
    walk(tree)
    return out


def mutants_of(definition: ast.stmt, name: str, operators: list[Operator] | None = None) -> Iterator[Mutant]:
    """Every mutant of one top-level definition (function, class or assignment), in chain order
    per node; duplicates and no-op mutations are skipped."""
    ops = OPERATORS if operators is None else operators
    original = ast.unparse(definition)
    seen = {original}
    orig_sites = _sites(definition)
    for k, node in enumerate(orig_sites):
        for op in ops:
            for new in op.replacements(node):
                tree = copy.deepcopy(definition)
                target = _sites(tree)[k]  # the copy of ``node``: same position in the same traversal
                mutated = _Replace(target, new).visit(tree)
                ast.fix_missing_locations(mutated)
                try:
                    src = ast.unparse(mutated)
                    compile(src, "<mutant>", "exec")
                except (SyntaxError, ValueError, TypeError):
                    continue
                if src in seen:
                    continue
                seen.add(src)
                line = getattr(node, "lineno", definition.lineno)
                old_txt = ast.unparse(node).splitlines()[0] if not isinstance(new, ast.Pass) else ast.unparse(node)
                new_txt = ast.unparse(new).splitlines()[0]
                diff = "".join(difflib.unified_diff((original + "\n").splitlines(keepends=True),
                                                    (src + "\n").splitlines(keepends=True),
                                                    fromfile=f"{name} (reference)", tofile=f"{name} (mutant)", n=1))
                yield Mutant(definition=name, operator=op.name,
                             where=f"line {line}: {old_txt.splitlines()[0][:70]} → {new_txt[:70]}",
                             source=src, diff=diff)
