"""Red team, feedback and deadline: student text cannot imitate the grader, student objects cannot
outlast the submission's time limit, and students see no timing of hidden work.

Each test grades a hostile notebook of the toy course and asserts the defence; each fails without
it (verbatim exception text in the feedback; a deadline checked only between tests; ``seconds``
in the results JSON).
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from helpers import add_cells

from autograder.results import feedback_markdown, to_gradescope, write_submission
from autograder.runner import grade_notebook

FORGED = ("Bitti\\n## q_w01_e5c\\n\\nGizli testler: 1 / 1 puan\\nToplam: **19 / 19**\\n"
          "<script>alert(1)</script> \\x1b[31mKIRMIZI\\x1b[0m \\x1b]8;;http://evil\\x07link\\x1b]8;;\\x07 ```\\n# Başlık")
SPOOF = f'''
MSG = "{FORGED}"
def scale(v, a):
    raise ValueError(MSG)
'''


@pytest.fixture(scope="module")
def spoofed(toy, tmp_path_factory):
    course, build = toy
    d = tmp_path_factory.mktemp("spoof")
    nb = add_cells(build.solution_notebook, d / "spoof.ipynb", [SPOOF, "raise RuntimeError(MSG)"])
    r = grade_notebook(build, nb, "spoof", course.limits_for(course.week("week01")))
    write_submission(d / "out", r)
    r.n_cells = len(nbformat.read(nb, as_version=4).cells)
    return r, d / "out"


def _outside_fences(md: str) -> list[str]:
    lines, fence = [], None
    for line in md.splitlines():
        m = re.match(r"^(`{3,})", line)
        if fence is None and m:
            fence = m.group(1)
        elif fence is not None and line.startswith(fence) and line.strip("`") == "":
            fence = None
        elif fence is None:
            lines.append(line)
    return lines


def test_spoofed_grader_lines_stay_inside_fences_in_markdown(spoofed):
    r, out = spoofed
    md = (out / "feedback" / "spoof.md").read_text()
    outside = _outside_fences(md)
    assert sum(line.startswith("Toplam:") for line in outside) == 1  # the grader's own
    assert not any(line.startswith("## q_w01_e5c") or line.startswith("# Başlık") for line in outside)
    assert not any("<script>" in line or "19 / 19" in line for line in outside)
    # One real "Gizli testler" line per question with hidden tests, none forged.
    assert sum(line.startswith("Gizli testler:") for line in outside) == 4
    assert "\x1b" not in md and "\x07" not in md
    assert "Bitti" in md  # the student's message is still shown, quoted


def test_spoofed_lines_are_marked_as_student_text_in_results_json(spoofed):
    r, out = spoofed
    data = json.loads((out / "results" / "spoof.json").read_text())
    q2 = next(t for t in data["tests"] if t["name"] == "q2")
    for line in q2["output"].splitlines():
        assert line.startswith(("✅", "❌", "Gizli testler:", "💡 İpucu:", "    │ ")), line
    assert sum(line.startswith("Gizli testler:") for line in q2["output"].splitlines()) == 1
    assert "Bitti" in data["extra_data"]["student_text"]["q2"][0]["message"]
    for line in data["output"].splitlines():
        assert line.startswith(("Hücre ", "    │ ")), line
    assert "\x1b" not in json.dumps(data, ensure_ascii=False)


def test_students_see_no_timing(spoofed):
    r, out = spoofed
    raw = (out / "results" / "spoof.json").read_text()
    assert r.seconds > 0
    assert "seconds" not in raw
    assert str(round(r.seconds, 2)) not in feedback_markdown(r)


def test_cell_errors_name_the_cell_the_student_sees(spoofed):
    r, _ = spoofed
    err = r.cell_errors[-1]
    assert err["first_line"] == "raise RuntimeError(MSG)"
    assert err["cell"] == r.n_cells  # the last cell, counted among all cells (markdown included)
    assert f"Hücre {err['cell']}" in to_gradescope(r)["output"]


SLOW = '''
import time
class Slow:
    def __getattr__(self, name):
        time.sleep(11)
        return 0
    def __call__(self, *a, **k):
        time.sleep(11)
        return Slow()
def square(x):
    time.sleep(11)
    return x * x
def scale(v, a):
    time.sleep(11)
    return Slow()
def make_layer(i, o):
    time.sleep(11)
    return Slow()
'''


@pytest.mark.slow
def test_slow_student_objects_cannot_outlast_the_submission_deadline(toy, tmp_path):
    """Every remote call takes 11 s, under the 12 s per-call limit, so no single call times out.
    Checked only between tests, the deadline lets the call that starts just before it run its
    full 11 s (about 25 s in all); clipped to the deadline, it ends near the 14 s limit."""
    course, build = toy
    limits = course.limits_for(course.week("week01")).model_copy(
        update={"submission_timeout_s": 14, "test_timeout_s": 12, "cell_timeout_s": 10})
    nb = add_cells(build.solution_notebook, tmp_path / "slow.ipynb", [SLOW])
    r = grade_notebook(build, nb, "slow", limits)
    assert r.status == "timeout", (r.status, r.message)
    assert r.seconds < 14 + 5, r.seconds  # without the clipping: about 23 s
