"""Submission policies that need no database: the late penalty and safe file names."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

from autograder.config import Course, Week

def apply_penalty(score: float, penalty: float) -> float:
    return round(max(0.0, score * (1.0 - penalty)), 4)


def late_penalty(course: Course, week: Week, now: dt.datetime,
                 due: dt.datetime | None = None) -> tuple[bool, int, float]:
    """(accepted, seconds late, penalty fraction) for a submission made at ``now`` (aware).
    ``due`` (aware) replaces the week's due date (a student's extension)."""
    late = course.service.late
    due = course.aware(week.due) if due is None else due
    seconds = (now - due).total_seconds()
    if seconds <= 0:
        return True, 0, 0.0
    if seconds > late.window_hours * 3600:
        return False, int(seconds), 1.0
    days = math.ceil(seconds / 86400)
    return True, int(seconds), min(1.0, days * late.penalty_percent_per_day / 100.0)


def safe_filename(name: str) -> str:
    """A display name for an uploaded file: its last path component, printable, at most 100 chars.
    Never used to build a path (uploads are stored in the database)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^\w .()+-]", "_", base, flags=re.UNICODE).strip(" .") or "notebook.ipynb"
    return base[-100:]


def safe_join(folder: Path, name: str) -> Path:
    """``folder / name``, refusing anything that would land outside ``folder``."""
    if not name or "/" in name or "\\" in name or name in (".", "..") or "\x00" in name:
        raise ValueError(f"unsafe file name {name!r}")
    folder = folder.resolve()
    p = (folder / name).resolve()
    if p.parent != folder:
        raise ValueError(f"unsafe file name {name!r}")
    return p
