"""The trusted side of the fork server (``sandbox/zygote.py``).

Starting a kernel costs seconds of CPU (interpreter, numpy, torch, IPython, scikit-learn), paid
again for every submission. The fork server pays it once: a sandboxed zygote imports everything,
then forks a child per submission that isolates itself (namespaces, fresh tmpfs folders, the
slot's unprivileged uid, no capabilities) before it runs any student code. A warm kernel then
costs a fork, and a batch job spends its CPU on grading.

Used by the local backend when the grader is root and bubblewrap works (CI, the Docker host, the
service); otherwise every kernel is its own bubblewrap process (``launcher.SandboxProcess``).
"""

from __future__ import annotations

import atexit
import base64
import hashlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from autograder.sandbox.cgroups import KernelGroup
from autograder.sandbox.launcher import (BASE_UID, Limits, Protections, SandboxProcess, _bwrap_argv, _env,
                                         bwrap_available, kernel_group, kill_uid, seccomp_program)

log = logging.getLogger(__name__)


class ForkServerError(RuntimeError):
    pass


class ForkServer:
    """One sandboxed zygote for one set of public files, in this process."""

    def __init__(self, public: Path, scratch_mb: int) -> None:
        self.public = public  # the server's own copy: a session's scratch folder goes away with it
        self.scratch_mb = scratch_mb
        self.proc: subprocess.Popen | None = None
        self.ctl: socket.socket | None = None
        self.lock = threading.Lock()

    def _start(self) -> None:
        self.close()  # what is left of a zygote that died
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        python = os.path.join(sys.prefix, "bin", "python")
        argv = _bwrap_argv(self.public, None, python, child.fileno(), self.scratch_mb, zygote=True)
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("AUTOGRADER_SANDBOX_DEBUG") else subprocess.DEVNULL,
            env=_env(), pass_fds=(child.fileno(),), start_new_session=True)
        child.close()
        self.ctl = parent
        hello = self._answer(timeout=180)
        if hello.get("threads") != 1:
            # fork() copies only the calling thread: a lock held by another would stay locked forever.
            self.close()
            raise ForkServerError(f"zygote runs {hello.get('threads')} threads; forking it is unsafe")

    def _answer(self, timeout: float) -> dict:
        assert self.ctl is not None
        self.ctl.settimeout(timeout)
        try:
            data = self.ctl.recv(65536)
        except (OSError, socket.timeout) as e:
            self.close()
            raise ForkServerError(f"fork server did not answer: {e}") from None
        if not data:
            self.close()
            raise ForkServerError("fork server exited")
        return json.loads(data)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None and self.ctl is not None

    def ensure_started(self) -> None:
        """Start the zygote unless it runs (raises ForkServerError if it cannot start)."""
        with self.lock:
            if not self.alive():
                self._start()

    def spawn(self, channel: socket.socket, uid: int, limits: Limits, cgroup_fds: list[int] = (),
              seccomp_program: bytes | None = None) -> int:
        """Fork a kernel that serves ``channel``, joins the groups of ``cgroup_fds`` (open
        ``cgroup.procs`` files) and loads ``seccomp_program``; returns its pid inside the zygote's
        namespace."""
        req = {"uid": uid, "scratch_bytes": limits.scratch_mb * 1024 * 1024,
               "limits": {"memory_mb": limits.memory_mb, "cpu_seconds": limits.cpu_seconds,
                          "file_mb": limits.file_mb, "max_processes": limits.max_processes},
               "seccomp": base64.b64encode(seccomp_program).decode() if seccomp_program else None}
        with self.lock:
            for attempt in (1, 2):  # a zygote that died (OOM, killed) is restarted once
                if not self.alive():
                    self._start()
                try:
                    socket.send_fds(self.ctl, [json.dumps(req).encode()], [channel.fileno(), *cgroup_fds])
                except OSError:
                    self.close()
                    if attempt == 2:
                        raise ForkServerError("fork server is gone") from None
                    continue
                reply = self._answer(timeout=60)
                if not reply.get("ok"):
                    raise ForkServerError(f"fork server could not start a kernel: {reply.get('error')}")
                return int(reply["pid"])
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.ctl is not None:
            self.ctl.close()
            self.ctl = None
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.proc.wait()
            self.proc = None


class ForkedProcess:
    """A kernel forked by the fork server; the same interface as ``launcher.SandboxProcess``."""

    def __init__(self, server: ForkServer, limits: Limits, slot: int) -> None:
        self.server, self.limits, self.slot = server, limits, slot
        self.sock: socket.socket | None = None
        self.group: KernelGroup | None = None
        self.protections = Protections(mounts=True, network=True, pid_namespace=True,
                                       unprivileged_user=True, rlimits=True, notes=["forked from a warm zygote"])

    def start(self) -> None:
        prog = seccomp_program(self.protections)
        self.group = kernel_group(self.slot, self.limits, self.protections)
        fds = self.group.procs_fds() if self.group is not None else []
        parent, child = socket.socketpair()
        try:
            self.server.spawn(child, BASE_UID + self.slot, self.limits, fds, prog)
        except BaseException:
            parent.close()
            self.kill()
            raise
        finally:
            child.close()
            for fd in fds:
                os.close(fd)
        self.sock = parent

    def oom_kills(self) -> int | None:
        """Processes of this kernel the OOM killer ended (None without a cgroup)."""
        return self.group.oom_kills() if self.group is not None else None

    def alive(self) -> bool:
        return self.sock is not None

    def kill(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        # The kernel is pid 1 of its own namespace, running as the slot's uid: killing that uid's
        # processes ends it and everything it started.
        kill_uid(BASE_UID + self.slot)
        if self.group is not None:
            self.group.remove()


_SERVERS: dict[str, ForkServer] = {}
_LOCK = threading.Lock()
_BROKEN: list[str] = []


def _server_for(scratch: Path, scratch_mb: int) -> ForkServer:
    """The fork server for these public files (by content), started on first use."""
    h = hashlib.sha256()
    for f in sorted(scratch.iterdir()):
        h.update(f.name.encode() + b"\0" + (f.read_bytes() if f.is_file() else b"") + b"\0")
    key = f"{h.hexdigest()}:{scratch_mb}"
    with _LOCK:
        server = _SERVERS.get(key)
        if server is None:
            copy = Path(tempfile.mkdtemp(prefix="ag-zygote-"))
            copy.chmod(0o755)
            for f in scratch.iterdir():
                (shutil.copytree if f.is_dir() else shutil.copy2)(f, copy / f.name)
            server = _SERVERS[key] = ForkServer(copy, scratch_mb)
    return server


def forkserver_usable() -> bool:
    return (os.geteuid() == 0 and bwrap_available() and not _BROKEN
            and os.environ.get("AUTOGRADER_NO_FORKSERVER") != "1")


def local_process(scratch: Path, limits: Limits, slot: int = 0) -> SandboxProcess | ForkedProcess:
    """The local backend's kernels: forked from a warm zygote where possible, else started afresh."""
    if forkserver_usable():
        server = _server_for(scratch, limits.scratch_mb)
        try:
            server.ensure_started()  # here, not in start(): a zygote that cannot start means no fork server
            return ForkedProcess(server, limits, slot)
        except ForkServerError as e:
            _BROKEN.append(str(e))
            log.warning("fork server unavailable, starting each kernel on its own: %s", e)
    return SandboxProcess(scratch, limits, slot)


def close_all() -> None:
    with _LOCK:
        servers = list(_SERVERS.values())
        _SERVERS.clear()
    for s in servers:
        s.close()
        shutil.rmtree(s.public, ignore_errors=True)


def _forget_in_child() -> None:
    # A forked grading process must not talk to its parent's zygotes over shared sockets (nor wait
    # on a lock another thread of the parent held at the fork).
    global _LOCK
    _SERVERS.clear()
    _LOCK = threading.Lock()


os.register_at_fork(after_in_child=_forget_in_child)
atexit.register(close_all)
