"""The docker backend gives the same per-question scores as the local one, inside a locked-down container.

These tests need a running Docker engine and the CPU image (`make images`). On a developer machine
without them they skip, saying how to enable them; in CI (CI=true) they must run.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess

import pytest
from helpers import add_cells

from autograder.batch import grade_batch
from autograder.sandbox.docker import DockerUnavailable, check_docker
from redteam.attacks import ATTACKS

pytestmark = [pytest.mark.docker, pytest.mark.slow]

try:
    check_docker("cpu")
    _why = ""
except DockerUnavailable as e:
    _why = str(e)

if _why:
    if os.environ.get("CI"):
        raise RuntimeError(f"docker tests cannot be skipped in CI: {_why}")
    pytestmark.append(pytest.mark.skip(reason=f"docker backend tests disabled: {_why}"))

# Attacks whose outcome does not depend on the isolation mechanism; kept small for CI time.
SAME = ["patch_numpy_torch_compare", "eq_always_true", "fake_array", "infinite_loop_in_function",
        "fork_bomb", "network_connect", "write_outside_scratch", "forged_frames", "memory_bomb", "segfault",
        "syscall_escape", "memory_two_children"]


@pytest.fixture(scope="module")
def both(toy, tmp_path_factory):
    course, build = toy
    base = tmp_path_factory.mktemp("docker")
    subs = base / "subs"
    subs.mkdir()
    shutil.copy2(build.solution_notebook, subs / "correct.ipynb")
    shutil.copy2(build.student_notebook, subs / "blank.ipynb")
    add_cells(build.solution_notebook, subs / "partial.ipynb", ["def square(x):\n    return x ** 3", "answer = 'C'"])
    for a in ATTACKS:
        if a.name in SAME:
            add_cells(build.solution_notebook, subs / f"{a.name}.ipynb", [c.replace("{PORT}", "9") for c in a.cells])
    rows = {}
    for backend in ("local", "docker"):
        out = base / backend
        grade_batch(course, course.week("week01"), sorted(subs.iterdir()), out, jobs=2, backend=backend)
        rows[backend] = {r["student"]: r for r in csv.DictReader(open(out / "grades.csv"))}
    return rows, base


def test_same_scores_as_local(both):
    rows, _ = both
    assert set(rows["local"]) == set(rows["docker"])
    for student, local in rows["local"].items():
        docker = rows["docker"][student]
        assert {k: docker[k] for k in ("q1", "q2", "q3", "q4", "total")} == \
               {k: local[k] for k in ("q1", "q2", "q3", "q4", "total")}, student
    assert rows["docker"]["correct"]["total"] == "6"
    assert rows["docker"]["blank"]["total"] == "0"


def test_container_is_locked_down(toy, tmp_path):
    from autograder.sandbox.docker import DockerSandboxProcess
    from autograder.sandbox.launcher import Limits

    course, build = toy
    for f in build.public_files:
        shutil.copy2(f, tmp_path / f.name)
    p = DockerSandboxProcess(tmp_path, Limits(memory_mb=1024, max_processes=50), slot=0)
    p.start()
    try:
        info = None
        for _ in range(100):
            r = subprocess.run(["docker", "inspect", p.name], capture_output=True, text=True)
            if r.returncode == 0:
                info = json.loads(r.stdout)[0]
                break
            import time
            time.sleep(0.1)
        assert info is not None
        hc = info["HostConfig"]
        assert hc["NetworkMode"] == "none"
        assert info["Config"]["User"] == "10001:10001"
        assert hc["ReadonlyRootfs"] is True
        assert hc["Memory"] == 1024 * 1024 * 1024
        assert hc["PidsLimit"] == 50
        assert hc["NanoCpus"] == 10**9
        assert hc["CapDrop"] == ["ALL"]
        assert "no-new-privileges" in hc["SecurityOpt"]
        mounts = {m["Destination"]: m for m in info["Mounts"]}
        assert all(not m["RW"] for m in mounts.values())
        assert not any("tests" in d or "solutions" in d for d in mounts)
    finally:
        p.kill()


def test_containers_get_the_seccomp_profile_and_group_limits(tmp_path):
    """The docker backend enforces the local backend's system-call policy and per-container limits."""
    from autograder.sandbox.docker import DockerSandboxProcess
    from autograder.sandbox.launcher import Limits

    (tmp_path / "data.txt").write_text("x")
    argv = DockerSandboxProcess(tmp_path, Limits(memory_mb=4096, max_processes=64)).argv()
    opts = [argv[i + 1] for i, a in enumerate(argv) if a == "--security-opt"]
    prof = next(o for o in opts if o.startswith("seccomp="))
    from autograder.sandbox import seccomp
    assert json.load(open(prof.split("=", 1)[1])) == seccomp.docker_profile()
    assert argv[argv.index("--memory") + 1] == "4096m" and argv[argv.index("--memory-swap") + 1] == "4096m"
    assert argv[argv.index("--pids-limit") + 1] == "64"
