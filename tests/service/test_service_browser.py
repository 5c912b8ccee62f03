"""End to end in a real headless Chromium: a student signs in, uploads, watches the submission
get graded without reloading and reads per-question feedback; another student's results stay
closed; a TA sees the grade. Uses Debian's chromium (`apt-get install chromium`) through
Playwright; nothing is downloaded."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time

import nbformat
import pytest
from service_helpers import fake_result, notebooks

from autograder import gradebook as gbm

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def _need_browser():
    why = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        why = "playwright is not installed (pip install -e '.[dev]')"
    if CHROMIUM is None:
        why = "chromium is not installed (as root: apt-get install -y chromium, or scripts/install-system-deps.sh)"
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser test cannot run in CI: {why}")
        pytest.skip(why)


def test_student_submits_and_sees_feedback_ta_sees_grade(server_factory, svc_root, svc_course, tmp_path):
    _need_browser()
    from playwright.sync_api import expect, sync_playwright

    db = tmp_path / "gradebook.sqlite3"
    gb = gbm.Gradebook(f"sqlite:///{db}")
    gb.sync_roster(gbm.load_roster(svc_root / "roster.yml"))
    secrets = {u.id: s for u, s in gb.invite(["ali", "ayse", "ta1"])[0]}
    # ayse already has a graded submission: ali must not be able to read it.
    other = gb.add_submission("ayse", "week01", notebooks(svc_course)["blank"], "ayse.ipynb")
    assert gb.finish(gb.claim("setup", 60), fake_result("ayse"))
    nb = nbformat.reads(notebooks(svc_course)["solution"].decode(), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("def square(x):\n    return 4"))  # hidden test of q1 fails
    path = tmp_path / "ali_week01.ipynb"
    nbformat.write(nb, path)
    srv = server_factory(db, workers=1).start()

    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            r = page.goto(srv.url + "/")
            assert r.status == 401  # not signed in: the sign-in form, with 401
            page.fill("#user", "ali")
            page.fill("#secret", secrets["ali"])
            page.click("#login-button")
            expect(page.locator("#weeks")).to_contain_text("week01")
            page.click("a[href='/weeks/week01']")
            expect(page.locator("h1")).to_contain_text("week01")
            page.set_input_files("#notebook", str(path))
            t0 = time.monotonic()
            page.click("#upload-button")
            page.wait_for_url("**/submissions/*")
            page.evaluate("window.__notReloaded = true")
            first = page.locator("#status").inner_text()
            assert first in ("Kuyrukta", "Notlanıyor", "Notlandı")
            expect(page.locator("#questions")).to_be_visible(timeout=240_000)  # swapped in by the polling script
            graded_after = time.monotonic() - t0
            assert page.evaluate("window.__notReloaded === true")  # the page was never reloaded
            expect(page.locator("#status")).to_have_text("Notlandı")
            expect(page.locator("#score")).to_have_text("5 / 6")
            q1 = page.locator("#questions [data-question='q1']")
            expect(q1).to_contain_text("1 / 2")
            expect(q1).to_contain_text("Gizli testler: 0 / 1 puan")
            expect(q1).to_contain_text("Açık test 1: geçti")
            expect(q1).to_contain_text("Kare")  # the question's title from the master
            assert "test_square_hidden" not in page.content()
            # Another student's results: not found.
            r = page.goto(f"{srv.url}/submissions/{other}")
            assert r.status == 404
            assert "bulunamadı" in page.content()
            r = page.goto(f"{srv.url}/api/submissions/{other}")
            assert r.status == 404
            page.goto(srv.url + "/weeks/week01")
            expect(page.locator("#history")).to_contain_text("5 / 6")
            page.click("text=Çıkış")
            expect(page.locator("#login-form")).to_be_visible()

            page.fill("#user", "ta1")
            page.fill("#secret", secrets["ta1"])
            page.click("#login-button")
            page.wait_for_url("**/staff")
            page.click("a[href='/staff/weeks/week01']")
            expect(page.locator("tr[data-student='ali'] .js-total")).to_have_text("5")
            expect(page.locator("tr[data-student='ayse'] .js-total")).to_have_text("6")
        finally:
            browser.close()
    log = srv.log()
    for s in secrets.values():
        assert s not in log
    print(f"\nbrowser: upload click to feedback on screen {graded_after:.1f} s (first status seen: {first})")
    gb.dispose()


def _shared_page_checks_setup(svc_root, svc_course, tmp_path):
    db = tmp_path / "gradebook.sqlite3"
    gb = gbm.Gradebook(f"sqlite:///{db}")
    gb.sync_roster(gbm.load_roster(svc_root / "roster.yml"))
    secrets = {u.id: s for u, s in gb.invite(["ali", "hoca"])[0]}
    subs = {}
    due = svc_course.aware(svc_course.week("week01").due)
    for i, student in enumerate(("ali", "ayse", "can")):
        subs[student] = gb.add_submission(student, "week01", notebooks(svc_course)["blank"], f"{student}.ipynb",
                                          now=due - dt.timedelta(hours=i + 1),
                                          late_seconds=3600 if student == "ali" else 0,
                                          penalty=0.1 if student == "ali" else 0.0)
        assert gb.finish(gb.claim("setup", 60), fake_result(student, q1_hidden=student != "ali"))
    return db, gb, secrets, subs


def _bar_pixels(png: bytes) -> int:
    """Pixels of the bar colour (#0b5cad) in a screenshot."""
    from io import BytesIO

    from PIL import Image

    px = Image.open(BytesIO(png)).convert("RGB").tobytes()
    return sum(1 for i in range(0, len(px), 3)
               if abs(px[i] - 11) < 25 and abs(px[i + 1] - 92) < 25 and abs(px[i + 2] - 173) < 25)


def test_phone_width_upload_limit_and_staff_charts(server_factory, svc_root, svc_course, tmp_path):
    """At 390 px no student page scrolls sideways; a too-large upload comes back to the week page
    with the limit named; the staff week page draws a histogram per question, with the total and
    status columns in view at 1280 px."""
    _need_browser()
    from playwright.sync_api import expect, sync_playwright

    db, gb, secrets, subs = _shared_page_checks_setup(svc_root, svc_course, tmp_path)
    big = tmp_path / "big.ipynb"
    big.write_bytes(b"x" * (6 * 1024 * 1024))  # the test course allows 1 MB
    srv = server_factory(db, workers=0).start()
    widths = {}
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 390, "height": 844})
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)

            def width(path: str) -> int:
                page.goto(srv.url + path)
                widths[path] = page.evaluate("document.documentElement.scrollWidth")
                return widths[path]

            width("/login")
            page.fill("#user", "ali")
            page.fill("#secret", secrets["ali"])
            page.click("#login-button")
            expect(page.locator("#weeks")).to_contain_text("week01")
            for path in ("/", "/weeks/week01", f"/submissions/{subs['ali']}", "/submissions/99999999999999999999",
                         "/no/such/page"):
                width(path)
            assert all(w <= 390 for w in widths.values()), widths
            page.goto(srv.url + f"/submissions/{subs['ali']}")
            expect(page.locator("#late-note")).to_contain_text("%10")
            page.goto(srv.url + "/weeks/week01")
            page.set_input_files("#notebook", str(big))
            page.click("#upload-button")
            page.wait_for_url("**/weeks/week01")
            expect(page.locator("#error")).to_contain_text("Dosya çok büyük: en fazla 1 MB")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.reload()  # post/redirect/get: a reload neither re-posts nor repeats the message
            expect(page.locator("#error")).to_have_count(0)
            page.click("text=Çıkış")

            page.set_viewport_size({"width": 1280, "height": 900})
            page.fill("#user", "hoca")
            page.fill("#secret", secrets["hoca"])
            page.click("#login-button")
            page.goto(srv.url + "/staff/weeks/week01")
            total = page.locator("tr[data-student='ali'] .js-total").bounding_box()
            status = page.locator("tr[data-student='ali'] .js-status").bounding_box()
            assert total["x"] + total["width"] <= 1280 and status["x"] + status["width"] <= 1280
            shots = {}
            for q in ("toplam", "q1", "q2", "q3", "q4"):
                chart = page.locator(f"#hist-{q}")
                chart.scroll_into_view_if_needed()
                expect(chart.locator("rect.bar")).to_have_count(5)
                shots[q] = _bar_pixels(chart.screenshot())
            assert all(n > 300 for n in shots.values()), shots  # bars drawn, not just present in the markup
            assert _bar_pixels(page.locator("#per-hour").screenshot()) > 0
        finally:
            browser.close()
    print(f"\nscrollWidth at 390 px: {widths}; bar pixels per histogram: {shots}")
    gb.dispose()
