"""Kernel-level containment (issue 13): the system-call filter and the per-kernel control group.

Live tests run hostile cells in real kernels, forked from the fork server and started afresh, and
need root, bubblewrap, libseccomp and a cgroup hierarchy (the grader's production set-up); they
skip elsewhere and must run in CI. Unit tests (the policy, the Docker profile, the cgroup v2 file
writes against a fake hierarchy) run everywhere. The same attacks graded through a whole batch
are in tests/test_redteam.py (``syscall_escape``, ``memory_two_children``).
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from redteam.attacks import SYSCALLS, TWO_CHILDREN

from autograder.remote import Session
from autograder.sandbox import cgroups, forkserver, seccomp
from autograder.sandbox.launcher import Limits, SandboxProcess
from autograder.sandbox.slots import Slot

LIVE = os.geteuid() == 0 and forkserver.forkserver_usable() and seccomp.available() and cgroups.hierarchy() is not None
if not LIVE and os.environ.get("CI"):
    raise RuntimeError("containment tests cannot be skipped in CI: they need root, bubblewrap, libseccomp and cgroups")
live = pytest.mark.skipif(not LIVE, reason="needs root, bubblewrap, libseccomp and a cgroup hierarchy")

FACTORIES = {"forked": forkserver.local_process, "fresh": SandboxProcess}


def _session(kind: str, limits: Limits = Limits()) -> Session:
    return Session(limits, [], process_factory=FACTORIES[kind])


def _run(s: Session, source: str, name: str, timeout: float = 60):
    res = s.exec_cell(source, timeout)
    assert "error" not in res, res
    return s.get(name)


# ------------------------------------------------------------------ unit: policy and profiles
def test_policy_covers_the_issue_list():
    denied = {r.syscall for r in seccomp.rules() if r.flag is None}
    for name in ("add_key", "keyctl", "request_key", "ptrace", "process_vm_readv", "process_vm_writev", "bpf",
                 "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
                 "mount", "unshare", "setns", "init_module", "finit_module", "kexec_load", "kexec_file_load"):
        assert name in denied
    flags = {r.flag for r in seccomp.rules() if r.syscall == "clone"}
    assert seccomp.CLONE_NEWUSER in flags and seccomp.CLONE_NEWNET in flags and None not in flags
    assert [r.errno for r in seccomp.rules() if r.syscall == "clone3"] == [errno.ENOSYS]
    assert all(r.errno == errno.EPERM for r in seccomp.rules() if r.syscall != "clone3")


def test_docker_profile_is_the_same_policy():
    prof = seccomp.docker_profile()
    assert prof["defaultAction"] == "SCMP_ACT_ALLOW"
    plain = {n: e["errnoRet"] for e in prof["syscalls"] if "args" not in e for n in e["names"]}
    assert plain == {r.syscall: r.errno for r in seccomp.rules() if r.flag is None}
    masked = sorted(e["args"][0]["value"] for e in prof["syscalls"] if "args" in e)
    assert masked == sorted(seccomp.NAMESPACE_FLAGS)
    assert all(e["args"][0]["op"] == "SCMP_CMP_MASKED_EQ" and e["args"][0]["valueTwo"] == e["args"][0]["value"]
               for e in prof["syscalls"] if "args" in e)
    json.dumps(prof)


@pytest.mark.skipif(not seccomp.available(), reason="libseccomp is not installed")
def test_program_is_compiled_by_libseccomp():
    prog = seccomp.bpf_program()
    assert len(prog) % 8 == 0 and len(prog) // 8 > len(seccomp.rules())


def test_cgroup_v2_files(tmp_path, monkeypatch):
    """The v2 path against a fake unified hierarchy: detection, the limit files, removal."""
    root = tmp_path / "cg"
    root.mkdir()
    (root / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    (root / "cgroup.subtree_control").write_text("\n")
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text(f"30 23 0:26 / {root} rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n")
    own = tmp_path / "cgroup"
    own.write_text("0::/user.slice/grader\n")
    h = cgroups.detect(str(mountinfo), str(own))
    assert h == cgroups.Hierarchy(2, {"unified": root / "autograder"})
    monkeypatch.setattr(Path, "write_text", _subtree_aware_write(Path.write_text))
    g = cgroups.KernelGroup.create(h, 3, 4096, 64)
    d = g.dirs["unified"]
    assert d.parent == root / "autograder" and d.name.startswith("ag-slot3-")
    assert (d / "memory.max").read_text() == str(4096 * 1024 * 1024)
    assert (d / "memory.swap.max").read_text() == "0"
    assert (d / "pids.max").read_text() == "64"
    assert (d / "cpu.weight").read_text() == str(cgroups.CPU_WEIGHT)
    assert set((root / "cgroup.subtree_control").read_text().split()) == {"cpu", "memory", "pids"}
    assert set((root / "autograder" / "cgroup.subtree_control").read_text().split()) == {"cpu", "memory", "pids"}
    (d / "memory.events").write_text("low 0\nhigh 0\nmax 7\noom 2\noom_kill 1\n")
    (d / "cgroup.procs").write_text("")
    assert g.oom_kills() == 1
    for f in d.iterdir():  # a real cgroup folder's files vanish with it; a tmp folder's do not
        f.unlink()
    g.remove()
    assert not d.exists()


def _subtree_aware_write(orig):
    """cgroup.subtree_control takes "+ctrl" edits; a plain file would just be overwritten."""
    def write_text(self, data, *a, **k):
        if self.name == "cgroup.subtree_control" and data.startswith("+"):
            cur = set(self.read_text().split()) if self.exists() else set()
            data = " ".join(sorted(cur | {c[1:] for c in data.split()}))
        return orig(self, data, *a, **k)
    return write_text


def test_cgroup_v1_detection(tmp_path):
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text("32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
                         "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
                         "39 31 0:36 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n")
    own = tmp_path / "cgroup"
    own.write_text("8:pids:/\n4:memory:/jobs/a\n1:cpu:/\n0::/\n")
    h = cgroups.detect(str(mountinfo), str(own), check_access=False)
    assert h is not None and h.version == 1
    assert h.dirs["memory"] == Path("/sys/fs/cgroup/memory/jobs/a/autograder")
    assert h.dirs["pids"] == Path("/sys/fs/cgroup/pids/autograder")
    assert h.dirs["cpu"] == Path("/sys/fs/cgroup/cpu")  # no shared parent: kernels do not split one weight


def test_protections_report_the_new_layers():
    from autograder.sandbox.launcher import Protections
    off = Protections(mounts=True, network=True, pid_namespace=True, unprivileged_user=True, rlimits=True).off()
    assert off == ["seccomp", "cgroup"]


# ------------------------------------------------------------------ live: real kernels
@live
@pytest.mark.parametrize("kind", FACTORIES)
def test_escape_syscalls_are_refused_and_libraries_work(kind):
    """Every escape attempt fails with EPERM (clone3: ENOSYS), in a kernel that still runs
    threads, fork and a torch DataLoader with two worker processes."""
    with _session(kind).start() as s:
        assert s.protections.seccomp and s.protections.cgroup, s.protections
        assert _run(s, SYSCALLS + "escaped = escape_attempts()", "escaped") == {}
        code = r'''
import threading, torch
from torch.utils.data import DataLoader, TensorDataset
t = threading.Thread(target=lambda: None); t.start(); t.join()
x = torch.arange(64, dtype=torch.float32).reshape(32, 2)
batches = [b[0].sum().item() for b in DataLoader(TensorDataset(x), batch_size=8, num_workers=2)]
probe = {"clone3": sys_call("clone3", 0, 0), "keyctl": sys_call("keyctl", 0, 0),
         "dataloader": sum(batches), "threads": torch.get_num_threads()}
'''
        probe = _run(s, code, "probe", timeout=120)
        assert probe["clone3"] == -errno.ENOSYS and probe["keyctl"] == -errno.EPERM
        assert probe["dataloader"] == float(sum(range(64)))


@live
@pytest.mark.parametrize("kind", FACTORIES)
def test_keyring_does_not_cross_submissions_on_one_slot(kind):
    """One submission stores a key in its uid's keyring; the next on the same slot (same uid)
    finds nothing: the write is refused, and so is the read."""
    held = Slot.acquire()  # held by the test: no other sandbox uses this uid meanwhile
    try:
        factory = FACTORIES[kind]

        def make(scratch, lim, slot=0):
            return factory(scratch, lim, held.index)
        with Session(Limits(), [], process_factory=make).start() as writer:
            wrote = _run(writer, SYSCALLS + "w = key_write(b'hidden', b'HIDDEN-INPUT-42')", "w")
        with Session(Limits(), [], process_factory=make).start() as reader:
            got = _run(reader, SYSCALLS + "got = key_read(b'hidden')", "got")
    finally:
        held.release()
    assert wrote == -errno.EPERM
    assert got == -errno.EPERM  # not the payload, and not even "no such key" (-ENOKEY)


@live
def test_two_children_cannot_hold_more_than_the_limit():
    """memory_mb: 4096 and two children of 3 GB each: the group's peak stays under 4096 MB, the OOM
    killer ends one child, and the kernel lives on."""
    with _session("forked", Limits(memory_mb=4096)).start() as s:
        # Touching 6 GB takes a minute on a loaded 2-core machine: wait long enough that, without
        # the group, both children would report (measured: held == 2 with AUTOGRADER_NO_CGROUPS=1).
        held = _run(s, TWO_CHILDREN + "held = two_children(wait=150)", "held", timeout=240)
        group = s.proc.group
        peak, kills = group.peak_bytes(), group.oom_kills()
        assert _run(s, "alive = 1", "alive") == 1
    assert held <= 1
    assert kills >= 1
    assert peak is not None and peak <= 4096 * 1024 * 1024


@live
def test_fork_storm_stops_at_max_processes():
    limits = Limits(max_processes=24)
    with _session("forked", limits).start() as s:
        code = r'''
import os, time
kids, err = [], None
try:
    for _ in range(1000):
        pid = os.fork()
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        kids.append(pid)
except OSError as e:
    err = e.errno
storm = (len(kids), err)
'''
        started, err = _run(s, code, "storm")
        pids_max = (s.proc.group.dirs["pids"] / "pids.max").read_text().strip()
    assert err == errno.EAGAIN and started < 24
    assert pids_max == "24"


@live
def test_groups_are_removed_with_their_kernel():
    with _session("forked").start() as s:
        dirs = list(s.proc.group.dirs.values())
        assert all(d.is_dir() for d in dirs)
        pids = s.proc.group.pids()
        assert pids, "the kernel is not in its group"
    assert not any(d.exists() for d in dirs)


@live
def test_oom_kill_of_the_kernel_is_reported_in_turkish(toy, tmp_path):
    """A kernel the OOM killer ends: that cell reads "bellek sınırı aşıldı", carries the
    machine-readable status, and the rest of the notebook is graded as for any dead kernel."""
    from helpers import add_cells

    from autograder.runner import MEMORY_LIMIT_STATUS, grade_notebook
    course, build = toy
    nb = tmp_path / "oom.ipynb"
    # A child holds 1.25 GB; then the kernel itself grows to 3 GB (within its own address-space
    # rlimit): the group passes 4 GB while the kernel is by far its biggest process, so the OOM
    # killer picks the kernel, not the child.
    add_cells(build.solution_notebook, nb, [r'''
import os, time, numpy as np
r, w = os.pipe()
if os.fork() == 0:
    a = np.ones(5 * 1024 ** 3 // 32); os.write(w, b"1"); time.sleep(120); os._exit(0)
os.read(r, 1)
b = np.ones(3 * 1024 ** 3 // 8)
'''])
    # Touching 4.5 GB and the OOM kill take seconds (more on a loaded machine): a long cell limit.
    limits = course.limits_for(course.week("week01")).model_copy(update={"cell_timeout_s": 180})
    r = grade_notebook(build, nb, "oom", limits)
    assert r.status == "kernel-died", (r.message, r.cell_errors)
    oom = [e for e in r.cell_errors if e.get("status") == MEMORY_LIMIT_STATUS]
    assert len(oom) == 1, (r.message, r.cell_errors)
    assert oom[0]["error"] == f"bellek sınırı aşıldı ({limits.memory_mb} MB): çekirdek durduruldu"
    assert r.total == r.max_score
