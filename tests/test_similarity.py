"""The similarity report (autograder/similarity): planted, disguised copies rank above every pair
of independently written answers; the released notebook and the reference solution score 0; cells
are assigned to questions robustly; the CLI writes HTML and CSV; the page renders in Chromium.

The week-1 answers of six students are hand-written fixtures (tests/fixtures/similarity); the
copies are made by ``similarity_fixtures.disguise`` (renamed names, reformatted, functions
reordered, one answer moved to the end, other comments, one extra helper)."""

from __future__ import annotations

import csv
import itertools
import os
import shutil
from pathlib import Path

import pytest
import similarity_fixtures as sf
from helpers import ROOT
from typer.testing import CliRunner

from autograder import config
from autograder.build import build_week
from autograder.similarity import OTHER, analyse, load_template
from autograder.similarity.compare import normalise
from autograder.similarity.extract import read_notebook_cells, split_answers
from autograder.similarity.report import write_report
from autograder.weekbuild import WeekBuild

COPIED = {"kopya_mehmet": "mehmet", "kopya_can": "can"}


@pytest.fixture(scope="module")
def week01(tmp_path_factory) -> WeekBuild:
    """Week 1 compiled (not validated) in a copy of the course, so no other test's build is touched."""
    root = tmp_path_factory.mktemp("simcourse")
    shutil.copy(ROOT / "course.yml", root / "course.yml")
    for d in ("assignments", "solutions"):
        shutil.copytree(ROOT / d, root / d, ignore=shutil.ignore_patterns("__pycache__"))
    course = config.load(root / "course.yml")
    report = build_week(course, course.week("week01"), check=False)
    assert report.ok, report.problems
    return WeekBuild(root, "week01")


def _batch(build: WeekBuild) -> list[tuple[str, str, bytes]]:
    subs = [(name, f"{name}.ipynb", sf.notebook(build.student_notebook, ans)) for name, ans in sf.STUDENTS.items()]
    for seed, (copy, original) in enumerate(COPIED.items()):
        answers, moved = sf.disguise(sf.STUDENTS[original], seed)
        subs.append((copy, f"{copy}.ipynb", sf.notebook(build.student_notebook, answers, moved)))
    return subs


def _names(report, pair) -> tuple[str, str]:
    return report.notebooks[pair.a].student, report.notebooks[pair.b].student


def test_planted_copies_rank_above_every_independent_pair(week01):
    report = analyse(load_template(week01), _batch(week01))
    planted = {frozenset(p) for p in COPIED.items()}
    ranked = [frozenset(_names(report, p)) for p in report.pairs]
    assert set(ranked[:2]) == planted, ranked[:4]
    copies = [p.score for p in report.pairs if frozenset(_names(report, p)) in planted]
    independent = [p.score for p in report.pairs if frozenset(_names(report, p)) not in planted
                   and not ({*_names(report, p)} & set(COPIED))]
    assert min(copies) > 0.8 and max(independent) < 0.3, (copies, max(independent))
    # The disguise (reordering, one answer moved to another cell) does not hide a question either.
    top = report.pairs[0]
    assert sum(1 for v in top.questions.values() if v is not None and v > 0.8) >= 8, top.questions
    # Every independent pair, not only those listed: the students share less than any copy.
    scored = {frozenset(_names(report, p)): p.score for p in report.pairs}
    for a, b in itertools.combinations(sf.STUDENTS, 2):
        assert scored.get(frozenset((a, b)), 0.0) < min(copies)


def test_released_notebook_and_reference_score_zero_against_blank_answers(week01):
    blank_q = ["q_w01_e3c", "q_w01_e4b", "q_w01_e1a"]
    partial = {q: code for q, code in sf.STUDENTS["mehmet"].items() if q not in blank_q}
    subs = [("yayimlanan", "released.ipynb", week01.student_notebook.read_bytes()),
            ("referans", "solution.ipynb", week01.solution_notebook.read_bytes()),
            ("bos_birakan", "partial.ipynb", sf.notebook(week01.student_notebook, partial)),
            *[(n, n, sf.notebook(week01.student_notebook, a)) for n, a in sf.STUDENTS.items() if n != "mehmet"]]
    report = analyse(load_template(week01), subs)
    by_name = {nb.student: nb for nb in report.notebooks}
    assert by_name["yayimlanan"].total == 0 and by_name["referans"].total == 0
    assert by_name["bos_birakan"].total > 0 and not set(blank_q) & set(by_name["bos_birakan"].segments)
    for p in report.pairs:
        assert not {"yayimlanan", "referans"} & set(_names(report, p)), _names(report, p)
        if "bos_birakan" in _names(report, p):
            assert all(p.questions[q] is None or p.questions[q] == 0 for q in blank_q)


def test_cells_are_assigned_to_questions_when_students_move_and_add_cells(week01):
    tpl = load_template(week01)
    answers = dict(sf.STUDENTS["ayse"])
    answers["q_w01_e3a"] = "import math  # yardımcı\n\ndef _yardimci(m):\n    return m.T\n\n" \
                           "def transform(X, A):\n    return X @ _yardimci(A)\n"
    data = sf.notebook(week01.student_notebook, answers, moved=("q_w01_e3c",),
                       extra_cells=("print('deneme')",))
    got = split_answers(read_notebook_cells(data), tpl)
    assert "def squash" in got["q_w01_e3c"]                 # moved to the end: found by its name
    assert "_yardimci" in got["q_w01_e3a"]                 # the helper stays with its question
    assert "print('deneme')" in got[OTHER]
    assert "grader.check" not in "".join(got.values())     # released cells are not the student's
    # A notebook with no prompts or check cells at all (a fresh notebook): names still decide.
    plain = sf.notebook(week01.student_notebook, {})
    import json
    nb = json.loads(plain)
    nb["cells"] = [{"cell_type": "code", "metadata": {}, "source": sf.STUDENTS["can"]["q_w01_e5b"], "outputs": [],
                    "execution_count": None},
                   {"cell_type": "code", "metadata": {}, "source": "x = 1\n%matplotlib inline\n", "outputs": [],
                    "execution_count": None}]
    got = split_answers(read_notebook_cells(json.dumps(nb).encode()), tpl)
    assert set(got) == {"q_w01_e5b", OTHER}


def test_normalisation_ignores_names_comments_literals_and_layout():
    a = "def f(x, y=2):\n    # toplam\n    s = x + y * 3.5  # not\n    return np.exp(s), 'a'\n"
    b = "def g(deger,\n      k=7):\n    toplam = deger + k * 10\n    return np.exp(toplam), \"bb\"  # başka\n"
    c = "def f(x, y=2):\n    s = x + y * 3.5\n    return np.log(s), 'a'\n"
    assert normalise(a).symbols == normalise(b).symbols
    assert normalise(a).symbols != normalise(c).symbols       # another library call is another program
    broken = normalise("def f(:\n    return 'unclosed")     # not Python: tokenised anyway
    assert len(broken.symbols) > 3


def test_cli_writes_ranked_html_and_csv_and_keeps_going_past_bad_files(week01, tmp_path):
    from autograder.cli import app

    subs = tmp_path / "subs"
    subs.mkdir()
    for student, _, data in _batch(week01):
        (subs / f"{student}_week01.ipynb").write_bytes(data)
    (subs / "bozuk_week01.ipynb").write_text("{not json")
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["similarity", "week01", str(subs), "--out", str(out),
                                   "--course", str(week01.course_root / "course.yml")])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader((out / "similarity.csv").open(encoding="utf-8")))
    assert {frozenset((rows[i]["student_a"], rows[i]["student_b"])) for i in (0, 1)} == \
        {frozenset(p) for p in COPIED.items()}
    assert rows[0]["q_w01_e4b"] and float(rows[0]["score"]) > 0.8
    html = (out / "similarity.html").read_text(encoding="utf-8")
    assert "Benzerlik bir bakma nedenidir, hüküm değildir" in html
    assert "referans çözüm solutions/week01.py" in html and "bozuk" in html   # what was excluded, and why
    assert "<script" not in html and "http://" not in html and "https://" not in html
    res = CliRunner().invoke(app, ["similarity", "week01", str(tmp_path / "nope"), "--out", str(out),
                                   "--course", str(week01.course_root / "course.yml")])
    assert res.exit_code == 2 and "no such file" in res.output


def test_student_code_is_escaped_in_the_page(week01, tmp_path):
    evil = dict(sf.STUDENTS["ayse"])
    evil["q_w01_e3a"] = "def transform(X, A):\n    s = '<script>alert(1)</script>'\n    return (A @ X.T).T\n"
    subs = [("a", "a", sf.notebook(week01.student_notebook, evil)),
            ("b", "b", sf.notebook(week01.student_notebook, evil))]
    html, _ = write_report(analyse(load_template(week01), subs), tmp_path)
    text = html.read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;" in text


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
def test_report_renders_in_headless_chromium(week01, tmp_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("playwright is not installed (make setup installs the dev dependencies)")
        pytest.skip("playwright is not installed (pip install -e '.[dev]')")
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed (scripts/install-system-deps.sh)")
        pytest.skip("chromium is not installed")
    html, _ = write_report(analyse(load_template(week01), _batch(week01)), tmp_path)
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(html.as_uri())
            assert page.locator("#notice").is_visible()
            assert page.locator("#pairs tbody tr").count() >= 2
            assert not page.locator("#pair-1").is_visible()          # opens on demand
            page.locator("#pairs tbody tr").first.locator("a").click()
            pair = page.locator("#pair-1")
            assert pair.is_visible()
            left, right = pair.locator(".side").first.locator("pre").all()
            box_l, box_r = left.bounding_box(), right.bounding_box()
            assert box_l["x"] + box_l["width"] <= box_r["x"] + 1 and abs(box_l["y"] - box_r["y"]) < 2  # side by side
            assert pair.locator("mark").count() > 5 and pair.locator("mark").first.is_visible()
        finally:
            browser.close()
    assert all(u.startswith("file://") for u in requests), requests   # no network
