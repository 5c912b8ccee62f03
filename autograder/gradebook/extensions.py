"""Per-student due-date overrides (extensions) for one week.

An extension replaces the week's due date for one student; the late window and the late penalty
count from it. Granting or removing one also re-prices that student's existing submissions of the
week (late seconds, penalty, and the score of their current result), so the counted score and the
exports agree with the new date at once.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from autograder.config import ConfigError, Course, Week
from autograder.gradebook.models import ID_RE, Extension, Result, Submission, to_utc, utcnow
from autograder.gradebook.policies import apply_penalty, late_penalty


class ExtensionOps:
    """Mixed into ``Gradebook`` (which provides ``session()``)."""

    def session(self) -> Session:  # pragma: no cover - provided by Gradebook
        raise NotImplementedError

    def extension(self, student: str, week: str) -> Extension | None:
        with self.session() as s:
            return s.get(Extension, (student, week))

    def extensions(self, week: str | None = None, student: str | None = None) -> list[Extension]:
        with self.session() as s:
            q = select(Extension)
            if week is not None:
                q = q.where(Extension.week == week)
            if student is not None:
                q = q.where(Extension.student == student)
            return list(s.scalars(q.order_by(Extension.week, Extension.student)))

    def due_for(self, course: Course, week: Week, student: str | None) -> dt.datetime:
        """The due date (aware) that applies to ``student`` for ``week``."""
        ext = self.extension(student, week.id) if student else None
        if ext is None:
            return course.aware(week.due)
        return ext.due_at.replace(tzinfo=dt.timezone.utc)

    def grant_extension(self, course: Course, week: Week, student: str, *, hours: float | None = None,
                        due: dt.datetime | None = None, by: str = "", reason: str = "") -> Extension:
        """Give ``student`` until ``due`` (aware) or the week's due + ``hours``. Re-prices their submissions."""
        if not ID_RE.match(student or ""):
            raise ConfigError(f"{student!r} is not a valid student id")
        if (hours is None) == (due is None):
            raise ValueError("give exactly one of hours or due")
        if hours is not None:
            if not 0 < hours <= 24 * 365:
                raise ConfigError(f"--hours must be between 0 and {24 * 365} (got {hours:g})")
            due = course.aware(week.due) + dt.timedelta(hours=hours)
        due_utc = to_utc(due)
        with self.session() as s:
            ext = s.get(Extension, (student, week.id))
            if ext is None:
                ext = Extension(student=student, week=week.id)
                s.add(ext)
            ext.due_at, ext.granted_by, ext.granted_at, ext.reason = due_utc, by[:100], utcnow(), reason[:200]
            s.commit()
        self._reprice(course, week, student)
        return self.extension(student, week.id)

    def remove_extension(self, course: Course, week: Week, student: str) -> bool:
        with self.session() as s:
            ext = s.get(Extension, (student, week.id))
            if ext is None:
                return False
            s.delete(ext)
            s.commit()
        self._reprice(course, week, student)
        return True

    def _reprice(self, course: Course, week: Week, student: str) -> None:
        """Late seconds and penalty of the student's submissions of the week, from the due date that applies now."""
        due = self.due_for(course, week, student)
        with self.session() as s:
            subs = list(s.scalars(select(Submission).where(Submission.student == student, Submission.week == week.id)))
            for sub in subs:
                at = sub.created_at.replace(tzinfo=dt.timezone.utc)
                _, late_s, penalty = late_penalty(course, week, at, due=due)
                sub.late_seconds, sub.penalty = late_s, penalty
                if sub.result_id is not None:
                    res = s.get(Result, sub.result_id)
                    if res is not None:
                        res.score = apply_penalty(res.raw_score, penalty)
            s.commit()
