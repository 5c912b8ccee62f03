"""Parallel sandboxes get distinct slots (and so distinct uids) through advisory file locks.

A per-uid process limit only isolates submissions if no two running sandboxes share a uid, and
grading jobs live in separate processes, so the allocation has to work across processes.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path

MAX_SLOTS = 256
LOCK_DIR = Path(tempfile.gettempdir()) / "autograder-slots"


class Slot:
    def __init__(self, index: int, fd: int) -> None:
        self.index, self._fd = index, fd

    @classmethod
    def acquire(cls) -> "Slot":
        LOCK_DIR.mkdir(parents=True, exist_ok=True)
        for i in range(MAX_SLOTS):
            fd = os.open(LOCK_DIR / f"slot-{i}", os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            return cls(i, fd)
        raise RuntimeError(f"more than {MAX_SLOTS} sandboxes running at once")

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
