"""The staff week page's similarity report (autograder/service/similarity.py), in-process: a TA
starts it with one button, it is computed in the background over each student's counted (else
latest) submission, and the finished page and CSV rank the pair that shares its code first.
Students get 403; a report page carries its own strict CSP (no scripts)."""

from __future__ import annotations

import time

import nbformat
import pytest
from fastapi.testclient import TestClient
from service_helpers import csrf_of, fake_result, notebooks, sign_in

from autograder import gradebook as gbm
from autograder.gradebook import similarity as simdb
from autograder.service.app import create_app

SHARED = '''def ortak_yardimci(veri, esik=0.5):
    """Paylaşılan bir yardımcı."""
    toplam = 0
    for i, deger in enumerate(veri):
        if deger > esik:
            toplam += deger * i
        else:
            toplam -= deger / (i + 1)
    sonuc = [toplam * k for k in range(10) if k % 2 == 0]
    return sorted(sonuc, reverse=True)[:3]
'''
OWN = '''def baska_bir_sey(n):
    kareler = {}
    while n > 1:
        kareler[n] = n ** 2 - 3
        n = n // 2 if n % 2 == 0 else 3 * n + 1
    return max(kareler.values(), default=0)
'''


def _with_cell(blank: bytes, code: str) -> bytes:
    nb = nbformat.reads(blank.decode(), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(code))
    return nbformat.writes(nb).encode()


@pytest.fixture
def staff_env(gb, svc_root, svc_course):
    blank = notebooks(svc_course)["blank"]
    # ali's older submission shares the code and counts (graded); his newer one is not graded yet.
    old = gb.add_submission("ali", "week01", _with_cell(blank, SHARED), "ali.ipynb")
    assert gb.finish(gb.claim("setup", 60), fake_result("ali"))
    gb.add_submission("ali", "week01", _with_cell(blank, OWN), "ali2.ipynb")
    gb.add_submission("ayse", "week01", _with_cell(blank, SHARED.replace("toplam", "t").replace("veri", "xs")),
                      "ayse.ipynb")                                # latest (none graded)
    gb.add_submission("can", "week01", _with_cell(blank, OWN.replace("kareler", "d")), "can.ipynb")
    secrets = {u.id: s for u, s in gb.invite(["ta1", "ali"])[0]}
    app = create_app(svc_root / "course.yml", workers=0, gradebook=gb)
    with TestClient(app) as ta, TestClient(app) as student:
        sign_in(ta, "ta1", secrets["ta1"])
        sign_in(student, "ali", secrets["ali"])
        yield ta, student, old


def test_ta_runs_the_report_from_the_week_page_and_reads_it(staff_env, gb):
    ta, _, old = staff_env
    week = ta.get("/staff/weeks/week01").text
    assert 'href="/staff/weeks/week01/similarity"' in week
    page = ta.get("/staff/weeks/week01/similarity")
    assert page.status_code == 200 and "hüküm değildir" in page.text
    assert ta.post("/staff/weeks/week01/similarity", data={"csrf_token": "wrong"},
                   follow_redirects=False).status_code == 403
    r = ta.post("/staff/weeks/week01/similarity", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/staff/weeks/week01/similarity"
    deadline = time.monotonic() + 120
    while (runs := simdb.runs(gb, "week01"))[0].status == gbm.RUNNING and time.monotonic() < deadline:
        time.sleep(0.2)
    run = runs[0]
    assert run.status == gbm.DONE, run.message
    assert run.notebooks == 3 and run.requested_by == "ta1"
    listing = ta.get("/staff/weeks/week01/similarity").text
    assert f"/staff/similarity/{run.id}/similarity.html" in listing
    html = ta.get(f"/staff/similarity/{run.id}/similarity.html")
    assert html.status_code == 200 and "Benzerlik bir bakma nedenidir" in html.text
    assert "script-src" not in html.headers["content-security-policy"]
    assert "default-src 'none'" in html.headers["content-security-policy"]
    csv_text = ta.get(f"/staff/similarity/{run.id}/similarity.csv").text
    first = csv_text.splitlines()[1].split(",")
    assert {first[1], first[3]} == {"ali", "ayse"}, csv_text     # ali's counted submission, ayse's latest
    assert f"teslim #{old}" in csv_text


def test_students_cannot_start_or_read_reports(staff_env, gb):
    ta, student, _ = staff_env
    rid = simdb.start_run(gb, "week01", "ta1")
    simdb.finish_run(gb, rid, html="<p>rapor</p>", csv="rank\n", notebooks=0, pairs=0, seconds=0.0)
    assert student.get("/staff/weeks/week01/similarity").status_code == 403
    assert student.get(f"/staff/similarity/{rid}/similarity.html").status_code == 403
    assert student.get(f"/staff/similarity/{rid}/similarity.csv").status_code == 403
    assert ta.get(f"/staff/similarity/{rid}/similarity.html").text == "<p>rapor</p>"
    assert ta.get("/staff/similarity/99999/similarity.html").status_code == 404
