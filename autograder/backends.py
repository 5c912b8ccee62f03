"""Where the sandboxed kernel runs. The runner, tests and reports are the same for every backend.

- ``local`` (default): a bubblewrap sandbox on this machine, forked from a warm zygote when the
  grader is root (``sandbox.forkserver``), else started afresh (``sandbox.launcher``).
- ``docker``: the same kernel inside a locked-down container (``sandbox.docker``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from autograder.sandbox.forkserver import ForkedProcess, local_process
from autograder.sandbox.launcher import SandboxProcess

BACKENDS = ("local", "docker")


@dataclass(frozen=True)
class Backend:
    name: str
    process_factory: Callable[..., SandboxProcess | ForkedProcess]


def get_backend(name: str = "local", image: str = "cpu") -> Backend:
    if name == "local":
        return Backend("local", local_process)
    if name == "docker":
        from autograder.sandbox.docker import docker_process_factory

        return Backend(f"docker:{image}", docker_process_factory(image))
    raise ValueError(f"unknown backend {name!r} (choose from {', '.join(BACKENDS)})")
