"""A warm pool: sandboxed kernels started ahead of time, each used for exactly one submission.

Starting a kernel (interpreter, IPython, numpy, torch, scikit-learn) costs seconds; the pool pays
that while the previous submission is being graded. Every submission still gets a fresh process
in a fresh sandbox that nobody used before, so nothing can carry over from one submission to the
next: no globals, no patched modules, no files (the working folder is a new tmpfs).
"""

from __future__ import annotations

import atexit
import multiprocessing.util
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable

from autograder.remote import Session
from autograder.sandbox import forkserver


class SessionPool:
    def __init__(self, make: Callable[[], Session], spares: int = 1) -> None:
        self._make = make
        self._spares = spares
        self._executor = ThreadPoolExecutor(max_workers=max(1, spares), thread_name_prefix="warm-kernel")
        self._ready: list[Future] = []
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        self._fill()

    def _start(self) -> Session:
        return self._make().start()

    def _fill(self) -> None:
        while len(self._ready) < self._spares:
            self._ready.append(self._executor.submit(self._start))

    def get(self) -> Session:
        """A started, never-used kernel: the oldest spare (waiting for it if it is still starting,
        which is never slower than starting a new one), then a replacement is started."""
        with self._lock:
            fut = self._ready.pop(0) if self._ready else None
            self._fill()
        if fut is not None:
            try:
                session = fut.result()
                self.hits += 1
                return session
            except Exception:  # noqa: BLE001 - a spare that failed to start: start one now
                pass
        self.misses += 1
        return self._start()

    def wait_ready(self) -> None:
        """Block until every spare has started (benchmarks measure grading, not start-up)."""
        for fut in list(self._ready):
            try:
                fut.result()
            except Exception:  # noqa: BLE001 - get() starts a new kernel for a failed spare
                pass

    def close(self) -> None:
        with self._lock:
            ready, self._ready = self._ready, []
        for fut in ready:
            try:
                fut.result().close()
            except Exception:  # noqa: BLE001
                pass
        self._executor.shutdown(wait=True)


_POOLS: dict[tuple, SessionPool] = {}


def pool_for(key: tuple, make: Callable[[], Session]) -> SessionPool:
    """One pool per (week, backend, limits) in this process (a batch worker grades many files)."""
    if key not in _POOLS:
        _POOLS[key] = SessionPool(make)
    return _POOLS[key]


def close_all() -> None:
    for pool in _POOLS.values():
        pool.close()
    _POOLS.clear()
    forkserver.close_all()


# Spares must not outlive the process: atexit for the CLI, Finalize for pool worker processes
# (multiprocessing ends them with os._exit, which skips atexit).
atexit.register(close_all)
multiprocessing.util.Finalize(None, close_all, exitpriority=10)
