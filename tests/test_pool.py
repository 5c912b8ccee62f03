"""The warm pool: kernels started ahead of time, yet nothing carries over between submissions."""

from __future__ import annotations

import csv
from helpers import add_cells

from autograder import pool as pool_mod
from autograder.batch import grade_batch
from autograder.backends import get_backend
from autograder.runner import warm_pool
from autograder.sandbox import forkserver

POLLUTE = r'''
import builtins, os, subprocess, sys, numpy, torch
GLOBAL_LEAK = 1
subprocess.Popen(["sleep", "600"])  # a background process that would outlive the kernel
numpy.LEAK = 1
builtins.LEAK = 1
torch.nn.Linear.LEAK = 1
sys.modules["leaky_module"] = numpy
os.environ["LEAK"] = "1"
for path in ("leak.txt", "/tmp/leak.txt", "/dev/shm/leak.txt", os.path.expanduser("~/leak.txt")):
    with open(path, "w") as fh:
        fh.write("leak")
'''

DETECT = r'''
import builtins, os, sys, numpy, torch

def _cmdline(pid):
    try:
        return open(f"/proc/{pid}/cmdline", "rb").read()
    except OSError:
        return b""

traces = [name for name, seen in [
    ("global", "GLOBAL_LEAK" in globals()), ("numpy", hasattr(numpy, "LEAK")), ("builtins", hasattr(builtins, "LEAK")),
    ("torch", hasattr(torch.nn.Linear, "LEAK")), ("module", "leaky_module" in sys.modules),
    ("environ", "LEAK" in os.environ), ("cwd file", os.path.exists("leak.txt")),
    ("tmp file", os.path.exists("/tmp/leak.txt")), ("shm file", os.path.exists("/dev/shm/leak.txt")),
    ("home file", os.path.exists(os.path.expanduser("~/leak.txt"))),
    ("process", any(_cmdline(p).startswith(b"sleep") for p in os.listdir("/proc") if p.isdigit()))] if seen]
answer = "B" if not traces else "C"
'''


def test_next_submission_sees_no_trace_of_the_previous(toy, tmp_path, monkeypatch):
    course, build = toy
    week = course.week("week01")
    subs = tmp_path / "subs"
    subs.mkdir()
    add_cells(build.solution_notebook, subs / "a_polluter.ipynb", [POLLUTE])
    add_cells(build.solution_notebook, subs / "b_detector.ipynb", [DETECT])
    add_cells(build.solution_notebook, subs / "c_detector.ipynb", [DETECT])
    add_cells(build.solution_notebook, subs / "d_both.ipynb", [POLLUTE, DETECT])  # the detector can see
    pool_mod.close_all()
    forks = []
    spawn = forkserver.ForkServer.spawn
    monkeypatch.setattr(forkserver.ForkServer, "spawn", lambda *a: forks.append(1) or spawn(*a))
    pool = warm_pool(build, course.limits_for(week), get_backend())
    grade_batch(course, week, sorted(subs.iterdir()), tmp_path / "out", jobs=1)  # same process, same pool
    rows = {r["student"]: r for r in csv.DictReader(open(tmp_path / "out" / "grades.csv"))}
    assert rows["a_polluter"]["total"] == "6"
    assert rows["b_detector"]["q4"] == "1" and rows["c_detector"]["q4"] == "1"
    assert float(rows["d_both"]["q4"]) < 1  # traces in its own kernel are found
    assert pool.hits == 4 and pool.misses == 0  # every submission got a kernel started ahead of time
    if forkserver.forkserver_usable():
        assert len(forks) >= 4, "kernels were not forked from the warm zygote"
    pool_mod.close_all()
