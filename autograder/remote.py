"""The trusted end of the channel: a kernel session and opaque handles to student objects.

Every reply is decoded strictly (``sandbox.codec``): plain data arrives by value as genuine
Python/numpy/torch objects built here; anything else is a :class:`Handle`. A handle forwards only
explicit operations (call, attribute, item, len, iteration) through the channel, and refuses the
implicit ones a forged answer would rely on (truth value, ``==``, arithmetic, array conversion).
No student code ever runs in this process.
"""

from __future__ import annotations

import contextvars
import importlib
import inspect
import shutil
import socket
import sys
import tempfile
import textwrap
import time
import types
from pathlib import Path
from typing import Any, Callable

from autograder.sandbox import codec
from autograder.sandbox.launcher import Limits, SandboxProcess
from autograder.sandbox.slots import Slot


class KernelDied(Exception):
    """The sandboxed process exited, was killed, or broke the protocol."""


class CallTimeout(Exception):
    """A cell or a remote call ran past its time limit."""


class RemoteError(Exception):
    """Student code raised an exception; carries its name and message (never a traceback object)."""

    def __init__(self, ename: str, evalue: str, traceback: str = "") -> None:
        super().__init__(f"{ename}: {evalue}")
        self.ename, self.evalue, self.traceback = ename, evalue, traceback


class Handle:
    """An opaque reference to an object that lives in the sandbox."""

    __slots__ = ("_session", "_id", "_type_name", "_callable")

    def __init__(self, session: "Session", hid: int, type_name: str, is_callable: bool) -> None:
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_id", hid)
        object.__setattr__(self, "_type_name", type_name)
        object.__setattr__(self, "_callable", is_callable)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._session.call(self, args, kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._session.request("getattr", obj=self, name=name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise TypeError("uzaktaki (öğrenci) nesnelere yazılamaz")

    def __getitem__(self, key: Any) -> Any:
        return self._session.request("getitem", obj=self, key=key)

    def __len__(self) -> int:
        try:
            n = self._session.request("len", obj=self)
        except RemoteError as e:
            if e.ename == "TypeError":  # lets list()/len() fall back the way they do for local objects
                raise TypeError(e.evalue) from None
            raise
        if type(n) is not int or n < 0:
            raise TypeError("len() geçersiz bir değer döndürdü")
        return n

    def __iter__(self):
        items = self._session.request("iter", obj=self, limit=100_000)
        if type(items) is not list:
            raise TypeError("yinelenemeyen nesne")
        return iter(items)

    def __bool__(self) -> bool:
        raise TypeError(f"{self._type_name} nesnesinin doğruluk değeri yok (bir sayı/dizi bekleniyordu)")

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    __hash__ = object.__hash__

    def __array__(self, *a: Any, **k: Any) -> Any:
        raise TypeError(f"{self._type_name} bir diziye çevrilemez")

    def __float__(self) -> float:
        raise TypeError(f"{self._type_name} bir sayıya çevrilemez")

    __int__ = __index__ = __complex__ = __float__  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{self._type_name} object>"  # as Python shows an object; no grader-internal names


# Modules a test may receive in place of the student's: the grader imports its own copy.
_MODULE_ALLOW = {"numpy", "pandas", "torch", "scipy", "sklearn", "matplotlib", "math", "cmath", "random",
                 "statistics", "collections", "itertools", "functools", "operator", "re", "string", "json",
                 "datetime", "decimal", "fractions", "copy", "heapq", "bisect", "time"}

# Conventional names a test parameter or a doctest global uses for a module.
MODULE_ALIASES = {"np": "numpy", "numpy": "numpy", "pd": "pandas", "pandas": "pandas", "torch": "torch",
                  "nn": "torch.nn", "F": "torch.nn.functional", "math": "math", "random": "random",
                  "scipy": "scipy", "sp": "scipy", "stats": "scipy.stats", "plt": "matplotlib.pyplot",
                  "collections": "collections", "itertools": "itertools", "statistics": "statistics",
                  "re": "re", "json": "json", "sklearn": "sklearn"}


def grader_module(name: Any) -> types.ModuleType | None:
    """The grader's own module called ``name``, if it is one a test may be given; else None."""
    if type(name) is not str or not all(part.isidentifier() for part in name.split(".")):
        return None
    if name not in sys.modules and name.partition(".")[0] not in _MODULE_ALLOW:
        return None
    try:
        return importlib.import_module(name)
    except Exception:  # noqa: BLE001 - not installed here, or fails to import: keep the handle
        return None


def _write_back(mine: Any, theirs: Any) -> None:
    """Copy the sandbox's post-call state of a mutable argument into the test's own object."""
    if theirs is None or type(mine) is not type(theirs):
        return
    if type(mine) is list or type(mine) is bytearray:
        mine[:] = theirs
    elif type(mine) is dict or type(mine) is set:
        mine.clear()
        mine.update(theirs)
    elif type(mine).__name__ == "ndarray" and mine.shape == theirs.shape and mine.flags.writeable:
        mine[...] = theirs


class StandInMeta(type):
    """The type of a student class as the trusted side sees it. Calling it constructs an instance in
    the sandbox (the student's ``__init__`` runs there); the result crosses back as a stand-in."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        ref = cls._ag_class_ref
        if not isinstance(ref, Handle):
            raise TypeError(f"{cls.__qualname__} sınıfı burada oluşturulamaz")
        return ref(*args, **kwargs)

    def __repr__(cls) -> str:
        return f"<class '{cls.__qualname__}'>"


def _equal(a: Any, b: Any) -> bool:
    """Value equality that also holds for arrays and pandas objects inside attributes."""
    if type(a) is not type(b):
        return bool(a == b) if not hasattr(a, "shape") and not hasattr(b, "shape") else False
    if hasattr(a, "equals"):  # pandas
        return bool(a.equals(b))
    if hasattr(a, "shape") and hasattr(a, "dtype"):  # numpy / torch
        import numpy as np

        return a.shape == b.shape and bool(np.array_equal(np.asarray(a), np.asarray(b)))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return bool(a == b)


class StandIn:
    """An instance of a student class, on the trusted side: its attribute values (plain data) and a
    handle for its methods. Attribute reads see the current state (re-read after any call into
    student code); ``==`` compares class name and attribute values when the class defines ``__eq__``
    (dataclasses do), identity otherwise, as Python would; the student's ``__eq__`` itself never
    runs (it could say True to anything)."""

    def _ag_state(self) -> dict:
        session = type(self)._ag_session
        if object.__getattribute__(self, "_ag_epoch") != session.epoch:
            fresh = session.request("getattr", obj=object.__getattribute__(self, "_ag_ref"), name="__dict__")
            if type(fresh) is dict:
                object.__setattr__(self, "_ag_attrs", fresh)
            object.__setattr__(self, "_ag_epoch", session.epoch)
        return object.__getattribute__(self, "_ag_attrs")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_ag_") or (name.startswith("__") and name.endswith("__")):
            raise AttributeError(name)
        attrs = self._ag_state()
        if name in attrs:
            return attrs[name]
        return getattr(object.__getattribute__(self, "_ag_ref"), name)  # a method: runs in the sandbox

    def __setattr__(self, name: str, value: Any) -> None:
        raise TypeError("öğrenci nesnelerine yazılamaz / student objects are read-only here")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StandIn) or type(other).__qualname__ != type(self).__qualname__:
            return NotImplemented
        by_value, oid = object.__getattribute__(self, "_ag_eq")
        if not by_value:  # the class has no __eq__: identity, like Python (the kernel's object id)
            return oid == object.__getattribute__(other, "_ag_eq")[1]
        a, b = self._ag_state(), other._ag_state()
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)

    def __hash__(self) -> int:
        by_value, oid = object.__getattribute__(self, "_ag_eq")
        return hash(type(self).__qualname__) if by_value else hash(oid)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return object.__getattribute__(self, "_ag_ref")(*args, **kwargs)

    def __getitem__(self, key: Any) -> Any:
        return object.__getattribute__(self, "_ag_ref")[key]

    def __len__(self) -> int:
        return len(object.__getattribute__(self, "_ag_ref"))

    def __iter__(self):
        return iter(object.__getattribute__(self, "_ag_ref"))

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        attrs = ", ".join(f"{k}={v!r}" for k, v in list(self._ag_state().items())[:20])
        return f"{type(self).__qualname__}({attrs})"


class Session:
    """A started sandboxed kernel: execute cells, fetch names, call handles."""

    def __init__(self, limits: Limits, public_files: list[Path],
                 call_timeout: float = 30.0, max_message_mb: int = 256, scratch_root: Path | None = None,
                 process_factory: Callable[..., SandboxProcess] = SandboxProcess) -> None:
        self.limits = limits
        self.call_timeout: contextvars.ContextVar[float] = contextvars.ContextVar("call_timeout", default=call_timeout)
        self.max_bytes = max_message_mb * 1024 * 1024
        self._slot = Slot.acquire()
        self.scratch_parent = Path(tempfile.mkdtemp(prefix="ag-scratch-", dir=scratch_root))
        self.scratch = self.scratch_parent / "work"
        self.scratch.mkdir()
        self.scratch_parent.chmod(0o755)
        for f in public_files:
            shutil.copy2(f, self.scratch / f.name)
        self.proc = process_factory(self.scratch, limits, slot=self._slot.index)
        self.dead = False
        self.info: dict = {}
        self.cpu_seconds = 0.0  # CPU time the kernel reports for the cells it ran (informational)
        # time.monotonic() by which the whole submission must end; every call's timeout is clipped
        # to it, so no sequence of slow student objects can outlast the submission's limit.
        self.deadline: float | None = None
        self.epoch = 0  # bumped by every call into student code: stand-in snapshots may be stale after it
        self._standins: dict[str, type] = {}

    # ------------------------------------------------------------------ lifecycle
    def start(self, timeout: float = 60.0) -> "Session":
        self.proc.start()
        self.info = self._receive(timeout)
        if not isinstance(self.info, dict):
            raise KernelDied("kernel sent a malformed greeting")
        return self

    @property
    def protections(self):
        return self.proc.protections

    def close(self) -> None:
        if self.proc.alive() and not self.dead:
            try:
                codec.send_frame(self.proc.sock, {"op": "bye"}, [])
            except OSError:
                pass
        self.proc.kill()
        self.dead = True
        shutil.rmtree(self.scratch_parent, ignore_errors=True)
        self._slot.release()

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ------------------------------------------------------------------ transport
    def _fail(self, why: str) -> KernelDied:
        self.dead = True
        self.proc.kill()
        return KernelDied(why)

    def _receive(self, timeout: float) -> Any:
        sock = self.proc.sock
        if sock is None or self.dead:
            raise KernelDied("kernel is not running")
        sock.settimeout(timeout)
        try:
            header, blobs = codec.recv_frame(sock, self.max_bytes)
        except socket.timeout:
            self.dead = True
            self.proc.kill()
            raise CallTimeout(f"no answer within {timeout:.0f} s") from None
        except (EOFError, OSError) as e:
            raise self._fail(f"kernel exited ({e})") from None
        except (codec.ProtocolError, ValueError) as e:
            raise self._fail(f"protocol violation: {e}") from None
        finally:
            if sock.fileno() != -1:
                sock.settimeout(None)
        if type(header) is not dict or type(header.get("ok")) is not bool:
            raise self._fail("protocol violation: malformed reply")
        if not header["ok"]:
            ename, evalue = header.get("ename"), header.get("evalue")
            tb = header.get("traceback", "")
            if type(ename) is not str or type(evalue) is not str or type(tb) is not str:
                raise self._fail("protocol violation: malformed error")
            if ename == "KeyboardInterrupt":
                raise CallTimeout("time limit reached inside the kernel")
            raise RemoteError(ename[:200], evalue[:2000], tb[-4000:])
        try:
            value = codec.decode(header.get("value"), blobs, self._make_handle)
        except (codec.ProtocolError, RecursionError, ValueError, TypeError, OverflowError, MemoryError) as e:
            raise self._fail(f"protocol violation: {type(e).__name__}: {str(e)[:200]}") from None
        self._last_header = header
        return value

    def _make_handle(self, tree: dict) -> Any:
        if tree.get("t") == "class":
            return self._standin_type(tree["name"], tree["handle"])
        if tree.get("t") == "instance":
            cls = self._standin_type(tree["name"], None)
            obj = object.__new__(cls)
            object.__setattr__(obj, "_ag_ref", tree["handle"])
            object.__setattr__(obj, "_ag_attrs", tree["attrs"])
            object.__setattr__(obj, "_ag_epoch", self.epoch)
            object.__setattr__(obj, "_ag_eq", (tree.get("eq", True), tree.get("oid", 0)))
            return obj
        hid, tname = tree.get("id"), tree.get("type")
        if tree.get("t") != "handle" or type(hid) is not int or type(tname) is not str:
            raise codec.ProtocolError("malformed handle")
        module = grader_module(tree.get("module")) if tname == "builtins.module" else None
        if module is not None:
            return module  # a test must never call the student's (patchable) numpy
        return Handle(self, hid, tname[:300], bool(tree.get("callable")))

    def _standin_type(self, qualname: str, handle: Any) -> type:
        """One trusted stand-in type per student class name and session, so that an instance that
        crossed and the class the test received are the same type for ``isinstance``."""
        cls = self._standins.get(qualname)
        if cls is None:
            cls = StandInMeta(qualname.rpartition(".")[2] or "Nesne", (StandIn,),
                              {"__module__": "__main__", "__qualname__": qualname, "_ag_class_ref": None,
                               "_ag_session": self})
            self._standins[qualname] = cls
        if isinstance(handle, Handle):
            type.__setattr__(cls, "_ag_class_ref", handle)
        return cls

    def _encode_ref(self, obj: Any) -> dict:
        if isinstance(obj, StandIn):
            obj = object.__getattribute__(obj, "_ag_ref")
        elif isinstance(obj, StandInMeta) and isinstance(obj._ag_class_ref, Handle):
            obj = obj._ag_class_ref
        if isinstance(obj, Handle):
            if obj._session is not self:
                raise TypeError("handle from another submission")
            return {"t": "ref", "id": obj._id}
        raise TypeError(f"{type(obj).__name__} öğrenci koduna gönderilemez (yalnızca düz veri ve tutamaçlar)")

    def request(self, op: str, *, timeout: float | None = None, **kwargs: Any) -> Any:
        if self.dead:
            raise KernelDied("kernel is not running")
        blobs: list[bytes] = []
        args = codec.encode(kwargs, blobs, self._encode_ref)
        limit = self.clip(self.call_timeout.get() if timeout is None else timeout)
        try:
            codec.send_frame(self.proc.sock, {"op": op, "args": args, "timeout": limit}, blobs)
        except OSError as e:
            raise self._fail(f"kernel exited ({e})") from None
        # The kernel interrupts itself at `limit`; we give it a grace period before killing it.
        return self._receive(limit + self._grace())

    def clip(self, timeout: float) -> float:
        """``timeout`` cut to what is left before the submission's deadline; CallTimeout if nothing is."""
        if self.deadline is None:
            return timeout
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise CallTimeout("submission time limit reached")
        return min(timeout, left)

    def _grace(self) -> float:
        """How long past a call's limit to wait for the kernel's own interrupt before killing it."""
        if self.deadline is None:
            return 5.0
        return max(1.0, min(5.0, self.deadline + 5.0 - time.monotonic()))

    # ------------------------------------------------------------------ operations
    def exec_cell(self, source: str, timeout: float) -> dict:
        """Run one cell; returns {"error": {...}} or {} (output is kept for debugging)."""
        if self.dead:
            raise KernelDied("kernel is not running")
        timeout = self.clip(timeout)
        try:
            codec.send_frame(self.proc.sock, {"op": "exec", "source": source, "timeout": timeout}, [])
        except OSError as e:
            raise self._fail(f"kernel exited ({e})") from None
        self._receive(timeout + self._grace())
        header = self._last_header
        cpu = header.get("cpu")
        self.cpu_seconds += cpu if type(cpu) is float and 0 <= cpu < 1e6 else 0.0
        err = header.get("error")
        if err is not None:
            if type(err) is not dict or not all(type(err.get(k)) is str for k in ("ename", "evalue")):
                raise self._fail("protocol violation: malformed cell error")
            return {"error": {k: str(err.get(k, ""))[:4000] for k in ("ename", "evalue", "traceback")}}
        return {}

    def call(self, fn: Handle, args: tuple, kwargs: dict) -> Any:
        """Call a student function. What it prints is written to this process's ``sys.stdout`` (so a
        doctest or ``redirect_stdout`` in the test sees it), and in-place changes it made to a list,
        dict, set or array argument are copied back into the test's object."""
        self.epoch += 1
        reply = self.request("call", fn=fn, args=list(args), kwargs=kwargs, report=True)
        if type(reply) is not dict or set(reply) != {"value", "output", "args", "kwargs"}:
            raise self._fail("protocol violation: malformed call reply")
        output, after, kw_after = reply["output"], reply["args"], reply["kwargs"]
        if type(output) is not str or type(after) is not list or len(after) != len(args) or type(kw_after) is not dict:
            raise self._fail("protocol violation: malformed call reply")
        if output:
            sys.stdout.write(output)
        for mine, theirs in zip(args, after):
            _write_back(mine, theirs)
        for k, theirs in kw_after.items():
            if k in kwargs:
                _write_back(kwargs[k], theirs)
        return reply["value"]

    def names(self) -> set[str]:
        names = self.request("names")
        if type(names) is not list or not all(type(n) is str for n in names):
            raise self._fail("protocol violation: names")
        return set(names)

    def get(self, name: str) -> Any:
        return self.request("get", name=name)

    def helper(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        source = textwrap.dedent(inspect.getsource(fn))
        name = fn.__name__

        def call(*args: Any, **kwargs: Any) -> Any:
            return self.request("helper", source=source, name=name, args=list(args), kwargs=kwargs)

        return call

    def snapshot(self) -> None:
        self.request("snapshot")

    def restore(self) -> None:
        self.request("restore")

