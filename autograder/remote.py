"""The trusted end of the channel: a kernel session and opaque handles to student objects.

Every reply is decoded strictly (``sandbox.codec``): plain data arrives by value as genuine
Python/numpy/torch objects built here; anything else is a :class:`Handle`. A handle forwards only
explicit operations (call, attribute, item, len, iteration) through the channel, and refuses the
implicit ones a forged answer would rely on (truth value, ``==``, arithmetic, array conversion).
No student code ever runs in this process.
"""

from __future__ import annotations

import contextvars
import inspect
import shutil
import socket
import tempfile
import textwrap
import time
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
        return self._session.request("call", fn=self, args=list(args), kwargs=kwargs)

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
        return f"<öğrenci nesnesi: {self._type_name}>"


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

    def _make_handle(self, tree: dict) -> Handle:
        hid, tname = tree.get("id"), tree.get("type")
        if tree.get("t") != "handle" or type(hid) is not int or type(tname) is not str:
            raise codec.ProtocolError("malformed handle")
        return Handle(self, hid, tname[:300], bool(tree.get("callable")))

    def _encode_ref(self, obj: Any) -> dict:
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

