"""Start the sandboxed kernel process with the strongest isolation this machine offers.

Isolation is layered, and each layer reports whether it is on:

- mounts: bubblewrap builds an empty root with only the Python runtime (read-only), the worker
  and a scratch folder holding the submission and the week's public files; tests, solutions,
  the build folder and other submissions do not exist inside. bubblewrap (Flatpak's sandbox) is
  chosen over hand-rolled ``unshare`` because it builds the mount tree from an allow-list and is
  a small, audited setuid-free tool.
- network / pid / ipc: new namespaces (bubblewrap), so only a down loopback device exists and
  the whole process tree dies with the sandbox.
- user: the kernel runs as an unprivileged uid (one per parallel slot) when the grader is root.
- limits: rlimits for address space, CPU time, file size and process count; wall-clock limits
  are enforced by the trusted side, which kills the process group.
- cgroup: a control group per kernel (``sandbox.cgroups``) limits memory and processes over the
  kernel's whole tree and gives the tree one process's CPU weight; removed when the kernel ends.
- seccomp: a system-call filter (``sandbox.seccomp``) compiled by libseccomp, handed to bubblewrap
  (``--seccomp FD``), so it is in force from the kernel's first instruction.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.sandbox import seccomp
from autograder.sandbox.cgroups import CgroupError, KernelGroup, hierarchy

RUNTIME_DIR = "/opt/grader-rt"
PUBLIC_DIR = f"{RUNTIME_DIR}/public"  # the fork server's copy of the public files
HOME = "/home/student"
WORKDIR = "/home/student/work"
BASE_UID = 61000
_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 4096
    cpu_seconds: int = 600
    file_mb: int = 64
    max_processes: int = 64
    scratch_mb: int = 256


@dataclass
class Protections:
    """Which isolation layers are active for one sandbox (shown in reports)."""

    mounts: bool = False
    network: bool = False
    pid_namespace: bool = False
    unprivileged_user: bool = False
    rlimits: bool = False
    seccomp: bool = False  # the system-call filter of sandbox.seccomp
    cgroup: bool = False  # memory / pids / CPU limits over the kernel's whole process tree
    notes: list[str] = field(default_factory=list)

    LAYERS = ("mounts", "network", "pid_namespace", "unprivileged_user", "rlimits", "seccomp", "cgroup")

    def off(self) -> list[str]:
        return [k for k in self.LAYERS if not getattr(self, k)]


def kernel_group(slot: int, limits: Limits, p: Protections) -> KernelGroup | None:
    """A control group for one kernel, or None (and ``p.cgroup`` off, with the reason) where this
    machine or user cannot make one."""
    h = hierarchy()
    if h is None:
        p.notes.append("no usable cgroup hierarchy (needs root or delegation): memory and process "
                       "limits are per process only")
        return None
    try:
        g = KernelGroup.create(h, slot, limits.memory_mb, limits.max_processes)
    except CgroupError as e:
        p.notes.append(f"cgroup unavailable: {e}")
        return None
    p.cgroup = True
    return g


def seccomp_program(p: Protections) -> bytes | None:
    """The compiled system-call filter, or None (and ``p.seccomp`` off) where libseccomp is missing."""
    if not seccomp.available():
        p.notes.append("libseccomp unavailable: no system-call filter")
        return None
    p.seccomp = True
    return seccomp.bpf_program()


def _bwrap_works() -> bool:
    exe = shutil.which("bwrap")
    if not exe:
        return False
    try:
        r = subprocess.run([exe, "--unshare-net", "--unshare-pid", "--ro-bind", "/", "/", "true"],
                           capture_output=True, timeout=10)
        return r.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


_BWRAP_OK: bool | None = None


def bwrap_available() -> bool:
    global _BWRAP_OK
    if _BWRAP_OK is None:
        _BWRAP_OK = _bwrap_works() and os.environ.get("AUTOGRADER_NO_BWRAP") != "1"
    return _BWRAP_OK


def _ancestors(path: str) -> list[str]:
    parts = Path(path).parts[1:-1]
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


def _python_roots() -> list[str]:
    roots = {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)}
    exe = os.path.realpath(sys.executable)
    roots.add(str(Path(exe).parent.parent))
    # A venv's bin/python may be a symlink chain through other installs (pyenv shims).
    link = Path(sys.prefix) / "bin" / "python"
    while link.is_symlink():
        target = Path(os.path.join(link.parent, os.readlink(link)))
        roots.add(str(target.parent.parent.resolve()) if target.exists() else str(target.parent.parent))
        link = target
    return sorted(r for r in roots if not r.startswith("/usr") and r != "/")


def _bwrap_argv(scratch: Path, uid: int | None, python: str, fd: int, scratch_mb: int,
                zygote: bool = False, seccomp_fd: int | None = None) -> list[str]:
    """bubblewrap's command line for one kernel or, with ``zygote``, for a fork server whose
    children set up the kernel's working folder themselves (``sandbox/zygote.py``)."""
    argv = ["bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session",
            "--ro-bind", "/usr", "/usr"]
    for name in ("lib", "lib64", "bin", "sbin"):
        p = Path("/") / name
        if p.is_symlink():
            argv += ["--symlink", os.readlink(p), str(p)]
        elif p.exists():
            argv += ["--ro-bind", str(p), str(p)]
    made: set[str] = set()

    def bind(src: str, dst: str, mode: str = "--ro-bind") -> None:
        for anc in _ancestors(dst):
            if anc not in made and anc not in ("/usr", "/lib", "/lib64", "/bin", "/sbin"):
                argv.extend(["--perms", "0755", "--dir", anc])
                made.add(anc)
        argv.extend([mode, src, dst])

    # The kernel's writable folders first: a later bind (e.g. a venv that lives under /tmp) must
    # land on top of them, not be hidden by them.
    size = str(scratch_mb * 1024 * 1024)
    argv += ["--proc", "/proc", "--dev", "/dev", "--perms", "01777", "--size", size, "--tmpfs", "/dev/shm",
             "--perms", "01777", "--size", size, "--tmpfs", "/tmp"]
    made.add("/tmp")
    for root in _python_roots():
        bind(root, root)
    bind(str(_HERE / "worker.py"), f"{RUNTIME_DIR}/worker.py")
    bind(str(_HERE / "codec.py"), f"{RUNTIME_DIR}/codec.py")
    # The working folder is a size-limited tmpfs (nothing the kernel writes reaches the host's
    # disk); the week's public files are bound into it read-only.
    argv += ["--perms", "0755", "--dir", HOME, "--perms", "01777", "--size", size, "--tmpfs", WORKDIR]
    if zygote:
        # Root with just what isolating a child takes: mounts and namespaces, the uid drop, and
        # dropping the child's capability bounding set. Student code never runs with these.
        bind(str(_HERE / "zygote.py"), f"{RUNTIME_DIR}/zygote.py")
        bind(str(scratch), PUBLIC_DIR)
        # Not --die-with-parent: its signal comes when the *thread* that started bubblewrap ends
        # (a short-lived worker thread), which would kill every kernel the zygote serves. The
        # zygote exits instead when its control socket closes, i.e. when this process is gone.
        argv.remove("--die-with-parent")
        # A child mounts a fresh /tmp and /dev/shm, hiding a Python runtime that lives there (a venv
        # under /tmp): it binds such runtimes back from a second copy of the bind, kept here.
        hidden = [r for r in _python_roots() if any(Path(r).is_relative_to(d) for d in ("/tmp", "/dev/shm"))]
        for i, root in enumerate(hidden):
            bind(root, f"{RUNTIME_DIR}/roots/{i}")
        return argv + ["--chdir", "/", "--cap-add", "CAP_SYS_ADMIN,CAP_SETUID,CAP_SETGID,CAP_SETPCAP", "--",
                       python, "-E", "-s", "-B", f"{RUNTIME_DIR}/zygote.py", str(fd), json.dumps(hidden)]
    for f in sorted(scratch.iterdir()):
        argv += ["--ro-bind", str(f), f"{WORKDIR}/{f.name}"]
    argv += ["--chdir", WORKDIR]
    if seccomp_fd is not None:
        argv += ["--seccomp", str(seccomp_fd)]  # loaded by bubblewrap right before it execs the kernel
    if uid is not None:
        argv += ["--cap-add", "CAP_SETUID,CAP_SETGID", "--",
                 "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                 "--inh-caps=-all", "--bounding-set=-all"]
    else:
        argv += ["--"]
    return argv + [python, "-E", "-s", "-B", f"{RUNTIME_DIR}/worker.py", str(fd)]


def _env() -> dict[str, str]:
    # AUTOGRADER_RUN tags a run's kernels (tests use it to find leftovers of their own run only).
    return {"AUTOGRADER_RUN": os.environ.get("AUTOGRADER_RUN", ""),
        "HOME": "/tmp", "USER": "student", "IPYTHONDIR": "/tmp/ipython", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin",
        "MPLBACKEND": "Agg", "MPLCONFIGDIR": "/tmp/mpl", "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0", "TORCHINDUCTOR_CACHE_DIR": "/tmp/inductor",
    }


class SandboxProcess:
    """One sandboxed kernel process and the trusted end of its socket."""

    def __init__(self, scratch: Path, limits: Limits, slot: int = 0) -> None:
        self.scratch = scratch
        self.limits = limits
        self.protections = Protections()
        self.proc: subprocess.Popen | None = None
        self.sock: socket.socket | None = None
        self.slot = slot
        self.group: KernelGroup | None = None

    def start(self) -> None:
        parent, child = socket.socketpair()
        is_root = os.geteuid() == 0
        uid = BASE_UID + self.slot if is_root else None
        python = os.path.join(sys.prefix, "bin", "python")
        p = self.protections
        env = _env()
        prog = seccomp_program(p)
        self.group = kernel_group(self.slot, self.limits, p)
        cgroup_fds = self.group.procs_fds() if self.group is not None else []
        seccomp_fd = seccomp.program_fd() if prog is not None and bwrap_available() else None
        if bwrap_available():
            argv = _bwrap_argv(self.scratch, uid, python, child.fileno(), self.limits.scratch_mb,
                               seccomp_fd=seccomp_fd)
            p.mounts = p.network = p.pid_namespace = True
            p.unprivileged_user = uid is not None or not is_root
        else:
            # Fallback without bubblewrap: own session, rlimits, and a dropped uid when root.
            p.notes.append("bubblewrap unavailable: no mount, network or pid isolation")
            argv = [python, "-E", "-s", "-B", str(_HERE / "worker.py"), str(child.fileno())]
            env["PYTHONPATH"] = str(_HERE)
            p.unprivileged_user = not is_root or uid is not None
            if uid is not None:
                os.chown(self.scratch, uid, uid)
                for f in self.scratch.rglob("*"):
                    os.chown(f, uid, uid, follow_symlinks=False)
        limits = self.limits
        drop_uid = uid if (uid is not None and not bwrap_available()) else None

        def preexec() -> None:
            for fd in cgroup_fds:  # join the kernel's groups before anything else runs
                os.write(fd, b"0")
            mem = limits.memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
            resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
            fsz = limits.file_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsz, fsz))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            if uid is not None or not is_root:
                # Counted per real uid: each parallel slot has its own uid, so this caps the tree.
                resource.setrlimit(resource.RLIMIT_NPROC, (limits.max_processes, limits.max_processes))
            if drop_uid is not None:
                os.setgroups([])
                os.setgid(drop_uid)
                os.setuid(drop_uid)
            if prog is not None and seccomp_fd is None:
                seccomp.load_in_this_process()  # without bubblewrap: the filter survives the exec

        p.rlimits = True
        try:
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                # The kernel's own stderr is noise (or a flood) in production; keep it for debugging.
                stderr=None if os.environ.get("AUTOGRADER_SANDBOX_DEBUG") else subprocess.DEVNULL,
                env=env, cwd=str(self.scratch), preexec_fn=preexec,
                pass_fds=(child.fileno(),) + ((seccomp_fd,) if seccomp_fd is not None else ()),
                start_new_session=True,
            )
        except BaseException:
            if self.group is not None:
                self.group.remove()
            raise
        finally:
            child.close()
            for fd in cgroup_fds + ([seccomp_fd] if seccomp_fd is not None else []):
                os.close(fd)
        self.sock = parent

    def oom_kills(self) -> int | None:
        """Processes of this kernel the OOM killer ended (None without a cgroup)."""
        return self.group.oom_kills() if self.group is not None else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            self._kill_slot_uid()
        if self.group is not None:
            self.group.remove()  # also kills what a non-root kernel left behind (no slot uid then)

    def _kill_slot_uid(self) -> None:
        if os.geteuid() == 0:
            kill_uid(BASE_UID + self.slot)


def kill_uid(uid: int) -> None:
    """Kill whatever still runs under a slot's uid and wait until it is gone.

    Killing bubblewrap tears the pid namespace down asynchronously, and without a pid namespace a
    process may have escaped the session; either way the slot (and its uid's process limit) is
    only free for the next sandbox once nothing of this one is left.
    """
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = False
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                if os.stat(f"/proc/{pid}").st_uid != uid:
                    continue
                with open(f"/proc/{pid}/stat", "rb") as fh:
                    if fh.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                        continue  # a zombie holds no resources; its parent reaps it
                found = True
                os.kill(int(pid), signal.SIGKILL)
            except (FileNotFoundError, ProcessLookupError, PermissionError, IndexError):
                pass
        if not found:
            return
        time.sleep(0.02)
