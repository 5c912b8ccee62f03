"""The docker backend: the same sandboxed kernel, inside a locked-down container.

One container per submission: ``--network none``, a non-root user, a read-only root file system
with size-limited tmpfs scratch, memory / pids / CPU limits from course.yml, all capabilities
dropped, ``no-new-privileges``, this project's system-call filter as a seccomp profile (the
local backend's policy, ``sandbox.seccomp``: Docker's default profile allows ptrace), and
``--gpus all`` for the CUDA image. The submission, the week's
public files and the worker are mounted read-only; tests and solutions stay on the host, where
the trusted evaluation runs. The channel is the container's stdin/stdout, carried by the docker
client over a socketpair, so the trusted side uses the same code as the local backend.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import secrets
import tempfile
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Callable

from autograder.sandbox import seccomp
from autograder.sandbox.launcher import Limits, Protections

IMAGES = {"cpu": "dlsp/grader-cpu:latest", "cuda": "dlsp/grader-cuda:latest"}
CONTAINER_USER = "10001:10001"
_HERE = Path(__file__).resolve().parent


@functools.cache
def seccomp_profile_path() -> str:
    """This process's copy of the seccomp profile (the docker client reads it at ``docker run``)."""
    fd, path = tempfile.mkstemp(prefix="ag-seccomp-", suffix=".json")
    with os.fdopen(fd, "w") as fh:
        json.dump(seccomp.docker_profile(), fh)
    atexit.register(lambda: os.path.exists(path) and os.unlink(path))
    return path


class DockerUnavailable(Exception):
    """The engine is not running or the image is missing; the message names the fixing command."""


def image_name(flavour: str) -> str:
    if flavour not in IMAGES:
        raise DockerUnavailable(f"unknown image {flavour!r} (choose cpu or cuda)")
    return os.environ.get(f"AUTOGRADER_IMAGE_{flavour.upper()}", IMAGES[flavour])


def check_docker(flavour: str = "cpu") -> None:
    if shutil.which("docker") is None:
        raise DockerUnavailable("the docker client is not installed: run `make docker-engine` (as root)")
    r = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True)
    if r.returncode != 0:
        raise DockerUnavailable("the Docker engine is not running: run `make docker-engine` (as root), "
                                "or start dockerd yourself")
    image = image_name(flavour)
    r = subprocess.run(["docker", "image", "inspect", image], capture_output=True, text=True)
    if r.returncode != 0:
        target = "images" if flavour == "cpu" else "image-cuda"
        raise DockerUnavailable(f"the grading image {image} is missing: run `make {target}`")


class DockerSandboxProcess:
    """Drop-in for ``launcher.SandboxProcess`` that runs the kernel in a container."""

    def __init__(self, scratch: Path, limits: Limits, slot: int = 0, flavour: str = "cpu") -> None:
        self.scratch, self.limits, self.slot, self.flavour = scratch, limits, slot, flavour
        self.name = f"ag-{slot}-{secrets.token_hex(4)}"
        # seccomp: the profile below; cgroup: Docker's own group per container (--memory, --pids-limit).
        self.protections = Protections(mounts=True, network=True, pid_namespace=True,
                                       unprivileged_user=True, rlimits=True, seccomp=True, cgroup=True)
        self.proc: subprocess.Popen | None = None
        self.sock: socket.socket | None = None

    def argv(self) -> list[str]:
        lim = self.limits
        mb = lim.scratch_mb
        argv = ["docker", "run", "-i", "--rm", "--init", "--name", self.name, "--network", "none",
                "--user", CONTAINER_USER, "--read-only", "--cap-drop", "ALL",
                "--security-opt", "no-new-privileges", "--security-opt", f"seccomp={seccomp_profile_path()}",
                "--ipc", "private",
                "--memory", f"{lim.memory_mb}m", "--memory-swap", f"{lim.memory_mb}m",
                "--pids-limit", str(lim.max_processes), "--cpus", "1",
                "--ulimit", f"fsize={lim.file_mb * 1024 * 1024}",
                "--ulimit", f"cpu={lim.cpu_seconds}", "--ulimit", "core=0",
                "--tmpfs", f"/work:rw,size={mb}m,mode=1777", "--tmpfs", f"/tmp:rw,size={mb}m,mode=1777",
                "--workdir", "/work", "-e", "HOME=/tmp", "-e", "IPYTHONDIR=/tmp/ipython",
                "-e", "MPLCONFIGDIR=/tmp/mpl", "-e", "OMP_NUM_THREADS=1", "-e", "PYTHONHASHSEED=0",
                "--label", "dlsp-autograder=sandbox",
                "-v", f"{_HERE / 'worker.py'}:/opt/grader-rt/worker.py:ro",
                "-v", f"{_HERE / 'codec.py'}:/opt/grader-rt/codec.py:ro"]
        for f in sorted(self.scratch.iterdir()):
            argv += ["-v", f"{f}:/work/{f.name}:ro"]
        if self.flavour == "cuda":
            argv += ["--gpus", "all"]
        return argv + [image_name(self.flavour), "python", "-E", "-s", "-B", "/opt/grader-rt/worker.py", "stdio"]

    def start(self) -> None:
        parent, child = socket.socketpair()
        # The scratch files are bind-mounted: make them readable by the container's user.
        self.scratch.chmod(0o755)
        for f in self.scratch.iterdir():
            f.chmod(0o644)
        self.proc = subprocess.Popen(self.argv(), stdin=child, stdout=child, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        child.close()
        self.sock = parent

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None
        subprocess.run(["docker", "rm", "-f", self.name], capture_output=True)
        if self.proc is not None:
            try:
                self.proc.kill()
                self.proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass


def docker_process_factory(flavour: str) -> Callable[..., DockerSandboxProcess]:
    def make(scratch: Path, limits: Limits, slot: int = 0) -> DockerSandboxProcess:
        return DockerSandboxProcess(scratch, limits, slot, flavour)

    return make
