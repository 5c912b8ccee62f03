"""Helpers for test authors (see assignments/AUTHORING.md).

Tests run in the trusted grader process and see student values either by value (plain data) or
as opaque handles (`autograder.remote.Handle`). These helpers work in both worlds, and also in
Otter compatibility mode, where tests run inside the student's kernel on real objects.
"""

from __future__ import annotations

import ast
import contextlib
import contextvars
import math
from typing import Any, Callable, Iterable, Iterator

import numpy as np

# Set by the trusted runner while a test runs; None in Otter compatibility mode.
current_session: contextvars.ContextVar[Any] = contextvars.ContextVar("current_session", default=None)
# The submission's code cells, in order, as the trusted side read them from the notebook file.
current_cells: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("current_cells", default=None)


def _is_handle(x: Any) -> bool:
    try:
        from autograder.remote import Handle
    except ImportError:  # compatibility modes ship only this file: there are no handles there
        return False
    return isinstance(x, Handle)


def kind_of(obj: Any) -> str:
    """Fully qualified type name of a value or a handle (``torch.nn.modules.linear.Linear``)."""
    if _is_handle(obj):
        return obj._type_name
    t = type(obj)
    return f"{t.__module__}.{t.__qualname__}" if t.__module__ != "builtins" else t.__qualname__


def as_array(x: Any, what: str = "sonuç") -> np.ndarray:
    """Plain numeric data as a numpy array; fails (Turkish message) for handles and other objects."""
    if _is_handle(x):
        raise AssertionError(f"{what} sayısal bir değer değil (türü: {kind_of(x)})")
    if x is None or x is Ellipsis:
        raise AssertionError(f"{what} boş (None/...): fonksiyon bir değer döndürmüyor")
    try:
        import torch

        if isinstance(x, torch.Tensor):
            x = x.detach().cpu()
            if x.dtype == torch.bfloat16:
                x = x.float()
            x = x.numpy()
    except ImportError:  # pragma: no cover - torch is always installed here
        pass
    if isinstance(x, (bool, int, float, np.number, np.bool_)):
        return np.asarray(x)
    if isinstance(x, (list, tuple, np.ndarray)):
        try:
            arr = np.asarray(x)
        except Exception as e:  # ragged lists and the like
            raise AssertionError(f"{what} bir sayı dizisine çevrilemedi: {e}") from None
        if arr.dtype == object or arr.dtype.kind not in "biufc":
            raise AssertionError(f"{what} sayısal bir dizi değil (dtype={arr.dtype})")
        return arr
    raise AssertionError(f"{what} sayısal bir değer değil (türü: {kind_of(x)})")


def assert_close(
    actual: Any,
    expected: Any,
    *,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    msg: str = "",
    squeeze: bool = False,
) -> None:
    """Assert that ``actual`` equals ``expected`` numerically, with a Turkish failure message."""
    prefix = f"{msg}: " if msg else ""
    a = as_array(actual, what=msg or "sonuç")
    e = as_array(expected, what="beklenen değer")
    if squeeze:
        a, e = np.squeeze(a), np.squeeze(e)
    if a.shape != e.shape:
        raise AssertionError(f"{prefix}boyut (shape) yanlış: {a.shape} bulundu, {e.shape} bekleniyordu")
    a64 = a.astype(np.complex128 if np.iscomplexobj(a) else np.float64)
    e64 = e.astype(np.complex128 if np.iscomplexobj(e) else np.float64)
    if not np.allclose(a64, e64, rtol=rtol, atol=atol, equal_nan=True):
        worst = float(np.max(np.abs(a64 - e64))) if a64.size else math.nan
        raise AssertionError(f"{prefix}değerler beklenenle uyuşmuyor (en büyük fark {worst:.3g})")


def _normalise_choice(x: Any) -> Any:
    if isinstance(x, str):
        return x.strip().upper()
    if isinstance(x, (set, frozenset, list, tuple)):
        return frozenset(_normalise_choice(v) for v in x)
    return x


def check_choice(answer: Any, allowed: Iterable[Any]) -> Any:
    """Normalise a multiple-choice answer and check it is one of ``allowed``."""
    if _is_handle(answer) or answer is None or answer is Ellipsis:
        raise AssertionError("cevap henüz verilmemiş (bir harf ya da küme yaz, örn. \"B\")")
    norm = _normalise_choice(answer)
    allowed_norm = {_normalise_choice(a) for a in allowed}
    if isinstance(norm, frozenset):
        options = set().union(*(a if isinstance(a, frozenset) else {a} for a in allowed_norm))
        if not norm or not norm <= options:
            raise AssertionError(f"geçersiz seçim: {sorted(map(str, norm))}; seçenekler: {sorted(map(str, options))}")
        return norm
    if norm not in allowed_norm:
        raise AssertionError(f"geçersiz seçim: {answer!r}; seçenekler: {sorted(map(str, allowed_norm))}")
    return norm


def sandboxed(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run a self-contained helper function inside the student's sandbox.

    ``fn`` must not close over test variables and must import what it needs in its body. Its
    source is sent to the sandbox; arguments and results cross the channel like any call.
    """
    session = current_session.get()
    if session is None:
        return fn
    return session.helper(fn)


@contextlib.contextmanager
def call_timeout(seconds: float) -> Iterator[None]:
    """Per-call timeout for remote calls made inside the block."""
    session = current_session.get()
    if session is None:
        yield
        return
    token = session.call_timeout.set(float(seconds))
    try:
        yield
    finally:
        session.call_timeout.reset(token)


def student_source(name: str) -> str | None:
    """Source of the submission's last top-level definition of ``name`` (a ``def``, ``class`` or
    assignment), for static checks of a rule the prompt states ("otomatik türev kullanma",
    "açık döngülerle yaz"). Read on the trusted side from the notebook file, never from the
    kernel. Cells that do not parse (magics) are skipped. None when the name is not defined in
    a parsable cell, or when no submission is known (Otter compatibility mode: the check is then
    skipped by the caller)."""
    cells = current_cells.get()
    if cells is None:
        return None
    found = None
    for src in cells:
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
                found = ast.get_source_segment(src, node)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                    found = ast.get_source_segment(src, node)
    return found


def source_uses(source: str, *, calls: Iterable[str] = (), attributes: Iterable[str] = ()) -> list[str]:
    """Which of ``calls`` (dotted names as written, e.g. ``torch.autograd.grad``, matched on their
    last parts too: ``autograd.grad``, ``grad``) and ``attributes`` (e.g. ``backward``,
    ``requires_grad_``) the source mentions. For static rule checks; an empty list means none."""
    tree = ast.parse(source)
    seen: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            seen.add(node.attr)
            parts, cur = [node.attr], node.value
            while isinstance(cur, ast.Attribute):
                parts.append(cur.attr)
                cur = cur.value
            if isinstance(cur, ast.Name):
                parts.append(cur.id)
            dotted = ".".join(reversed(parts))
            seen.add(dotted)
            seen.update(".".join(dotted.split(".")[i:]) for i in range(1, dotted.count(".") + 1))
        elif isinstance(node, ast.Name):
            seen.add(node.id)
        elif isinstance(node, ast.keyword) and node.arg:
            seen.add(node.arg + "=")
    return [c for c in [*calls, *attributes] if c in seen]


def has_loop(source: str) -> bool:
    """Whether the source has an explicit ``for``/``while`` loop or a comprehension."""
    return any(isinstance(n, (ast.For, ast.While, ast.comprehension)) for n in ast.walk(ast.parse(source)))
