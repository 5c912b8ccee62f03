"""Otter compatibility: standard Otter Assign masters build unchanged here, and per-question scores
equal ``otter run``'s (otter-grader 7, run on the very same notebooks) except where Otter is
forgeable: a notebook that patches ``np.allclose`` gets the points under Otter and not here.

The masters are otter-grader's own fixtures (example, exception) and ``patterns`` (common test
patterns: pandas, a student dataclass, Counter vs dict, in-place append, printed output,
all-or-nothing, a seed variable, a test that takes ``np``). Otter grades each assignment's notebooks
in one process (``otter.api.grade_submission``), once per module.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
import yaml
from helpers import FIXTURES, add_cells

from autograder import config
from autograder.build import build_week
from autograder.runner import grade_notebook
from autograder.weekbuild import WeekBuild

OTTER = FIXTURES / "otter"
ASSIGNMENTS = {"hw01": ("example", "example.ipynb"), "exc": ("exception", "exception-example.ipynb"),
               "patterns": ("patterns", "patterns.ipynb")}

# Extra cells appended to the solution notebook: partly wrong answers, and forgeries.
WRONG = {
    "hw01": ["x = 3"],  # q1 is all-or-nothing: its public cases pass, a hidden one fails
    "exc": ["x = 3\nnine = 8"],
    "patterns": [textwrap.dedent('''
        def count_words(text):
            return dict(collections.Counter(text.split()))  # == a dict, but no most_common

        def is_even(n):
            return n % 2 == 0 and n != 0  # all-or-nothing question: one hidden case fails

        def add_item(items, x):
            items = items + [x]  # not in place

        @dataclass
        class Point:
            x: float
            y: float

            def shifted(self, dx):
                return Point(self.x + dx, self.y + dx)

        origin = Point(0, 0)
        sample = np.random.default_rng().integers(0, 100, 5)  # not seeded with rng_seed
        ''')],
}
FORGED = {
    "exc": ["np.allclose = lambda *a, **k: True\nz = np.zeros(10)"],
    "patterns": ["np.allclose = lambda *a, **k: True\nz = np.zeros(3)"],
}
FORGED_QUESTION = {"exc": "q8", "patterns": "q8"}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> config.Course:
    root = tmp_path_factory.mktemp("ottercourse")
    weeks = []
    for wid, (folder, master) in ASSIGNMENTS.items():
        shutil.copytree(OTTER / folder, root / "assignments" / folder,
                        ignore=shutil.ignore_patterns("make_*.py"))
        weeks.append({"id": wid, "title": wid, "master": f"assignments/{folder}/{master}",
                      "release": "2027-01-01T00:00", "due": "2027-02-01T00:00", "points": 1})
    (root / "course.yml").write_text(yaml.safe_dump({"title": "Otter", "term": "T", "timezone": "UTC",
                                                     "language": "en", "weeks": weeks}))
    return config.load(root / "course.yml")


@pytest.fixture(scope="module")
def built(course) -> dict[str, tuple]:
    return {wid: (build_week(course, course.week(wid)), WeekBuild(course.root, wid)) for wid in ASSIGNMENTS}


@pytest.fixture(scope="module")
def notebooks(built, tmp_path_factory) -> dict[str, dict[str, Path]]:
    out: dict[str, dict[str, Path]] = {}
    for wid, (_, build) in built.items():
        d = tmp_path_factory.mktemp(f"nb-{wid}")
        nbs = {"solution": shutil.copy(build.solution_notebook, d / "solution.ipynb"),
               "blank": shutil.copy(build.student_notebook, d / "blank.ipynb")}
        nbs["wrong"] = add_cells(build.solution_notebook, d / "wrong.ipynb", WRONG[wid])
        if wid in FORGED:
            nbs["forged"] = add_cells(build.solution_notebook, d / "forged.ipynb", FORGED[wid])
        out[wid] = {k: Path(v) for k, v in nbs.items()}
    return out


# Otter's `student_files` travel with a submission (a zip); here they go with each notebook, as
# here the build's copy is what a doctest's `import student_file` finds.
STUDENT_FILES = {"hw01": ["student_file.py"]}

OTTER_RUN = """
import json, sys
from otter.api import grade_submission
out = {}
extra = json.loads(sys.argv[2])
for nb in sys.argv[3:]:
    r = grade_submission(nb, sys.argv[1], quiet=True, extra_submission_files=extra or None)
    out[nb] = {k: v.score for k, v in r.results.items()}
print("@@" + json.dumps(out))
"""


@pytest.fixture(scope="module")
def otter_scores(built, notebooks) -> dict[str, dict[str, dict[str, float]]]:
    """Per-question scores from otter-grader itself, one process per assignment."""
    out = {}
    for wid, (_, build) in built.items():
        paths = list(notebooks[wid].values())
        extra = STUDENT_FILES.get(wid, [])  # relative to the cwd, as otter copies them
        r = subprocess.run([sys.executable, "-c", OTTER_RUN, str(build.otter_zip), json.dumps(extra),
                            *map(str, paths)],
                           capture_output=True, text=True, cwd=build.autograder_dir, timeout=900)
        line = next((ln for ln in r.stdout.splitlines() if ln.startswith("@@")), None)
        assert line is not None, r.stderr[-2000:]
        by_path = json.loads(line[2:])
        out[wid] = {kind: by_path[str(p)] for kind, p in notebooks[wid].items()}
    return out


@pytest.fixture(scope="module")
def our_results(course, built, notebooks):
    return {wid: {kind: grade_notebook(build, p, kind, course.limits_for(course.week(wid)))
                  for kind, p in notebooks[wid].items()} for wid, (_, build) in built.items()}


def test_otter_masters_build_unchanged(built):
    for wid, (report, build) in built.items():
        assert report.ok, (wid, report.problems)
        assert build.otter_zip is not None and (build.autograder_dir / "tests").is_dir()
    # Otter derives question points from the tests; Otter's own fixture has a question without
    # tests, which is a warning for an assignment that is not one of this course's weeks.
    points = {q.name: q.points for q in built["exc"][1].questions}
    assert points["q1"] == 4 and points["q3"] == 1 and points["q8"] == 1
    assert {q.name: q.points for q in built["patterns"][1].questions}["q6"] == 4
    assert any("question5: no tests" in w for w in built["hw01"][0].warnings)
    assert built["exc"][1].manifest["otter"] == {"seed": 42, "seed_variable": None}
    assert built["patterns"][1].manifest["otter"] == {"seed": 42, "seed_variable": "rng_seed"}


@pytest.mark.parametrize("wid", list(ASSIGNMENTS))
def test_scores_equal_otter_run(wid, otter_scores, our_results, built):
    build = built[wid][1]
    print(wid, json.dumps(otter_scores[wid]), json.dumps({k: {q.name: q.score for q in r.questions}
                                                          for k, r in our_results[wid].items()}))
    for kind, ours in our_results[wid].items():
        theirs = otter_scores[wid][kind]
        for q in build.questions:
            if q.manual:
                continue
            got = ours.question(q.name).score
            if kind == "forged" and q.name == FORGED_QUESTION[wid]:
                continue  # compared in the test below
            assert got == pytest.approx(theirs.get(q.name, 0.0)), (wid, kind, q.name, got, theirs)
    # The solution gets full marks; the wrong notebooks lose points somewhere.
    sol = our_results[wid]["solution"]
    assert all(q.score == pytest.approx(q.max_score) for q in sol.questions if not q.manual), sol.questions
    assert our_results[wid]["wrong"].total < sol.total


@pytest.mark.parametrize("wid", list(FORGED))
def test_a_patched_np_allclose_forges_otter_but_not_us(wid, otter_scores, our_results, built):
    q = FORGED_QUESTION[wid]
    full = built[wid][1].question(q).points
    assert otter_scores[wid]["forged"][q] == pytest.approx(full)  # Otter is fooled …
    ours = our_results[wid]["forged"].question(q)
    hidden = [t for t in ours.tests if t.hidden]
    assert hidden and not any(t.passed for t in hidden)  # … we are not
    assert ours.score < full


def test_feedback_shows_the_failing_line_and_values_in_english(our_results):
    from autograder.results import feedback_markdown

    r = our_results["exc"]["wrong"]
    q3 = r.question("q3")
    public = next(t for t in q3.tests if not t.hidden)
    assert not public.passed
    assert "Error at line 10 in test q3:" in public.message and "assert nine == 9" in public.message  # as Otter
    assert "nine = 8" in public.message
    md = feedback_markdown(r)
    assert "Public test 1" in md and "Hidden tests" in md and "Handle" not in md and "öğrenci" not in md
    q1 = our_results["exc"]["solution"].question("q1")
    assert "Congrats you passed this test case!" in feedback_markdown(our_results["exc"]["solution"])
    assert q1.all_or_nothing
