"""The queue's order and PostgreSQL claim, on SQLite and PostgreSQL (the ``gb`` fixture runs each
test on both): round-robin over students at a burst, students before a staff regrade, the
position a student is told equal to the order workers take, and ``FOR UPDATE SKIP LOCKED``."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from service_helpers import fake_result
from sqlalchemy import select

from autograder import gradebook as gbm

T0 = dt.datetime(2026, 1, 5, 12, 0, 0)


def _at(gb, student: str, seconds: float) -> int:
    return gb.add_submission(student, "week01", b"{}", "x.ipynb", now=T0 + dt.timedelta(seconds=seconds))


def _positions(gb, ids: list[int]) -> dict[int, int]:
    return {i: gb.queue_position(gb.submission(i)) for i in ids}


def _claim_all(gb) -> list[int]:
    out = []
    while (c := gb.claim("w", 600)) is not None:
        out.append(c.id)
    return out


def test_a_burst_of_one_student_does_not_push_a_classmate_back(gb):
    ali = [_at(gb, "ali", i * 0.5) for i in range(3)]  # ten quick uploads, a classmate in between
    ayse = _at(gb, "ayse", 1.2)
    ali += [_at(gb, "ali", 1.5 + i * 0.5) for i in range(7)]
    can = [_at(gb, "can", 2.0), _at(gb, "can", 9.0)]
    pos = _positions(gb, ali + [ayse] + can)
    assert pos[ayse] == 1, pos  # FIFO would have made it 4th; with 10 uploads before it, 11th
    expected = [ali[0], ayse, can[0], ali[1], can[1], *ali[2:]]
    assert [i for i, _ in sorted(pos.items(), key=lambda kv: kv[1])] == expected
    assert gb.claim_order() == expected
    assert _claim_all(gb) == expected  # the workers' order is the one students were told


def test_students_before_regrade_and_round_robin_inside_each(gb):
    old = [_at(gb, s, i) for i, s in enumerate(["ali", "ali", "ayse", "can"])]
    for _ in old:
        c = gb.claim("w", 60)
        assert gb.finish(c, fake_result(c.student))
    gb.regrade_week("week01", "ta1")  # four staff regrades, queued now
    new = [gb.add_submission("deniz", "week01", b"{}", "y.ipynb") for _ in range(3)]
    new.append(gb.add_submission("ece", "week01", b"{}", "z.ipynb"))
    order = gb.claim_order()
    assert order[:4] == [new[0], new[3], new[1], new[2]]  # students first, taking turns
    regrades = order[4:]
    assert sorted(regrades) == sorted(old)
    # ali has two regrades: the other students' regrades come between them
    assert regrades.index(old[1]) == 3 and regrades.index(old[0]) < 2
    pos = _positions(gb, order)
    assert [pos[i] for i in order] == list(range(len(order)))
    assert _claim_all(gb) == order


def test_claim_order_counts_the_time_a_student_was_last_served(gb):
    a1 = _at(gb, "ali", 0)
    b1 = _at(gb, "ayse", 5)
    assert gb.claim("w", 60).id == a1
    a2 = _at(gb, "ali", 1)  # queued_at before ayse's, but ali was served after it: ayse first
    assert gb.claim_order() == [b1, a2]
    assert gb.queue_position(gb.submission(a2)) == 1
    assert _claim_all(gb) == [b1, a2]


def test_postgresql_claim_skips_a_row_another_worker_has_locked(gb, db_url):
    """FOR UPDATE SKIP LOCKED: while one worker's transaction holds the first row, another claim
    takes the second row at once instead of waiting for that transaction to end."""
    if gb.is_sqlite:
        pytest.skip("row locks are PostgreSQL's; SQLite claims by compare-and-set")
    first, second = _at(gb, "ali", 0), _at(gb, "ayse", 1)
    holder = gb.session()
    locked = holder.scalars(select(gbm.Submission.id).where(gbm.Submission.id == first).with_for_update()).one()
    assert locked == first
    got: list = []
    t = threading.Thread(target=lambda: got.append(gb.claim("other", 60)), daemon=True)
    t0 = time.monotonic()
    t.start()
    t.join(timeout=10)
    waited = time.monotonic() - t0
    holder.rollback()
    holder.close()
    t.join(timeout=30)
    assert got and got[0] is not None and got[0].id == second, got
    assert waited < 5, f"the claim waited {waited:.1f} s for the other worker's lock"
    assert gb.submission(first).status == "queued"


def test_a_submission_whose_worker_died_keeps_its_students_place(gb):
    a, b, c = _at(gb, "ali", 0), _at(gb, "ayse", 1), _at(gb, "can", 2)
    first = gb.claim("h:1:1", 600)
    assert first.id == a
    assert gb.requeue_dead(lambda w: True) == [a]  # its worker died: queued again, started_at kept
    assert gb.claim_order() == [a, b, c]
    assert gb.queue_position(gb.submission(a)) == 0
    assert _claim_all(gb) == [a, b, c]
