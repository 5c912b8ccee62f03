"""Per-kernel control groups: memory, process and CPU limits over a kernel's whole process tree.

rlimits are per process (RLIMIT_AS) or per uid (RLIMIT_NPROC), so a kernel that forks could hold
``memory_mb`` in every child. A control group counts the tree: every kernel gets its own group
with ``memory = memory_mb`` (swap included, so no swap), ``pids = max_processes`` and the CPU
weight of one ordinary process for the whole tree, so that a kernel running many busy processes or
threads cannot starve the grader (it counts as one process, not as many). The trusted grader creates the group before
the kernel starts, moves the kernel in before it runs student code, and kills what is left and
removes the group when the kernel ends.

Moving the kernel in: the grader opens each group's ``cgroup.procs`` and hands the open file to
the process that will become the kernel, which writes ``0`` ("the writing process") to it while
still in its setup code. For a fresh kernel that is the launcher's child between fork and exec;
for a forked kernel it is the fork server's child, which cannot see the host's cgroup file system
(or the host's pid numbers) but can write to a file the grader opened. Permission to write was
checked when the root grader opened the file.

Both hierarchies are supported. cgroup v1 (separate ``memory``, ``pids`` and ``cpu`` mounts):
groups are nested under the grader's own group of each controller
(``<mount>/<own path>/autograder/<name>``; for ``cpu`` directly under the grader's group, since
an intermediate group would make all kernels together weigh as one process), with
``memory.limit_in_bytes``,
``memory.memsw.limit_in_bytes`` where swap accounting exists (else ``memory.swappiness = 0``),
``pids.max`` and ``cpu.shares``. cgroup v2 (one unified mount with the ``memory`` and ``pids``
controllers): the no-internal-process rule forbids children of the grader's own (populated)
group, so groups live under ``<mount>/autograder/<name>`` with ``memory.max``,
``memory.swap.max = 0``, ``pids.max`` and ``cpu.weight``. Where neither is usable (not root, no
delegation, controllers missing) :func:`detect` returns None and kernels run without a group; the
result then lists the ``cgroup`` protection as off.
"""

from __future__ import annotations

import itertools
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

# The weight of one ordinary process (v1 default shares; v2 default weight). Lower would slow every
# kernel on a busy host, where cell time limits are wall-clock: measured on a 2-core machine at load
# 15, shares of 512 under a shared parent made a fork-bomb cell miss its 10 s limit.
CPU_SHARES = 1024
CPU_WEIGHT = 100
BASE = "autograder"
_COUNTER = itertools.count()
_LOCK = threading.Lock()


class CgroupError(OSError):
    """A group could not be created, limited or removed."""


@dataclass(frozen=True)
class Hierarchy:
    """Where this process may create kernel groups: ``dirs`` maps a v1 controller (or "unified"
    for v2) to the folder under which groups are made."""

    version: int
    dirs: dict[str, Path]


def _mounts(mountinfo: str) -> list[tuple[str, str, str, str]]:
    """(mount point, root inside the hierarchy, fs type, super options) of each cgroup mount."""
    out = []
    for line in Path(mountinfo).read_text().splitlines():
        pre, _, post = line.partition(" - ")
        fields, rest = pre.split(), post.split()
        if len(fields) >= 5 and len(rest) >= 3 and rest[0] in ("cgroup", "cgroup2"):
            out.append((fields[4].replace("\\040", " "), fields[3], rest[0], rest[2]))
    return out


def _own_paths(proc_cgroup: str) -> dict[str, str]:
    """Controller (or "" for v2) -> this process's group path, from /proc/self/cgroup."""
    out: dict[str, str] = {}
    for line in Path(proc_cgroup).read_text().splitlines():
        _hid, ctrls, path = line.split(":", 2)
        for c in ctrls.split(",") if ctrls else [""]:
            out[c] = path
    return out


def _relative(own: str, mount_root: str) -> str:
    own = own.removeprefix(mount_root) if mount_root != "/" and own.startswith(mount_root) else own
    return own.lstrip("/")


def detect(mountinfo: str = "/proc/self/mountinfo", proc_cgroup: str = "/proc/self/cgroup",
           check_access: bool = True) -> Hierarchy | None:
    """The hierarchy kernel groups go into, or None where this process cannot make groups."""
    if os.environ.get("AUTOGRADER_NO_CGROUPS") == "1":
        return None
    try:
        mounts, own = _mounts(mountinfo), _own_paths(proc_cgroup)
    except (OSError, ValueError):
        return None
    v1: dict[str, Path] = {}
    for point, root, fstype, opts in mounts:
        if fstype != "cgroup":
            continue
        for ctrl in ("memory", "pids", "cpu"):
            if ctrl in opts.split(",") and ctrl in own:
                v1[ctrl] = Path(point) / _relative(own[ctrl], root) / (BASE if ctrl != "cpu" else "")
    if "memory" in v1 and "pids" in v1:
        h = Hierarchy(1, v1)
    else:
        h = None
        for point, _root, fstype, _opts in mounts:
            if fstype == "cgroup2":
                ctrls = (Path(point) / "cgroup.controllers")
                try:
                    available = set(ctrls.read_text().split())
                except OSError:
                    continue
                if {"memory", "pids"} <= available:
                    h = Hierarchy(2, {"unified": Path(point) / BASE})
                    break
    if h is None:
        return None
    for d in h.dirs.values():
        if check_access and not os.access(d.parent if d.name == BASE else d, os.W_OK):
            return None
    return h


_HIERARCHY: list[Hierarchy | None] = []


def hierarchy() -> Hierarchy | None:
    """:func:`detect` for this machine, once per process."""
    with _LOCK:
        if not _HIERARCHY:
            _HIERARCHY.append(detect() if os.geteuid() == 0 else None)
        return _HIERARCHY[0]


def _write(path: Path, value: str) -> None:
    try:
        path.write_text(value)
    except OSError as e:
        raise CgroupError(e.errno, f"cannot write {value!r} to {path}: {e.strerror}") from None


def _write_optional(path: Path, value: str) -> None:
    """Write a control file that this kernel may not offer (a missing file is not an error)."""
    try:
        _write(path, value)
    except CgroupError:
        if path.exists():
            raise


@dataclass
class KernelGroup:
    """One kernel's group (one folder per v1 controller, or one v2 folder)."""

    hierarchy: Hierarchy
    name: str
    memory_mb: int
    max_processes: int
    dirs: dict[str, Path] = field(default_factory=dict)
    oom_kills_at_removal: int | None = None
    peak_bytes_at_removal: int | None = None

    @classmethod
    def create(cls, h: Hierarchy, slot: int, memory_mb: int, max_processes: int) -> "KernelGroup":
        """Make and limit the group (raises CgroupError; nothing is left behind on failure)."""
        name = f"ag-slot{slot}-{os.getpid()}-{next(_COUNTER)}"
        g = cls(h, name, memory_mb, max_processes)
        try:
            g._make()
        except OSError as e:
            g.remove()
            raise CgroupError(e.errno, f"cgroup {name}: {e}") from None
        return g

    def _make(self) -> None:
        mem = str(self.memory_mb * 1024 * 1024)
        if self.hierarchy.version == 2:
            base = self.hierarchy.dirs["unified"]
            if not base.exists():
                base.mkdir(exist_ok=True)
            # Children of the root and of our base group get the controllers (the root is exempt
            # from the no-internal-process rule; our base group never holds a process).
            wanted = {"memory", "pids"} | ({"cpu"} if "cpu" in (base.parent / "cgroup.controllers").read_text().split() else set())
            for parent in (base.parent, base):
                sub = parent / "cgroup.subtree_control"
                enabled = set(sub.read_text().split()) if sub.exists() else set()
                if not wanted <= enabled:
                    _write(parent / "cgroup.subtree_control", " ".join(f"+{c}" for c in sorted(wanted - enabled)))
            d = base / self.name
            d.mkdir()
            self.dirs["unified"] = d
            _write(d / "memory.max", mem)
            _write_optional(d / "memory.swap.max", "0")  # absent without swap accounting: no swap anyway
            _write(d / "pids.max", str(self.max_processes))
            _write_optional(d / "cpu.weight", str(CPU_WEIGHT))  # absent without the cpu controller
            return
        for ctrl, base in self.hierarchy.dirs.items():
            base.mkdir(exist_ok=True)  # (for cpu the grader's own group, which exists)
            d = base / self.name
            d.mkdir()
            self.dirs[ctrl] = d
        m = self.dirs["memory"]
        _write(m / "memory.limit_in_bytes", mem)
        if (m / "memory.memsw.limit_in_bytes").exists():
            _write(m / "memory.memsw.limit_in_bytes", mem)  # memory + swap = memory: no swap
        else:
            _write(m / "memory.swappiness", "0")
        _write(self.dirs["pids"] / "pids.max", str(self.max_processes))
        if "cpu" in self.dirs:
            _write(self.dirs["cpu"] / "cpu.shares", str(CPU_SHARES))

    def procs_fds(self) -> list[int]:
        """Write-only fds of each folder's ``cgroup.procs``; writing ``0`` to all of them moves the
        writer in. The caller closes them."""
        fds: list[int] = []
        try:
            for d in self.dirs.values():
                fds.append(os.open(d / "cgroup.procs", os.O_WRONLY | os.O_CLOEXEC))
        except OSError:
            for fd in fds:
                os.close(fd)
            raise
        return fds

    def _memdir(self) -> Path | None:
        return self.dirs.get("memory") or self.dirs.get("unified")

    def pids(self) -> list[int]:
        out: set[int] = set()
        for d in self.dirs.values():
            try:
                out.update(int(p) for p in (d / "cgroup.procs").read_text().split())
            except (OSError, ValueError):
                pass
        return sorted(out)

    def oom_kills(self) -> int:
        """Processes of this group the OOM killer ended so far."""
        if self.oom_kills_at_removal is not None:
            return self.oom_kills_at_removal
        d = self._memdir()
        name = "memory.oom_control" if self.hierarchy.version == 1 else "memory.events"
        try:
            for line in (d / name).read_text().splitlines():
                k, _, v = line.partition(" ")
                if k == "oom_kill":
                    return int(v)
        except (OSError, ValueError, TypeError):
            pass
        return 0

    def peak_bytes(self) -> int | None:
        """The group's highest memory use (v1 always; v2 from Linux 5.19)."""
        if self.peak_bytes_at_removal is not None:
            return self.peak_bytes_at_removal
        d = self._memdir()
        name = "memory.max_usage_in_bytes" if self.hierarchy.version == 1 else "memory.peak"
        try:
            return int((d / name).read_text().split()[0])
        except (OSError, ValueError, TypeError, IndexError):
            return None

    def remove(self, timeout: float = 10.0) -> None:
        """Kill every process left in the group, then delete it (idempotent)."""
        if not self.dirs:
            return
        if self.oom_kills_at_removal is None and self._memdir() is not None:
            self.oom_kills_at_removal = self.oom_kills()
            self.peak_bytes_at_removal = self.peak_bytes()
        deadline = time.monotonic() + timeout
        kill_file = self.dirs.get("unified", Path("/nonexistent")) / "cgroup.kill"
        while True:
            pids = self.pids()
            if not pids:
                break
            if kill_file.exists():
                try:
                    kill_file.write_text("1")
                except OSError:
                    pass
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            if time.monotonic() > deadline:
                raise CgroupError(f"cgroup {self.name}: processes {pids} survived SIGKILL")
            time.sleep(0.02)
        for ctrl, d in list(self.dirs.items()):
            for _ in range(100):  # the last task's exit may lag its removal from cgroup.procs
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)
            else:
                raise CgroupError(f"cannot remove {d}")
            del self.dirs[ctrl]
