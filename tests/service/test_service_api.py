"""The service's routes for every role, in-process (FastAPI TestClient); grading by an in-process
worker, for real where the feedback is checked and with a stand-in where only the queue matters."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import yaml
from fastapi.testclient import TestClient
from service_helpers import csrf_of, fake_result, notebooks, sign_in, upload

from autograder import gradebook as gbm
from autograder.service.app import create_app
from autograder.service.worker import Worker

PEOPLE = ["ali", "ayse", "can", "deniz", "ece", "s58", "s59", "ta1", "hoca"]


@pytest.fixture(scope="module")
def env(svc_root, tmp_path_factory):
    db = tmp_path_factory.mktemp("api") / "gradebook.sqlite3"
    gb = gbm.Gradebook(f"sqlite:///{db}")
    gb.sync_roster(gbm.load_roster(svc_root / "roster.yml"))
    issued, _ = gb.invite(PEOPLE)
    app = create_app(svc_root / "course.yml", workers=0, gradebook=gb)
    yield SimpleNamespace(gb=gb, app=app, secrets={u.id: s for u, s in issued}, root=svc_root, db=db)
    gb.dispose()


@pytest.fixture(scope="module")
def clients(env):
    """Signed-in clients per person (module-wide, like browsers left open)."""
    made = {}

    def get(who: str) -> TestClient:
        if who not in made:
            c = TestClient(env.app)
            c.__enter__()
            sign_in(c, who, env.secrets[who])
            made[who] = c
        return made[who]

    yield get
    for c in made.values():
        c.__exit__(None, None, None)


def hardcoded_square(svc_course) -> bytes:
    """The solution with `square` hard-coded to the public example: public test passes, hidden fails."""
    nb = nbformat.reads(notebooks(svc_course)["solution"].decode(), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("def square(x):\n    return 4"))
    return nbformat.writes(nb).encode()


@pytest.fixture(scope="module")
def graded(env, clients, svc_course):
    """ali uploads a partly wrong notebook, ayse a blank one; one in-process worker grades both for real."""
    ali, ayse = clients("ali"), clients("ayse")
    r1 = upload(ali, "week01", hardcoded_square(svc_course), name="ali_week01.ipynb")
    r2 = upload(ayse, "week01", notebooks(svc_course)["blank"])
    assert r1.status_code == 303 and r2.status_code == 303
    ids = [int(r.headers["location"].rsplit("/", 1)[1]) for r in (r1, r2)]
    assert ali.get(f"/api/submissions/{ids[0]}").json()["status"] == "queued"
    w = Worker(env.root / "course.yml", gb=env.gb)
    try:
        assert w.drain(timeout_s=300) == 2
    finally:
        w.close()
    return SimpleNamespace(ali=ids[0], ayse=ids[1])


# --------------------------------------------------------------------------- who may see what

PROTECTED_GET = ["/", "/weeks/week01", "/submissions/1", "/submissions/1/panel", "/api/submissions/1", "/staff",
                 "/staff/weeks/week01", "/staff/weeks/week01/export?format=csv", "/staff/students/ali",
                 "/staff/submissions/1", "/staff/submissions/1/panel", "/staff/submissions/1/notebook",
                 "/admin/roster"]
PROTECTED_POST = ["/weeks/week01/submissions", "/staff/weeks/week01/regrade"]


@pytest.mark.parametrize("path", PROTECTED_GET + [f"POST {p}" for p in PROTECTED_POST])
def test_unauthenticated_requests_get_401(env, path):
    with TestClient(env.app) as c:
        if path.startswith("POST "):
            r = c.post(path[5:], data={"csrf_token": "x"}, follow_redirects=False)
        else:
            r = c.get(path, follow_redirects=False)
    assert r.status_code == 401
    if path.startswith("/api/"):
        assert r.json()["detail"]
    else:
        assert 'id="login-form"' in r.text  # a browser gets the sign-in form with the 401


def test_healthz_and_static_need_no_sign_in(env):
    with TestClient(env.app) as c:
        assert c.get("/healthz").json() == {"ok": True}
        assert c.get("/static/app.js").status_code == 200
        assert c.get("/login").status_code == 200


# Expected status per role (student = the owner of the submission), every GET route.
MATRIX = {
    "/": (200, 303, 303),
    "/login": (303, 303, 303),
    "/healthz": (200, 200, 200),
    "/weeks/week01": (200, 403, 403),
    "/submissions/{sid}": (200, 403, 403),
    "/submissions/{sid}/panel": (200, 403, 403),
    "/api/submissions/{sid}": (200, 200, 200),
    "/staff": (403, 200, 200),
    "/staff/weeks/week01": (403, 200, 200),
    "/staff/weeks/week01/export?format=csv": (403, 200, 200),
    "/staff/students/ali": (403, 200, 200),
    "/staff/submissions/{sid}": (403, 200, 200),
    "/staff/submissions/{sid}/panel": (403, 200, 200),
    "/staff/submissions/{sid}/notebook": (403, 200, 200),
    "/admin/roster": (403, 403, 200),
}


@pytest.mark.parametrize("route", list(MATRIX))
def test_role_matrix(clients, graded, route):
    path = route.format(sid=graded.ali)
    for who, expected in zip(("ali", "ta1", "hoca"), MATRIX[route]):
        assert clients(who).get(path, follow_redirects=False).status_code == expected, (who, path)


def test_sign_in_returns_to_the_page_asked_for_and_nowhere_else(env):
    for nxt, where in [("/weeks/week01", "/weeks/week01"), ("//evil.example/x", "/"), ("https://evil.example", "/"),
                       ("/\\evil.example", "/")]:
        with TestClient(env.app) as c:
            assert 'name="next" value="/weeks/week01"' in c.get("/weeks/week01").text  # the 401 form remembers
            tok = csrf_of(c.get("/login").text)
            r = c.post("/login", data={"user": "ece", "secret": env.secrets["ece"], "csrf_token": tok, "next": nxt},
                       follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"] == where, nxt


def test_student_gets_403_on_staff_and_instructor_pages(clients, graded):
    c = clients("ali")
    for path in ["/staff", "/staff/weeks/week01", "/staff/weeks/week01/export?format=csv", "/staff/students/ayse",
                 f"/staff/submissions/{graded.ali}", f"/staff/submissions/{graded.ali}/notebook", "/admin/roster"]:
        assert c.get(path, follow_redirects=False).status_code == 403, path
    tok = csrf_of(c.get("/weeks/week01").text)
    assert c.post("/staff/weeks/week01/regrade", data={"csrf_token": tok}).status_code == 403


def test_ta_gets_403_on_student_and_instructor_pages(clients, graded, svc_course):
    ta = clients("ta1")
    assert ta.get("/", follow_redirects=False).headers["location"] == "/staff"
    for path in ["/weeks/week01", f"/submissions/{graded.ali}", f"/submissions/{graded.ali}/panel", "/admin/roster"]:
        assert ta.get(path, follow_redirects=False).status_code == 403, path
    tok = csrf_of(ta.get("/staff").text)
    r = ta.post("/weeks/week01/submissions", data={"csrf_token": tok},
                files={"notebook": ("x.ipynb", notebooks(svc_course)["blank"], "application/json")})
    assert r.status_code == 403


def test_instructor_sees_roster_and_staff_pages(clients, graded):
    c = clients("hoca")
    r = c.get("/admin/roster")
    assert r.status_code == 200 and "Ayşe Yılmaz" in r.text and "s05" in r.text
    assert c.get("/staff").status_code == 200
    assert c.get("/staff/weeks/week01").status_code == 200


def test_student_sees_only_own_submissions(clients, graded):
    ali, ayse = clients("ali"), clients("ayse")
    for path in [f"/submissions/{graded.ali}", f"/submissions/{graded.ali}/panel", f"/api/submissions/{graded.ali}"]:
        assert ali.get(path).status_code == 200, path
        r = ayse.get(path)
        assert r.status_code == 404, path
        assert "Ali Veli" not in r.text and "ali_week01" not in r.text  # nothing about the owner leaks
    week = ayse.get("/weeks/week01").text
    assert f"/submissions/{graded.ayse}" in week and f"/submissions/{graded.ali}" not in week
    assert ayse.get("/api/submissions/999999").status_code == 404


# --------------------------------------------------------------------------- feedback

def test_feedback_per_question_public_detail_hidden_scores_only(clients, graded, env):
    ali = clients("ali")
    status = ali.get(f"/api/submissions/{graded.ali}").json()
    assert status["status"] == "done" and status["grade_status"] == "ok"
    assert status["score"] == 5 and status["max_score"] == 6  # q1's hidden test fails: hard-coded answer
    page = ali.get(f"/submissions/{graded.ali}").text
    for q, title in (("q1", "Kare"), ("q2", "Ölçekle"), ("q3", "Katman"), ("q4", "Çoktan seçmeli")):
        assert f'data-question="{q}"' in page and f'<code class="qname">{q}</code>' in page
        assert f"<strong>{title}</strong>" in page  # the question's Turkish title from the master
    assert "1 / 2" in page and "Gizli testler: 0 / 1 puan" in page
    assert "✅ Açık test 1: geçti (" in page
    # Hidden tests appear as a score only: no names, code, messages or expected values.
    panel = ali.get(f"/submissions/{graded.ali}/panel").text
    assert "Gizli testler: 0 / 1 puan" in panel
    # (The hidden test's hint, "… öğesinin karesi", is shown by design; its assertion text is not.)
    for leak in ("test_square_hidden", "assert_close", "default_rng", "hidden", "kare:", "msg="):
        assert leak not in panel
    blank = clients("ayse").get(f"/api/submissions/{graded.ayse}").json()
    assert blank["status"] == "done" and blank["score"] == 0


def test_week_page_shows_history_and_counted_score(clients, graded):
    page = clients("ali").get("/weeks/week01").text
    assert 'id="history"' in page and "sayılan" in page and "5 / 6" in page
    home = clients("ali").get("/").text
    assert "5 / 6" in home


def test_status_endpoint_for_staff(clients, graded):
    j = clients("ta1").get(f"/api/submissions/{graded.ali}").json()
    assert j["id"] == graded.ali and j["status"] == "done" and j["score"] == 5


# --------------------------------------------------------------------------- sign-in

def test_sign_in_failures(env):
    with TestClient(env.app) as c:
        tok = csrf_of(c.get("/login").text)
        r = c.post("/login", data={"user": "ali", "secret": "wrong-wrong", "csrf_token": tok})
        assert r.status_code == 401 and "hatalı" in r.text
        r = c.post("/login", data={"user": "nobody", "secret": env.secrets["ali"], "csrf_token": tok})
        assert r.status_code == 401
        r = c.post("/login", data={"user": "ali", "secret": env.secrets["ali"]})  # no CSRF token
        assert r.status_code == 403
        r = c.post("/login", data={"user": "ali", "secret": env.secrets["ali"], "csrf_token": "forged"})
        assert r.status_code == 403
        assert c.get("/").status_code == 401  # none of that signed anyone in


def test_sign_in_secret_is_forgiving_about_case_and_dashes(env):
    with TestClient(env.app) as c:
        sign_in(c, "ece", env.secrets["ece"].upper().replace("-", " "))
        assert c.get("/").status_code == 200


def test_sign_in_slowed_down_after_repeated_failures(env, monkeypatch):
    from autograder.service.security import SlowDown

    monkeypatch.setattr(env.app.state.ctx, "slowdown", SlowDown(clock=lambda: 1000.0))  # no time passes
    with TestClient(env.app) as c:
        for _ in range(3):
            tok = csrf_of(c.get("/login").text)
            assert c.post("/login", data={"user": "deniz", "secret": "nope", "csrf_token": tok}).status_code == 401
        tok = csrf_of(c.get("/login").text)
        r = c.post("/login", data={"user": "deniz", "secret": env.secrets["deniz"], "csrf_token": tok})
        assert r.status_code == 429 and "saniye sonra" in r.text  # this client, this id: it waits now
        assert int(r.headers["retry-after"]) >= 1


def test_secrets_never_in_logs(env, caplog):
    caplog.set_level(logging.DEBUG)
    with TestClient(env.app) as c:
        tok = csrf_of(c.get("/login").text)
        # A secret typed into the user field by mistake must not be logged either.
        c.post("/login", data={"user": env.secrets["s58"], "secret": "x", "csrf_token": tok})
        sign_in(c, "s58", env.secrets["s58"])
    text = caplog.text
    assert "sign-in: s58" in text and "<unknown id>" in text
    for s in env.secrets.values():
        assert s not in text
    assert env.gb.user("s58").secret_hash.startswith("scrypt$")
    assert env.secrets["s58"].encode() not in env.db.read_bytes()  # only hashes are stored


def test_reissued_secret_ends_sessions(env):
    with TestClient(env.app) as c:
        sign_in(c, "can", env.secrets["can"])
        assert c.get("/").status_code == 200
        (_, new), = env.gb.invite(["can"], reissue=True)[0]
        assert c.get("/").status_code == 401
        sign_in(c, "can", new)
        assert c.get("/").status_code == 200


def test_logout_needs_csrf_and_ends_session(env):
    with TestClient(env.app) as c:
        sign_in(c, "ece", env.secrets["ece"])
        assert c.post("/logout", data={}).status_code == 403
        tok = csrf_of(c.get("/").text)
        assert c.post("/logout", data={"csrf_token": tok}, follow_redirects=False).status_code == 303
        assert c.get("/").status_code == 401


# --------------------------------------------------------------------------- uploads

def _count(gb, student):
    return len(gb.submissions(student=student))


def refused(c, r, text: str, week: str = "week01") -> None:
    """Post/redirect/get: an upload error sends the student back to the week page, which shows the
    message once (reloading the page neither re-posts the form nor repeats the message)."""
    assert r.status_code == 303 and r.headers["location"] == f"/weeks/{week}", (r.status_code, r.text[:300])
    page = c.get(r.headers["location"])
    assert page.status_code == 200 and 'id="error"' in page.text and text in page.text, page.text[-1500:]
    assert 'id="error"' not in c.get(r.headers["location"]).text


def test_upload_validation(env, clients, svc_course):
    c = clients("ece")
    before = _count(env.gb, "ece")
    good = notebooks(svc_course)["blank"]
    refused(c, upload(c, "week01", good, name="notes.txt"), "Yalnızca Jupyter not defteri")
    refused(c, upload(c, "week01", b"{not json", name="a.ipynb"), "Not defteri okunamadı")
    refused(c, upload(c, "week01", b'{"hello": 1}', name="a.ipynb"), "Not defteri okunamadı")
    other = json.loads(good)
    other["metadata"]["otter"]["assignment_name"] = "week02"
    refused(c, upload(c, "week01", json.dumps(other).encode()), "week02")
    big = json.loads(good)
    big["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "x" * (1024 * 1024 + 10)})
    refused(c, upload(c, "week01", json.dumps(big).encode()), "en fazla 1 MB")
    huge = b"x" * (3 * 1024 * 1024)  # over the body limit: refused before it is parsed, same message
    tok = csrf_of(c.get("/weeks/week01").text)
    r = c.post("/weeks/week01/submissions", data={"csrf_token": tok}, files={"notebook": ("a.ipynb", huge, "x")},
               follow_redirects=False)
    refused(c, r, "Dosya çok büyük: en fazla 1 MB")
    r = c.post("/weeks/week01/submissions", files={"notebook": ("a.ipynb", good, "x")})  # no CSRF token
    assert r.status_code == 403
    r = c.post("/weeks/week01/submissions", data={"csrf_token": tok}, files={"notebook": ("a.ipynb", good, "x")},
               headers={"origin": "https://evil.example"})
    assert r.status_code == 403
    assert c.post("/weeks/week99/submissions", data={"csrf_token": tok}).status_code == 404
    assert _count(env.gb, "ece") == before  # nothing was stored


def test_upload_file_name_cannot_escape(env, clients, svc_course, tmp_path):
    c = clients("ece")
    target = Path("/tmp/escaped-by-upload.ipynb")
    target.unlink(missing_ok=True)
    r = upload(c, "week01", notebooks(svc_course)["blank"], name="../../../../tmp/escaped-by-upload.ipynb")
    assert r.status_code == 303
    sid = int(r.headers["location"].rsplit("/", 1)[1])
    assert env.gb.submission(sid).filename == "escaped-by-upload.ipynb"
    assert not target.exists()
    dl = clients("ta1").get(f"/staff/submissions/{sid}/notebook")
    assert dl.content == notebooks(svc_course)["blank"]
    assert dl.headers["content-disposition"] == f'attachment; filename="ece_week01_{sid}.ipynb"'
    with pytest.raises(ValueError):
        gbm.safe_join(tmp_path, "../x.ipynb")
    with pytest.raises(ValueError):
        gbm.safe_join(tmp_path, "a/b.ipynb")
    assert gbm.safe_join(tmp_path, "ok.ipynb") == tmp_path.resolve() / "ok.ipynb"


def test_rate_limit_per_student(env, clients, svc_course):
    c = clients("s59")
    nb = notebooks(svc_course)["blank"]
    for _ in range(3):
        assert upload(c, "week01", nb).status_code == 303
    refused(c, upload(c, "week01", nb), "Çok sık")
    assert _count(env.gb, "s59") == 3
    assert upload(clients("s58"), "week01", nb).status_code == 303  # per student: others are not affected


def test_security_headers(clients):
    r = clients("ali").get("/")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
    cookie = TestClient(clients("ali").app).get("/login").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


# --------------------------------------------------------------------------- dates and late policy

def _app_at(svc_root, gb, when: dt.datetime, course_file: str = "course.yml"):
    return create_app(svc_root / course_file, workers=0, gradebook=gb, now=lambda: when)


def test_late_submission_penalised_then_refused(svc_root, svc_course, gb):
    (u, secret), = gb.invite(["ali"])[0]
    due = svc_course.aware(svc_course.week("week01").due)
    nb = notebooks(svc_course)["blank"]
    with TestClient(_app_at(svc_root, gb, due + dt.timedelta(hours=30))) as c:
        sign_in(c, "ali", secret)
        assert "geç teslim" in c.get("/weeks/week01").text
        r = upload(c, "week01", nb)
        assert r.status_code == 303
    sid = int(r.headers["location"].rsplit("/", 1)[1])
    sub = gb.submission(sid)
    assert sub.late_seconds == 30 * 3600 and sub.penalty == pytest.approx(0.2)  # 2 started days × 10 %
    claim = gb.claim("test-worker", 30)
    assert gb.finish(claim, fake_result("ali"))
    res = gb.result(gb.submission(sid).result_id)
    assert res.raw_score == 6 and res.score == pytest.approx(4.8)
    with TestClient(_app_at(svc_root, gb, due + dt.timedelta(hours=49))) as c:
        sign_in(c, "ali", secret)
        refused(c, upload(c, "week01", nb), "süresi doldu")
    assert len(gb.submissions(student="ali")) == 1


def test_unreleased_week_is_hidden_from_students(svc_root, svc_course, gb):
    raw = yaml.safe_load((svc_root / "course.yml").read_text(encoding="utf-8"))
    raw["service"]["open_weeks"] = []
    (svc_root / "closed.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    (u, secret), = gb.invite(["ali"])[0]
    release = svc_course.aware(svc_course.week("week01").release)
    with TestClient(_app_at(svc_root, gb, release - dt.timedelta(days=1), "closed.yml")) as c:
        sign_in(c, "ali", secret)
        assert "tarihinde açılır" in c.get("/").text
        assert c.get("/weeks/week01").status_code == 404
        tok = csrf_of(c.get("/").text)
        r = c.post("/weeks/week01/submissions", data={"csrf_token": tok},
                   files={"notebook": ("a.ipynb", notebooks(svc_course)["blank"], "x")})
        assert r.status_code == 404
    with TestClient(_app_at(svc_root, gb, release + dt.timedelta(minutes=1), "closed.yml")) as c:
        sign_in(c, "ali", secret)
        assert c.get("/weeks/week01").status_code == 200


# --------------------------------------------------------------------------- staff

def test_staff_week_page_and_exports(clients, graded):
    ta = clients("ta1")
    page = ta.get("/staff/weeks/week01").text
    assert 'data-student="ali"' in page and 'data-student="s00"' in page  # roster students without submissions too
    assert f"/staff/submissions/{graded.ali}" in page
    raw = ta.get("/staff/weeks/week01/export?format=csv").content
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel shows Turkish letters
    assert "Ayşe Yılmaz" in raw.decode("utf-8-sig")
    assert not ta.get("/staff/weeks/week01/export?format=csv&bom=0").content.startswith(b"\xef\xbb\xbf")
    header, *rows = raw.decode("utf-8-sig").splitlines()
    assert header.startswith("student,name,email,section,q1,q2,q3,q4,raw_total,late_penalty,score,max")
    ali = next(r for r in rows if r.startswith("ali,"))
    assert ",1,2,1,1,5,0,5,6,ok," in ali
    canvas = ta.get("/staff/weeks/week01/export?format=canvas").content.decode("utf-8-sig").splitlines()
    assert canvas[0].startswith("Student,ID,SIS User ID") and canvas[1].startswith("Points Possible")
    gs = ta.get("/staff/weeks/week01/export?format=gradescope").content
    assert gs.startswith(b"\xef\xbb\xbf")
    gs = gs.decode("utf-8-sig").splitlines()
    assert gs[0] == "Name,SID,Email,q1,q2,q3,q4,Total Score" and any(",ali," in r for r in gs)
    assert ta.get("/staff/weeks/week01/export?format=xls").status_code == 400
    assert "attachment" in ta.get("/staff/weeks/week01/export").headers["content-disposition"]


def test_staff_student_and_submission_pages(clients, graded):
    ta = clients("ta1")
    page = ta.get("/staff/students/ali").text
    assert f"/staff/submissions/{graded.ali}" in page and "sayılan" in page
    sub = ta.get(f"/staff/submissions/{graded.ali}").text
    assert "Notlandırma geçmişi" in sub and "Gizli testler: 0 / 1 puan" in sub
    assert ta.get("/staff/students/nobody").status_code == 404
    assert ta.get("/staff/submissions/999999").status_code == 404


def test_regrade_button_queues_week_and_keeps_history(svc_root, gb, svc_course, monkeypatch):
    secrets = {u.id: s for u, s in gb.invite(["ali", "ta1"])[0]}
    app = create_app(svc_root / "course.yml", workers=0, gradebook=gb)
    with TestClient(app) as stu, TestClient(app) as ta:
        sign_in(stu, "ali", secrets["ali"])
        sign_in(ta, "ta1", secrets["ta1"])
        sid = int(upload(stu, "week01", notebooks(svc_course)["blank"]).headers["location"].rsplit("/", 1)[1])
        w = Worker(svc_root / "course.yml", gb=gb)
        monkeypatch.setattr(w, "grade", lambda claim: fake_result(claim.student, q1_hidden=False))
        assert w.drain() == 1
        assert stu.get(f"/api/submissions/{sid}").json()["score"] == 5
        tok = csrf_of(ta.get("/staff/weeks/week01").text)
        assert ta.post("/staff/weeks/week01/regrade", data={"confirm": "yes"}).status_code == 403  # CSRF
        r = ta.post("/staff/weeks/week01/regrade", data={"csrf_token": tok}, follow_redirects=False)
        assert r.status_code == 303 and "onay kutusunu" in ta.get(r.headers["location"]).text  # not confirmed
        assert gb.regrades("week01") == [] and stu.get(f"/api/submissions/{sid}").json()["status"] == "done"
        r = ta.post("/staff/weeks/week01/regrade", data={"csrf_token": tok, "confirm": "yes"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].endswith("regraded=1")
        j = stu.get(f"/api/submissions/{sid}").json()
        assert j["status"] == "queued" and j["regrading"] and j["score"] == 5  # old result shown meanwhile
        monkeypatch.setattr(w, "grade", lambda claim: fake_result(claim.student))
        assert w.drain() == 1
        assert stu.get(f"/api/submissions/{sid}").json()["score"] == 6
        hist = gb.history(sid)
        assert [h.kind for h in hist] == ["initial", "regrade"] and [h.score for h in hist] == [5, 6]
        assert gb.regrades("week01")[0].count == 1 and gb.regrades("week01")[0].requested_by == "ta1"
        assert "regrade" in ta.get(f"/staff/submissions/{sid}").text


def test_roster_edits_apply_at_next_sign_in_and_a_broken_roster_keeps_the_old_one(svc_root, gb, tmp_path):
    roster = tmp_path / "roster.yml"
    roster.write_text((svc_root / "roster.yml").read_text(encoding="utf-8"), encoding="utf-8")
    raw = yaml.safe_load((svc_root / "course.yml").read_text(encoding="utf-8"))
    raw["service"]["roster"] = str(roster)
    (tmp_path / "course.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    # The course file lives elsewhere, the build is the shared one: point a copy at both.
    (tmp_path / "build").symlink_to(svc_root / "build")
    (tmp_path / "assignments").symlink_to(svc_root / "assignments")
    secrets = {u.id: s for u, s in gb.invite(["ali", "ayse"])[0]}
    app = create_app(tmp_path / "course.yml", workers=0, gradebook=gb)
    with TestClient(app) as c:
        sign_in(c, "ali", secrets["ali"])
        data = yaml.safe_load(roster.read_text(encoding="utf-8"))
        data["students"] = [p for p in data["students"] if p["id"] != "ali"]
        roster.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        os.utime(roster, (time.time() + 5, time.time() + 5))
        sign_in(TestClient(app), "ayse", secrets["ayse"])  # a sign-in reloads the roster
        assert c.get("/").status_code == 401  # ali was removed: his session ends
        roster.write_text("students: [ {id: broken", encoding="utf-8")
        os.utime(roster, (time.time() + 10, time.time() + 10))
        with TestClient(app) as d:
            sign_in(d, "ayse", secrets["ayse"])  # still works with the last good roster
            assert d.get("/").status_code == 200
