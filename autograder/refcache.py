"""Reference results computed once per build, not once per submission.

Hidden tests call the reference solution (``solutions/weekNN.py``) on their own seeded inputs and
compare the student's results with its results; week 2's tests retrain the reference networks for
every submission. Those calls are deterministic in what they are given, so the trusted side
memoises them: ``wrap_module`` replaces each public function of a loaded reference module with
a memo keyed by

- the build (``BuildImports.prefix``: a digest of the build's Python files, plus the build's
  input digest from ``manifest.json``): a rebuild never sees an older build's values;
- the function (module and qualified name);
- a digest of the arguments' *values*, only when every argument is plain data (None, bool, int,
  float, complex, str, bytes, lists/tuples/dicts of those, numpy arrays and scalars of a
  non-object dtype, torch tensors that do not require grad); any other argument (a model, a
  generator, a callable) bypasses the cache;
- a digest of the global random states the call may read (``random``, numpy's legacy global
  generator, torch's CPU generator) and torch's default dtype. The states *after* the call are
  stored with the value and restored on a hit, so a test that draws more random inputs after a
  cached reference call draws the same numbers as without the cache.

Values are *stored only at build time*: while ``autograder build`` validates the week by grading
its own solution notebook (``recording``). Grading a submission only reads them. So nothing is
ever keyed on or computed from what a student's sandbox returned (a test that passes a student's
output to the reference simply misses, every time), and a student cannot grow the cache. The
calls a test makes on its own seeded inputs are the same for every notebook, so they hit.
A result is stored only if it is plain data too, and only if the call left its arguments
unchanged (a function that mutates its inputs is never cached: a hit could not repeat that).
Values are kept pickled, on disk under the build (``dist/weekNN/refcache/``, outside the
autograder folder that the sandbox and the Otter zip see; a rebuild replaces the whole week
folder) and in memory per process; every hit unpickles a fresh copy, so a test cannot change the
cached value. The files are as trusted as the build folder that holds them (which also holds
the reference solutions and the tests).

``AUTOGRADER_REFCACHE=0`` turns the cache off (e.g. to time the uncached grader).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import random
import sys
import tempfile
import types
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Callable

_memory: dict[str, bytes] = {}
_recording: ContextVar[bool] = ContextVar("refcache_recording", default=False)
stats = {"hits": 0, "misses": 0, "bypassed": 0}


class _NotPlain(Exception):
    pass


def enabled() -> bool:
    return os.environ.get("AUTOGRADER_REFCACHE", "1") != "0"


def recording(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``fn`` with the cache writable, in this thread only: the build grading its own
    solution notebook (``build.validate``). Everywhere else the cache is read-only."""
    token = _recording.set(True)
    try:
        return fn(*args, **kwargs)
    finally:
        _recording.reset(token)


def _feed(h: "hashlib._Hash", x: Any, depth: int = 0) -> None:
    """Feed a canonical encoding of plain data into ``h``; raise _NotPlain for anything else."""
    if depth > 50:
        raise _NotPlain
    t = type(x)
    if x is None or t in (bool, int, float, complex, str, bytes):
        h.update(f"{t.__name__}:{x!r};".encode())
        return
    if t in (list, tuple):
        h.update(f"{t.__name__}[{len(x)}]".encode())
        for v in x:
            _feed(h, v, depth + 1)
        return
    if t is dict:
        h.update(f"dict[{len(x)}]".encode())
        for k, v in x.items():  # insertion order is part of the value (it is visible to the function)
            _feed(h, k, depth + 1)
            _feed(h, v, depth + 1)
        return
    np = sys.modules.get("numpy")
    if np is not None and isinstance(x, (np.ndarray, np.generic)) and t.__module__ == "numpy":
        a = np.asarray(x)
        if a.dtype.hasobject:
            raise _NotPlain
        h.update(f"np:{t.__name__}:{a.dtype.str}:{a.shape};".encode())
        h.update(np.ascontiguousarray(a).tobytes())
        return
    torch = sys.modules.get("torch")
    if torch is not None and t in (torch.Tensor, torch.nn.Parameter):
        if x.requires_grad or x.is_sparse or x.device.type != "cpu":
            raise _NotPlain
        c = x.detach().contiguous()
        h.update(f"torch:{c.dtype}:{tuple(c.shape)};".encode())
        h.update(c.reshape(-1).view(torch.uint8).numpy().tobytes() if c.numel() else b"")
        return
    raise _NotPlain


def _digest(x: Any) -> str:
    h = hashlib.sha256()
    _feed(h, x)
    return h.hexdigest()


def _rng_state() -> tuple:
    np = sys.modules.get("numpy")
    torch = sys.modules.get("torch")
    return (random.getstate(), np.random.get_state() if np is not None else None,
            torch.get_rng_state() if torch is not None else None,
            str(torch.get_default_dtype()) if torch is not None else None)


def _set_rng_state(state: tuple) -> None:
    py, npst, tst, _ = state
    random.setstate(py)
    if npst is not None:
        sys.modules["numpy"].random.set_state(npst)
    if tst is not None:
        sys.modules["torch"].set_rng_state(tst)


def _rng_digest(state: tuple) -> str:
    h = hashlib.sha256(repr(state[0]).encode())
    if state[1] is not None:
        kind, keys, pos, has_gauss, cached = state[1]
        h.update(f"{kind}:{pos}:{has_gauss}:{cached!r}".encode() + keys.tobytes())
    if state[2] is not None:
        h.update(state[2].numpy().tobytes())
    h.update(repr(state[3]).encode())
    return h.hexdigest()


class RefCache:
    """The memo of one build: ``build`` (digest) names it, ``folder`` holds its files (or None)."""

    def __init__(self, build: str, folder: Path | None) -> None:
        self.build = build
        self.folder = folder
        self.uncacheable: set[str] = set()

    def _load(self, key: str) -> bytes | None:
        data = _memory.get(key)
        if data is None and self.folder is not None:
            try:
                data = (self.folder / f"{key}.pkl").read_bytes()
            except OSError:
                return None
            _memory[key] = data
        return data

    def _store(self, key: str, data: bytes) -> None:
        _memory[key] = data
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, self.folder / f"{key}.pkl")  # atomic: concurrent workers write the same bytes
        except OSError:
            pass  # a read-only build folder: the in-memory memo still works

    def wrap(self, fn: Callable[..., Any], name: str) -> Callable[..., Any]:
        @functools.wraps(fn)
        def cached(*args: Any, **kwargs: Any) -> Any:
            if not enabled() or name in self.uncacheable:
                return fn(*args, **kwargs)
            try:
                arg_digest = _digest((args, kwargs))
            except _NotPlain:
                stats["bypassed"] += 1
                return fn(*args, **kwargs)
            before = _rng_state()
            key = hashlib.sha256(f"{self.build}\0{name}\0{arg_digest}\0{_rng_digest(before)}".encode()).hexdigest()
            data = self._load(key)
            if data is not None:
                value, after = pickle.loads(data)
                _set_rng_state(after)
                stats["hits"] += 1
                return value
            stats["misses"] += 1
            value = fn(*args, **kwargs)
            if not _recording.get():
                return value  # grading a submission: read-only (module docstring)
            try:
                if _digest((args, kwargs)) != arg_digest:
                    self.uncacheable.add(name)  # it changed its inputs: a hit could not do that
                    return value
                _digest(value)
            except _NotPlain:
                return value
            self._store(key, pickle.dumps((value, _rng_state()), protocol=pickle.HIGHEST_PROTOCOL))
            return pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))  # the caller's own copy

        cached.__wrapped_reference__ = fn  # type: ignore[attr-defined]
        return cached


def build_digest(prefix: str, root: Path) -> str:
    """The build's identity: the private package name (a digest of its Python files) and what
    ``manifest.json`` beside the autograder folder says of the build (its inputs' digest and
    build time; the manifest is written before a rebuilt week replaces the old one)."""
    try:
        manifest = json.loads((root.parent / "manifest.json").read_text(encoding="utf-8"))
        ident = f"{manifest.get('inputs', '')}:{manifest.get('built_at', '')}"
    except (OSError, ValueError):
        ident = ""
    return f"{prefix}:{ident}"


def wrap_module(module: types.ModuleType, build: str, folder: Path | None) -> None:
    """Replace the module's public functions (defined in it, not imported) with memos."""
    cache = RefCache(build, folder)
    for attr, fn in list(vars(module).items()):
        if attr.startswith("_") or not isinstance(fn, types.FunctionType) or fn.__module__ != module.__name__:
            continue
        setattr(module, attr, cache.wrap(fn, f"{module.__name__.split('.', 1)[-1]}.{fn.__qualname__}"))
