"""Every week of course.yml: build validation, and tests of the tests with plausible wrong answers.

Building a week validates it (solution full marks, blank notebook zero, hidden tests for every
auto-graded question, points add up, solution within its time budget). Then each wrong answer of
tests/wrong_answers/weekNN.py is run in a kernel holding the solution notebook, and must cost its
question hidden points. Each week is built once per run.
"""

from __future__ import annotations

import pytest
from helpers import ROOT, built_week

from autograder import config
from autograder.runner import grade_variants
from autograder.samples import wrong_answers

COURSE = config.load(ROOT / "course.yml")
WEEKS = [w.id for w in COURSE.weeks]

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("week_id", WEEKS)
def test_week_builds_and_validates(course, week_id):
    report, build = built_week(course, week_id)
    assert report.ok, "\n".join(report.problems)
    auto = [q for q in report.questions if not q["manual"]]
    assert auto and all(q["hidden"] >= 1 and q["public"] >= 1 for q in auto)


@pytest.mark.parametrize("week_id", WEEKS)
def test_wrong_answers_lose_hidden_points(course, week_id):
    report, build = built_week(course, week_id)
    assert report.ok, "\n".join(report.problems)
    wrong = wrong_answers(ROOT, week_id)
    auto = [q.name for q in build.questions if not q.manual]
    missing = [q for q in auto if len(wrong.get(q, [])) < 2]
    assert not missing, f"questions with fewer than two wrong answers: {missing}"
    variants = [(q, code) for q in auto for _, code in wrong[q]]
    labels = [f"{q}: {why}" for q in auto for why, _ in wrong[q]]
    results = grade_variants(build, build.solution_notebook, variants, COURSE.limits_for(COURSE.week(week_id)))
    kept = []
    for label, qr in zip(labels, results):
        got, mx = qr.part(hidden=True)
        if got >= mx:
            kept.append(label)
    assert not kept, "wrong answers that keep all hidden points:\n" + "\n".join(kept)
