"""The sandboxed kernel: executes a student's cells and answers channel requests.

Runs inside the sandbox as an unprivileged process, started as ``python worker.py FD`` with
``codec.py`` next to it; FD is a socket to the trusted grader. Nothing here is trusted once
student code has run: the grader treats every reply as untrusted data. This file therefore only
needs to be *useful* (fast, correct for honest notebooks), not tamper-proof.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import sys
import time
import traceback
import types

import codec

MAX_OUTPUT = 16 * 1024


class _BoundedWriter(io.TextIOBase):
    """stdout/stderr replacement that keeps the first MAX_OUTPUT characters of a cell."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        if self.size < MAX_OUTPUT:
            s2 = s[: MAX_OUTPUT - self.size]
            self.parts.append(s2)
            self.size += len(s2)
        return len(s)

    def take(self) -> str:
        out = "".join(self.parts)
        self.parts, self.size = [], 0
        return out


def _install_otter_stub() -> None:
    """`import otter` / `grader.check(...)` in a submission become harmless no-ops here."""

    class Notebook:
        def __init__(self, *a, **k) -> None:
            pass

        def __getattr__(self, name):
            return lambda *a, **k: None

    mod = types.ModuleType("otter")
    mod.Notebook = Notebook
    sys.modules["otter"] = mod


def _preload() -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    import numpy  # noqa: F401

    try:
        import torch

        torch.set_num_threads(1)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:
            pass
    except ImportError:
        pass
    try:
        import sklearn.datasets  # noqa: F401  (most weeks use it; importing now keeps grading fast)
    except ImportError:
        pass


class Worker:
    def __init__(self, sock) -> None:
        self.sock = sock
        self.handles: dict[int, object] = {}
        self.next_id = 1
        self.snapshot: dict | None = None
        from IPython.core.interactiveshell import InteractiveShell

        self.shell = InteractiveShell.instance()
        self.shell.showtraceback = self._record_traceback  # keep tracebacks for the reply
        self.last_error: tuple[str, str, str] | None = None
        self.out = _BoundedWriter()

    # ------------------------------------------------------------------ values
    def _to_handle(self, obj: object) -> dict:
        hid = self.next_id
        self.next_id += 1
        self.handles[hid] = obj
        t = type(obj)
        out = {"t": "handle", "id": hid, "type": f"{t.__module__}.{t.__qualname__}", "callable": callable(obj)}
        if isinstance(obj, types.ModuleType) and isinstance(getattr(obj, "__name__", None), str):
            out["module"] = obj.__name__[:200]  # the grader substitutes its own copy of that module
        return out

    def _from_ref(self, tree: dict) -> object:
        return self.handles[tree["id"]]

    def _reply(self, ok: bool, value: object = None, **extra) -> None:
        blobs: list[bytes] = []
        msg = {"ok": ok, **extra}
        if ok:
            msg["value"] = codec.encode(value, blobs, self._to_handle)
        codec.send_frame(self.sock, msg, blobs)

    def _record_traceback(self, *args, **kwargs) -> None:
        etype, value, tb = sys.exc_info()
        if etype is None:
            return
        text = "".join(traceback.format_exception(etype, value, tb))
        self.last_error = (etype.__name__, str(value)[:2000], text[-4000:])

    # ------------------------------------------------------------------ ops
    def op_exec(self, source: str, timeout: float) -> None:
        self.last_error = None
        cpu0 = time.process_time()
        _arm(timeout)
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = self.out
        try:
            result = self.shell.run_cell(source, store_history=False, silent=False)
        finally:
            sys.stdout, sys.stderr = saved
            _disarm()
        err = result.error_before_exec or result.error_in_exec
        output = self.out.take()
        cpu = time.process_time() - cpu0
        if err is None:
            self._reply(True, None, output=output, cpu=cpu)
            return
        ename, evalue, tb = self.last_error or (type(err).__name__, str(err)[:2000], "")
        self._reply(True, None, error={"ename": ename, "evalue": evalue, "traceback": tb}, output=output, cpu=cpu)

    def op_get(self, name: str) -> object:
        ns = self.shell.user_ns
        if name not in ns:
            raise NameError(f"name '{name}' is not defined")
        return ns[name]

    def op_names(self) -> list[str]:
        hidden = self.shell.user_ns_hidden
        return [k for k in self.shell.user_ns if not k.startswith("_") and k not in hidden]

    def op_getattr(self, obj: object, name: str) -> object:
        return getattr(obj, name)

    def op_getitem(self, obj: object, key: object) -> object:
        return obj[key]

    def op_call(self, fn, args: list, kwargs: dict, report: bool = False) -> object:
        if not report:
            return fn(*args, **kwargs)
        # What the call prints, and the arguments as the call left them (in-place changes to a list,
        # dict, set or array the test passed), go back with the result.
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = self.out
        try:
            value = fn(*args, **kwargs)
        finally:
            sys.stdout, sys.stderr = saved
        output = self.out.take()
        after = [a if _mutable(a) else None for a in args]
        kw_after = {k: v for k, v in kwargs.items() if _mutable(v)}
        return {"value": value, "output": output, "args": after, "kwargs": kw_after}

    def op_len(self, obj: object) -> int:
        return len(obj)

    def op_iter(self, obj: object, limit: int) -> list:
        out = []
        for i, v in enumerate(obj):
            if i >= limit:
                raise ValueError(f"more than {limit} items")
            out.append(v)
        return out

    def op_helper(self, source: str, name: str, args: list, kwargs: dict) -> object:
        ns: dict = {"__name__": "__grader_helper__"}
        exec(compile(source, "<grader helper>", "exec"), ns)
        return ns[name](*args, **kwargs)

    def op_snapshot(self) -> None:
        self.snapshot = dict(self.shell.user_ns)

    def op_restore(self) -> None:
        if self.snapshot is not None:
            self.shell.user_ns.clear()
            self.shell.user_ns.update(self.snapshot)

    def op_release(self, ids: list) -> None:
        for i in ids:
            self.handles.pop(i, None)

    # ------------------------------------------------------------------ loop
    def serve(self) -> None:
        self._reply(True, {"pid": os.getpid(), "uid": os.getuid(), "python": sys.version.split()[0]})
        while True:
            try:
                header, blobs = codec.recv_frame(self.sock)
            except EOFError:
                return
            op = header.get("op")
            if op == "bye":
                return
            if op == "exec":
                self.op_exec(header["source"], header.get("timeout", 0))
                continue
            try:
                kwargs = codec.decode(header.get("args", {"t": "dict", "v": []}), blobs, self._from_ref)
                fn = getattr(self, f"op_{op}")
                _arm(header.get("timeout", 0))
                try:
                    value = fn(**kwargs)
                finally:
                    _disarm()
            except BaseException as e:  # noqa: BLE001 - sys.exit and timeouts in student code included
                tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))[-4000:]
                codec.send_frame(self.sock, {"ok": False, "ename": type(e).__name__,
                                             "evalue": str(e)[:2000], "traceback": tb}, [])
                continue
            try:
                self._reply(True, value)
            except BaseException as e:  # noqa: BLE001 - encoding a weird object failed
                codec.send_frame(self.sock, {"ok": False, "ename": type(e).__name__,
                                             "evalue": f"result could not be sent: {e}"[:2000]}, [])


def _mutable(x: object) -> bool:
    if type(x) in (list, dict, set, bytearray):
        return True
    return type(x).__module__ == "numpy" and type(x).__name__ == "ndarray"


def _on_alarm(signum, frame):
    raise KeyboardInterrupt("time limit")


def _arm(timeout: float) -> None:
    if timeout and timeout > 0:
        signal.setitimer(signal.ITIMER_REAL, float(timeout))


def _disarm() -> None:
    signal.setitimer(signal.ITIMER_REAL, 0)


class _PipeChannel:
    """The channel over a pair of pipes (used in containers, where the channel is stdin/stdout)."""

    def __init__(self, rfd: int, wfd: int) -> None:
        self.rfd, self.wfd = rfd, wfd

    def recv(self, n: int) -> bytes:
        return os.read(self.rfd, n)

    def sendall(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.wfd, view):]


def _stdio_channel() -> _PipeChannel:
    """Move the channel off fds 0/1 so that student output cannot corrupt it by accident."""
    rfd, wfd = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    return _PipeChannel(rfd, wfd)


def prepare() -> None:
    """Everything a kernel sets up before its first cell (the fork server does it once for all)."""
    signal.signal(signal.SIGALRM, _on_alarm)
    codec.KERNEL_SIDE = True  # the notebook's own classes and their instances cross as data
    sys.path.insert(0, "")  # like Jupyter: the working folder (public files) is importable
    _install_otter_stub()
    _preload()


def main() -> None:
    arg = sys.argv[1]
    sock = _stdio_channel() if arg == "stdio" else socket.socket(fileno=int(arg))
    prepare()
    Worker(sock).serve()
    os._exit(0)


if __name__ == "__main__":
    main()
