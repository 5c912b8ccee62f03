"""The fork server: kernels forked from a warm zygote are as isolated as kernels started afresh.

Needs root and bubblewrap (the grader's production set-up); elsewhere it skips, and in CI it
must run.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from autograder.remote import KernelDied, Session
from autograder.sandbox import forkserver
from autograder.sandbox import launcher
from autograder.sandbox.launcher import BASE_UID, Limits, SandboxProcess

if not forkserver.forkserver_usable():
    why = "the fork server needs root and a working bubblewrap"
    if os.environ.get("CI"):
        raise RuntimeError(f"fork server tests cannot be skipped in CI: {why}")
    pytestmark = pytest.mark.skip(reason=why)

PROBE = r'''
import os, socket
uid = os.getuid()
pids = sorted(p for p in os.listdir("/proc") if p.isdigit())
caps = {l.split(":")[0]: int(l.split(":")[1], 16) for l in open("/proc/self/status") if l.startswith("Cap")}
files = sorted(os.listdir("."))
try:
    open("data.txt", "a").write("x")
    public_writable = True
except OSError:
    public_writable = False
try:
    socket.create_connection(("10.0.0.1", 80), timeout=1)
    network = True
except OSError:
    network = False
mounts = open("/proc/self/mountinfo").read()
'''


@pytest.fixture()
def public(tmp_path):
    (tmp_path / "data.txt").write_text("public data\n")
    return [tmp_path / "data.txt"]


def session(public, **limits) -> Session:
    return Session(Limits(**limits), public, process_factory=forkserver.local_process).start()


def test_a_forked_kernel_is_unprivileged_alone_and_offline(public):
    with session(public) as s:
        assert isinstance(s.proc, forkserver.ForkedProcess)
        assert s.exec_cell(PROBE, 30) == {}
        assert s.get("uid") == BASE_UID + s.proc.slot
        assert s.get("pids") == ["1"]  # its own pid namespace: no zygote, no other kernel
        assert set(s.get("caps").values()) == {0}
        assert s.get("files") == ["data.txt"]
        assert s.get("public_writable") is False
        assert s.get("network") is False
        mount_points = [line.split()[4] for line in s.get("mounts").splitlines()]
        assert "/opt/grader-rt/public" not in mount_points  # the zygote's copy is detached in the child
        assert mount_points.count("/home/student/work") == 2  # the zygote's folder, under a fresh one


def test_nothing_of_one_kernel_reaches_the_next(public):
    with session(public) as a:
        assert a.exec_cell("import subprocess, numpy\nnumpy.LEAK = 1\nopen('/tmp/leak', 'w').write('x')\n"
                           "open('/dev/shm/leak', 'w').write('x')\nopen('mine.txt', 'w').write('x')\n"
                           "p = subprocess.Popen(['sleep', '600'])", 30) == {}
        uid = BASE_UID + a.proc.slot
    time.sleep(0.2)
    assert not [p for p in os.listdir("/proc") if p.isdigit() and _uid(p) == uid], "a background process survived"
    with session(public) as b:
        assert b.exec_cell("import os, numpy\nseen = [hasattr(numpy, 'LEAK'), os.path.exists('/tmp/leak'), "
                           "os.path.exists('/dev/shm/leak'), os.path.exists('mine.txt')]", 30) == {}
        assert b.get("seen") == [False, False, False, False]


def test_limits_apply_to_each_forked_kernel(public):
    with session(public, memory_mb=3000) as s:
        s.exec_cell("import resource\nas_limit = resource.getrlimit(resource.RLIMIT_AS)[0]", 30)
        assert s.get("as_limit") == 3000 * 1024 * 1024
        with pytest.raises(KernelDied):  # pid 1 of its namespace exits: the kernel is gone
            s.exec_cell("import os\nos._exit(3)", 30)


def test_a_killed_zygote_is_restarted(public):
    with session(public) as s:
        server = s.proc.server
    killed = server.proc.pid
    os.killpg(killed, 9)
    server.proc.wait()
    with session(public) as s:
        assert s.proc.server is server and server.proc.pid != killed
        assert s.exec_cell("ok = 1", 30) == {}
        assert s.get("ok") == 1


def test_without_the_fork_server_each_kernel_starts_afresh(public, monkeypatch):
    monkeypatch.setenv("AUTOGRADER_NO_FORKSERVER", "1")
    with session(public) as s:
        assert isinstance(s.proc, SandboxProcess)
        assert s.exec_cell("x = 2", 60) == {}


def _uid(pid: str) -> int | None:
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except FileNotFoundError:
        return None


def test_a_runtime_under_tmp_stays_visible_in_forked_kernels(tmp_path, monkeypatch):
    """A clone and its venv under /tmp: each child's fresh /tmp must not hide the Python runtime."""
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    (runtime / "marker.txt").write_text("here")
    (tmp_path / "data.txt").write_text(f"unique to this test: {tmp_path}\n")  # a zygote of its own
    real_roots = launcher._python_roots
    monkeypatch.setattr(launcher, "_python_roots", lambda: [*real_roots(), str(runtime)])
    with session([tmp_path / "data.txt"]) as s:
        assert isinstance(s.proc, forkserver.ForkedProcess)
        assert s.exec_cell(f"import os\nseen = open({str(runtime / 'marker.txt')!r}).read()\n"
                           "stray = os.listdir('/tmp')", 30) == {}
        assert s.get("seen") == "here"
        # Nothing else of the host's /tmp: only runtimes (this one, a venv of a clone under /tmp)
        # and the kernel's own IPython folder.
        runtimes = {Path(r).relative_to("/tmp").parts[0] for r in launcher._python_roots() if r.startswith("/tmp/")}
        assert runtime.relative_to("/tmp").parts[0] in runtimes
        assert set(s.get("stray")) - {"ipython"} == runtimes


def test_the_zygote_outlives_the_thread_that_started_it(tmp_path):
    """Builds and pools start kernels from short-lived threads; their zygote must stay up."""
    (tmp_path / "data.txt").write_text(f"unique to this test: {tmp_path}\n")
    public = [tmp_path / "data.txt"]
    box = []
    t = threading.Thread(target=lambda: box.append(session(public)))
    t.start()
    t.join()
    first = box[0]
    server = first.proc.server
    time.sleep(0.5)
    assert server.alive()
    assert first.exec_cell("ok = 1", 30) == {}  # the kernel it forked from that thread still runs
    with session(public) as s:
        assert s.proc.server is server and s.exec_cell("ok = 2", 30) == {}
    first.close()
