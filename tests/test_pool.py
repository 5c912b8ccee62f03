"""The warm pool: kernels started ahead of time, yet nothing carries over between submissions."""

from __future__ import annotations

import csv
from helpers import add_cells

from autograder import pool as pool_mod
from autograder.batch import grade_batch
from autograder.backends import get_backend
from autograder.runner import warm_pool

POLLUTE = r'''
import builtins, os, sys, numpy, torch
GLOBAL_LEAK = 1
numpy.LEAK = 1
builtins.LEAK = 1
torch.nn.Linear.LEAK = 1
sys.modules["leaky_module"] = numpy
os.environ["LEAK"] = "1"
for path in ("leak.txt", "/tmp/leak.txt", os.path.expanduser("~/leak.txt")):
    with open(path, "w") as fh:
        fh.write("leak")
'''

DETECT = r'''
import builtins, os, sys, numpy, torch
traces = [name for name, seen in [
    ("global", "GLOBAL_LEAK" in globals()), ("numpy", hasattr(numpy, "LEAK")), ("builtins", hasattr(builtins, "LEAK")),
    ("torch", hasattr(torch.nn.Linear, "LEAK")), ("module", "leaky_module" in sys.modules),
    ("environ", "LEAK" in os.environ), ("cwd file", os.path.exists("leak.txt")),
    ("tmp file", os.path.exists("/tmp/leak.txt")), ("home file", os.path.exists(os.path.expanduser("~/leak.txt")))] if seen]
answer = "B" if not traces else "C"
'''


def test_next_submission_sees_no_trace_of_the_previous(toy, tmp_path):
    course, build = toy
    week = course.week("week01")
    subs = tmp_path / "subs"
    subs.mkdir()
    add_cells(build.solution_notebook, subs / "a_polluter.ipynb", [POLLUTE])
    add_cells(build.solution_notebook, subs / "b_detector.ipynb", [DETECT])
    add_cells(build.solution_notebook, subs / "c_detector.ipynb", [DETECT])
    pool_mod.close_all()
    pool = warm_pool(build, course.limits_for(week), get_backend())
    grade_batch(course, week, sorted(subs.iterdir()), tmp_path / "out", jobs=1)  # same process, same pool
    rows = {r["student"]: r for r in csv.DictReader(open(tmp_path / "out" / "grades.csv"))}
    assert rows["a_polluter"]["total"] == "6"
    assert rows["b_detector"]["q4"] == "1" and rows["c_detector"]["q4"] == "1"
    assert pool.hits == 3 and pool.misses == 0  # every submission got a kernel started ahead of time
    pool_mod.close_all()
