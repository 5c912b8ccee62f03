"""Service round two (issue 16), in-process: server-side sessions, the sign-in slow-down and trusted
proxies, Turkish error pages, HEAD, feedback wording (titles, hints, late note), class statistics,
extensions (web and CLI) and BOM exports. No grading: results are stand-ins (service_helpers)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml
from fastapi.testclient import TestClient
from service_helpers import csrf_of, fake_result, notebooks, sign_in, upload
from typer.testing import CliRunner

from autograder import gradebook as gbm
from autograder.cli import app as cli_app
from autograder.results import QuestionResult, SubmissionResult, TestResult, question_output, to_gradescope
from autograder.service import security
from autograder.service.app import create_app
from autograder.weekbuild import question_titles


def _course(svc_root, name: str, **service) -> str:
    """A copy of the test course file with some service settings changed."""
    raw = yaml.safe_load((svc_root / "course.yml").read_text(encoding="utf-8"))
    raw["service"].update(service)
    (svc_root / name).write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return name


def _app(svc_root, gb, course_file: str = "course.yml", now=None):
    return create_app(svc_root / course_file, workers=0, gradebook=gb, now=now)


def _graded(gb, svc_course, student: str, result: SubmissionResult | None = None, **kw) -> int:
    sid = gb.add_submission(student, "week01", notebooks(svc_course)["blank"], f"{student}.ipynb", **kw)
    claim = gb.claim("test", 60)
    assert claim.id == sid
    assert gb.finish(claim, result or fake_result(student))
    return sid


# --------------------------------------------------------------------------- sessions

def test_cookie_replayed_after_sign_out_gets_401(svc_root, svc_course, gb):
    (_, secret), = gb.invite(["ali"])[0]
    sid = _graded(gb, svc_course, "ali")
    app = _app(svc_root, gb)
    with TestClient(app) as c:
        sign_in(c, "ali", secret)
        cookie = c.cookies.get("ag_session")
        assert c.get(f"/api/submissions/{sid}").status_code == 200
        tok = csrf_of(c.get("/").text)
        assert c.post("/logout", data={"csrf_token": tok}, follow_redirects=False).status_code == 303
    (row,) = gb.sessions_of("ali")
    assert row.ended_at is not None and row.ended_by == "logout"
    with TestClient(app) as thief:  # the copied cookie, replayed after sign-out
        thief.cookies.set("ag_session", cookie)
        assert thief.get(f"/api/submissions/{sid}").status_code == 401
        assert thief.get("/weeks/week01").status_code == 401
        assert thief.get(f"/submissions/{sid}").status_code == 401


def test_cookie_holds_only_a_random_token(svc_root, gb):
    import base64
    import json

    (_, secret), = gb.invite(["ali"])[0]
    with TestClient(_app(svc_root, gb)) as c:
        sign_in(c, "ali", secret)
        payload = c.cookies.get("ag_session").split(".")[0]
        data = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    assert list(data) == ["sid"] and len(data["sid"]) >= 40
    assert gb.sessions_of("ali")[0].id_hash != data["sid"]  # only its hash is stored


def test_staff_see_and_end_sessions(svc_root, gb):
    secrets = {u.id: s for u, s in gb.invite(["ali", "ta1", "hoca"])[0]}
    app = _app(svc_root, gb)
    with TestClient(app) as stu, TestClient(app) as stu2, TestClient(app) as ta, TestClient(app) as hoca:
        sign_in(stu, "ali", secrets["ali"])
        sign_in(stu2, "ali", secrets["ali"])
        sign_in(ta, "ta1", secrets["ta1"])
        sign_in(hoca, "hoca", secrets["hoca"])
        page = ta.get("/staff/students/ali").text
        assert page.count('<span class="badge open">açık</span>') == 2 and "testclient" in page
        one = re.search(r'name="session" value="([0-9a-f]{64})"', page).group(1)
        tok = csrf_of(page)
        r = ta.post("/staff/students/ali/sessions/end", data={"csrf_token": tok, "session": one},
                    follow_redirects=False)
        assert r.status_code == 303 and "1 oturum kapatıldı" in ta.get(r.headers["location"]).text
        assert sorted([stu.get("/").status_code, stu2.get("/").status_code]) == [200, 401]  # exactly that one
        ta.post("/staff/students/ali/sessions/end", data={"csrf_token": tok})
        assert stu.get("/").status_code == 401 and stu2.get("/").status_code == 401
        # A TA may not end an instructor's sessions; nobody without a CSRF token.
        assert ta.post("/staff/students/hoca/sessions/end", data={"csrf_token": tok}).status_code == 403
        assert hoca.get("/staff").status_code == 200
        sign_in(stu, "ali", secrets["ali"])
        tok = csrf_of(stu.get("/").text)
        assert stu.post("/staff/students/ta1/sessions/end", data={"csrf_token": tok}).status_code == 403


def test_roster_removal_and_reissue_end_session_rows(svc_root, gb):
    (u, secret), = gb.invite(["can"])[0]
    gb.start_session(u, 1)
    gb.invite(["can"], reissue=True)
    assert [s.ended_by for s in gb.sessions_of("can")] == ["reissue"]
    gb.start_session(gb.user("can"), 1)
    roster = gbm.load_roster(svc_root / "roster.yml")
    gb.sync_roster(gbm.Roster(roster.path, [p for p in roster.people if p.id != "can"]))
    assert [s.ended_by for s in gb.sessions_of("can")] == ["roster", "reissue"]


# --------------------------------------------------------------------------- sign-in slow-down

def _try(c: TestClient, user: str, secret: str, headers: dict | None = None) -> int:
    tok = csrf_of(c.get("/login").text)
    return c.post("/login", data={"user": user, "secret": secret, "csrf_token": tok}, headers=headers,
                  follow_redirects=False).status_code


def test_brute_force_on_an_id_does_not_lock_out_its_owner(svc_root, gb):
    secrets = {u.id: s for u, s in gb.invite(["deniz", "ayse"])[0]}
    app = _app(svc_root, gb)
    app.state.ctx.slowdown = security.SlowDown(clock=lambda: 1000.0)  # no time passes: the waits never run out
    with TestClient(app, client=("203.0.113.66", 4000)) as attacker:
        codes = [_try(attacker, "deniz", f"guess-{i}") for i in range(12)]
        assert codes[:3] == [401] * 3 and set(codes[3:]) == {429}  # slowed down, secrets not even checked
        assert _try(attacker, "deniz", secrets["deniz"]) == 429
    with TestClient(app, client=("198.51.100.7", 5000)) as owner:  # the owner, from her own address
        assert _try(owner, "deniz", secrets["deniz"]) == 303
        assert owner.get("/").status_code == 200


def test_made_up_ids_from_a_shared_address_lock_nobody_out(svc_root, gb):
    (_, secret), = gb.invite(["ayse"])[0]
    app = _app(svc_root, gb)
    nat = ("192.0.2.10", 6000)  # a campus NAT: the attacker and the student share the address
    with TestClient(app, client=nat) as attacker:
        assert {_try(attacker, f"made-up-{i}", "x") for i in range(50)} == {401}
    with TestClient(app, client=nat) as student:
        assert _try(student, "ayse", secret) == 303


def test_trusted_proxies_decide_whom_x_forwarded_for_names(svc_root, gb):
    (_, secret), = gb.invite(["ece"])[0]
    proxy = ("10.0.0.5", 7000)
    app = _app(svc_root, gb, _course(svc_root, "proxied.yml", trusted_proxies=["10.0.0.0/24"]))
    app.state.ctx.slowdown = security.SlowDown(clock=lambda: 1000.0)
    with TestClient(app, client=proxy) as c:
        for _ in range(4):
            _try(c, "ece", "wrong", headers={"x-forwarded-for": "203.0.113.9"})
        assert _try(c, "ece", secret, headers={"x-forwarded-for": "203.0.113.9"}) == 429
        # Another client behind the same proxy is a different address: not slowed down.
        assert _try(c, "ece", secret, headers={"x-forwarded-for": "203.0.113.10"}) == 303
    # Without the setting the header is not believed: a client cannot pick a fresh address per try.
    app = _app(svc_root, gb)
    app.state.ctx.slowdown = security.SlowDown(clock=lambda: 1000.0)
    with TestClient(app, client=("203.0.113.20", 1)) as c:
        for i in range(4):
            _try(c, "ece", "wrong", headers={"x-forwarded-for": f"198.51.100.{i}"})
        assert _try(c, "ece", secret, headers={"x-forwarded-for": "198.51.100.99"}) == 429


def test_client_address_and_slowdown_units():
    t = ["10.0.0.0/8", "127.0.0.1"]
    assert security.client_address("10.1.1.1", "1.2.3.4, 10.2.2.2", t) == "1.2.3.4"
    assert security.client_address("10.1.1.1", "6.6.6.6, 1.2.3.4", t) == "1.2.3.4"  # left entries are the client's
    assert security.client_address("5.5.5.5", "1.2.3.4", t) == "5.5.5.5"  # not from a proxy: header ignored
    assert security.client_address("10.1.1.1", "garbage", t) == "10.1.1.1"
    assert security.client_address("10.1.1.1", "1.2.3.4", []) == "10.1.1.1"
    now = [1000.0]
    s = security.SlowDown(free=3, base_s=1, max_s=60, forget_s=3600, max_keys=5, clock=lambda: now[0])
    waits = []
    for _ in range(10):
        s.failed("a", "x")
        waits.append(s.wait_s("a", "x"))
    assert waits == [0, 0, 1, 2, 4, 8, 16, 32, 60, 60]  # growing, capped
    assert s.wait_s("b", "x") == 0 and s.wait_s("a", "y") == 0  # only the failing pair
    now[0] += 61
    assert s.wait_s("a", "x") == 0
    s.succeeded("a", "x")
    s.failed("a", "x")
    assert s.wait_s("a", "x") == 0  # a success started it over
    for i in range(20):
        s.failed("flood", str(i))
    assert len(s._state) == 5  # bounded memory


def test_trusted_proxies_setting_is_validated(svc_root):
    from autograder import config

    with pytest.raises(config.ConfigError, match="trusted_proxies"):
        config.load(svc_root / _course(svc_root, "badproxy.yml", trusted_proxies=["nginx"]))


# --------------------------------------------------------------------------- errors, HEAD, limits

def test_error_pages_are_turkish_and_in_layout(svc_root, gb):
    (_, secret), = gb.invite(["ali"])[0]
    with TestClient(_app(svc_root, gb)) as c:
        sign_in(c, "ali", secret)
        for path in ("/submissions/99999999999999999999", "/submissions/abc", "/submissions/0",
                     "/no/such/page"):
            r = c.get(path)
            assert r.status_code == 404 and 'id="error-page"' in r.text, path
            assert "bulunamadı" in r.text and 'id="who"' in r.text  # layout, with the navigation
        r = c.get("/api/submissions/99999999999999999999")
        assert r.status_code == 404 and r.json()["detail"].startswith("Böyle bir teslim")
        r = c.put("/login")
        assert r.status_code == 405 and "istek türünü kabul etmiyor" in r.text and "allow" in r.headers
        tok = csrf_of(c.get("/weeks/week01").text)
        r = c.post("/weeks/week01/submissions", content=b"--xx\r\nbroken", headers={
            "content-type": "multipart/form-data"})  # no boundary
        assert r.status_code == 400 and "okunamadı" in r.text and 'id="error-page"' in r.text
        r = c.post("/logout", content=b"\xff\xfe{", headers={"content-type": "application/json"})
        assert r.status_code in (400, 403) and 'id="error-page"' in r.text and tok


def test_head_works_wherever_get_does(svc_root, gb):
    with TestClient(_app(svc_root, gb)) as c:
        for path, code in (("/", 401), ("/healthz", 200), ("/login", 200), ("/static/app.css", 200)):
            g, h = c.get(path), c.head(path)
            assert h.status_code == code == g.status_code, path
            assert h.content == b"" and h.headers.get("content-length") == g.headers.get("content-length")


def test_six_megabyte_upload_says_the_limit_on_the_week_page(svc_root, svc_course, gb):
    (_, secret), = gb.invite(["ali"])[0]
    with TestClient(_app(svc_root, gb, _course(svc_root, "five.yml", max_upload_mb=5))) as c:
        sign_in(c, "ali", secret)
        tok = csrf_of(c.get("/weeks/week01").text)
        r = c.post("/weeks/week01/submissions", data={"csrf_token": tok},
                   files={"notebook": ("big.ipynb", b"x" * (6 * 1024 * 1024), "application/x-ipynb+json")},
                   follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/weeks/week01"
        page = c.get("/weeks/week01").text
        assert re.search(r'id="error">Dosya çok büyük: en fazla 5 MB', page)
    assert gb.submissions(student="ali") == []


# --------------------------------------------------------------------------- feedback

def _hinted(student: str) -> SubmissionResult:
    qs = [QuestionResult("q1", 2.0, tests=[TestResult("q1_public", False, 0.0, True),
                                           TestResult("q1_h1", True, 1.0, False, "AssertionError: 16 != 4",
                                                      hint="Negatif sayıları da dene."),
                                           TestResult("q1_h2", True, 1.0, True)]),
          QuestionResult("q2", 2.0, tests=[TestResult("q2_public", False, 0.0, False, "beklenen (2, 3)"),
                                           TestResult("q2_h", True, 2.0, False, "leak: secret input 7")])]
    return SubmissionResult(student=student, week="week01", questions=qs)


def test_question_output_wording_and_hints():
    r = _hinted("ali")
    q1, q2 = (question_output(q) for q in r.questions)
    assert "✅ Açık test 1: geçti (kendi kontrolün için, puanı yok)" in q1 and "(0 puan)" not in q1
    assert "💡 İpucu: Negatif sayıları da dene." in q1 and "16 != 4" not in q1
    # The failure's message follows the line (on main it is quoted on lines of its own).
    assert "❌ Açık test 1: geçmedi (kendi kontrolün için, puanı yok)" in q2 and "beklenen (2, 3)" in q2
    assert "İpucu" not in q2 and "secret input" not in q2  # no hint written: the message stays hidden
    extra = to_gradescope(r)["extra_data"]["hidden_tests"]
    assert extra == {"q1": [{"passed": False, "hint": "Negatif sayıları da dene."}, {"passed": True, "hint": ""}],
                     "q2": [{"passed": False, "hint": ""}]}
    assert "secret input" not in str(to_gradescope(r))


def test_question_titles_from_the_master(svc_course):
    titles = question_titles(svc_course.master_path(svc_course.week("week01")))
    assert titles == {"q1": "Kare", "q2": "Ölçekle", "q3": "Katman", "q4": "Çoktan seçmeli"}
    from pathlib import Path

    real = question_titles(Path(__file__).resolve().parents[2] / "assignments" / "week01" / "week01.ipynb")
    assert real["q_w01_e1a"] == "Soru 1a — NumPy ile perceptron"  # "(1 puan)" dropped
    assert question_titles(Path("/nonexistent.ipynb")) == {}


def test_panel_shows_hint_and_explains_the_late_penalty(svc_root, svc_course, gb):
    (_, secret), = gb.invite(["ali"])[0]
    sid = _graded(gb, svc_course, "ali", _hinted("ali"), late_seconds=30 * 3600, penalty=0.2)
    with TestClient(_app(svc_root, gb)) as c:
        sign_in(c, "ali", secret)
        page = c.get(f"/submissions/{sid}").text
        assert "💡 İpucu: Negatif sayıları da dene." in page and "<strong>Kare</strong>" in page
        note = re.search(r'id="late-note">([^<]*)<', page).group(1)
        assert "30.0 saat sonra" in note and "%10" in note and "toplam %20" in note and "Ham puan 1 → sayılan puan 0.8" in note
        home = c.get("/").text
        week = c.get("/weeks/week01").text
        assert "en yüksek puanlı teslim" in home and "en yüksek puanlı teslim" in week and "en iyi teslim" not in week


# --------------------------------------------------------------------------- statistics

def test_staff_week_page_statistics(svc_root, svc_course, gb):
    (_, secret), = gb.invite(["ta1"])[0]
    _graded(gb, svc_course, "ali", _hinted("ali"))
    _graded(gb, svc_course, "ayse", _hinted("ayse"))
    _graded(gb, svc_course, "can")  # full marks
    with TestClient(_app(svc_root, gb)) as c:
        sign_in(c, "ta1", secret)
        page = c.get("/staff/weeks/week01").text
    for q in ("toplam", "q1", "q2", "q3", "q4"):
        assert f'id="hist-{q}"' in page, q
    hist_q1 = re.search(r'<svg class="chart" id="hist-q1".*?</svg>', page, re.S).group(0)
    assert [int(n) for n in re.findall(r'data-count="(\d+)"', hist_q1)] == [0, 0, 2, 0, 1]  # 1, 1, 2 of 2
    fig = re.search(r'data-question="q1">.*?</figcaption>', page, re.S).group(0)
    assert "ortalama 1.33 / 2" in fig and "tam puan %33" in fig
    failing = re.search(r'id="failing">.*?</table>', page, re.S).group(0)
    assert "Negatif sayıları da dene." in failing and "<td>2</td>" in failing
    per_hour = re.search(r'<svg class="chart" id="per-hour".*?</svg>', page, re.S).group(0)
    assert per_hour.count('class="bar"') == 48 + 48  # 48 h before the due date, 48 h late window
    # Total and status come first in the grade table (kept in view by CSS).
    head = re.search(r'<table class="grid sticky" id="grades">\s*<thead><tr>(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r"<th[^>]*>([^<]+)</th>", head)[:3] == ["Öğrenci", "Puan", "Son durum"]


# --------------------------------------------------------------------------- extensions

def test_extension_lets_a_student_upload_after_the_due_date_without_penalty(svc_root, svc_course, gb):
    secrets = {u.id: s for u, s in gb.invite(["ali", "ayse", "hoca", "ta1"])[0]}
    due = svc_course.aware(svc_course.week("week01").due)
    nb = notebooks(svc_course)["blank"]
    late = _graded(gb, svc_course, "ali", late_seconds=3600, penalty=0.1,
                   now=due + dt.timedelta(hours=1))
    assert gb.result(gb.submission(late).result_id).score == pytest.approx(5.4)
    with TestClient(_app(svc_root, gb, now=lambda: due + dt.timedelta(hours=60))) as hoca, \
            TestClient(_app(svc_root, gb, now=lambda: due + dt.timedelta(hours=60))) as ta:
        sign_in(hoca, "hoca", secrets["hoca"])
        sign_in(ta, "ta1", secrets["ta1"])
        tok = csrf_of(ta.get("/staff/weeks/week01").text)
        assert ta.post("/staff/weeks/week01/extensions", data={"csrf_token": tok, "student": "ali",
                                                              "hours": "72"}).status_code == 403  # instructors only
        tok = csrf_of(hoca.get("/staff/weeks/week01").text)
        for bad in ({"student": "nobody", "hours": "5"}, {"student": "ali", "hours": "-1"},
                    {"student": "ali", "hours": "çok"}):
            r = hoca.post("/staff/weeks/week01/extensions", data={"csrf_token": tok, **bad}, follow_redirects=False)
            assert r.status_code == 303 and "Süre uzatılmadı" in hoca.get(r.headers["location"]).text
        r = hoca.post("/staff/weeks/week01/extensions", data={"csrf_token": tok, "student": "ali", "hours": "72",
                                                             "reason": "sağlık raporu"}, follow_redirects=False)
        assert r.status_code == 303
        page = hoca.get("/staff/weeks/week01").text
        assert 'id="extensions"' in page and 'data-student="ali"' in page and "sağlık raporu" in page
    # The earlier late upload is re-priced: no penalty under the new due date.
    assert gb.submission(late).penalty == 0 and gb.result(gb.submission(late).result_id).score == 6
    # 60 h after the week's due date: past the 48 h late window, so ayse is refused; ali uploads on time.
    with TestClient(_app(svc_root, gb, now=lambda: due + dt.timedelta(hours=60))) as c:
        sign_in(c, "ayse", secrets["ayse"])
        r = upload(c, "week01", nb)
        assert r.status_code == 303 and "süresi doldu" in c.get("/weeks/week01").text
    with TestClient(_app(svc_root, gb, now=lambda: due + dt.timedelta(hours=60))) as c:
        sign_in(c, "ali", secrets["ali"])
        page = c.get("/weeks/week01").text
        assert 'id="extension"' in page and "Teslim süresi geçti" not in page  # on time under the extension
        r = upload(c, "week01", nb)
        assert r.status_code == 303 and r.headers["location"].startswith("/submissions/")
    sub = gb.submission(int(r.headers["location"].rsplit("/", 1)[1]))
    assert sub.penalty == 0 and sub.late_seconds == 0
    assert [s.student for s, _ in gb.submissions(week="week01")].count("ayse") == 0
    csv_text = gbm.export_csv(gb, svc_course, svc_course.week("week01"))
    ali = next(r for r in csv_text.splitlines() if r.startswith("ali,"))
    assert ",6,0,6,6,ok," in ali  # raw, penalty 0, score 6


def test_cli_extend_and_bom_export(svc_root, svc_course, gb, tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOGRADER_DATABASE_URL", gb.url)
    course = ["--course", str(svc_root / "course.yml")]
    runner = CliRunner()
    r = runner.invoke(cli_app, ["extend", "ali", "week01", "--hours", "24", "--reason", "rapor", *course])
    assert r.exit_code == 0, r.output
    ext = gb.extension("ali", "week01")
    assert ext.due_at.replace(tzinfo=dt.timezone.utc) == svc_course.aware(svc_course.week("week01").due) + \
        dt.timedelta(hours=24) and ext.granted_by == "cli"
    assert runner.invoke(cli_app, ["extend", "nobody", "week01", "--hours", "2", *course]).exit_code == 2
    assert runner.invoke(cli_app, ["extend", "ali", "week01", "--hours", "0", *course]).exit_code == 2
    assert runner.invoke(cli_app, ["extend", "ali", "week01", *course]).exit_code == 2
    assert runner.invoke(cli_app, ["extend", "ali", "week01", "--remove", *course]).exit_code == 0
    assert gb.extension("ali", "week01") is None
    out = tmp_path / "grades.csv"
    assert runner.invoke(cli_app, ["export", "week01", "--out", str(out), *course]).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and "Ayşe Yılmaz" in out.read_text(encoding="utf-8-sig")
    assert runner.invoke(cli_app, ["export", "week01", "--out", str(out), "--no-bom", *course]).exit_code == 0
    assert out.read_bytes().startswith(b"student,")
