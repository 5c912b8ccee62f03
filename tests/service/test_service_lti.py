"""LTI 1.3 (issue 17), in-process tool (TestClient) against the loopback test platform
(lti_platform): login initiation, launch into a week signed in, and the refusals (replayed,
forged, expired, wrong audience, wrong nonce, unknown deployment, unknown person); tool keys and
`autograder lti config`."""

from __future__ import annotations

import html
import json
import re
import stat

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient
from lti_platform import INSTRUCTOR, LEARNER, LTI, Platform, new_key
from typer.testing import CliRunner

from autograder import config
from autograder import gradebook as gbm
from autograder.cli import app as cli_app
from autograder.service import lti as lti_mod
from autograder.service.app import create_app

TOOL = "http://testserver"


@pytest.fixture
def platform():
    p = Platform()
    p.redirect_uris.append(TOOL + "/lti/launch")
    p.users["u-ali"] = {"sub": "moodle-17", "email": "ALI@example.edu", "name": "Ali Veli", "roles": [LEARNER]}
    p.users["u-new"] = {"sub": "moodle-99", "email": "yeni.ogrenci@example.edu", "name": "Yeni", "roles": [LEARNER]}
    yield p
    p.close()


def _course_file(svc_root, platform: Platform, name: str = "course_lti.yml", **lti) -> str:
    raw = yaml.safe_load((svc_root / "course.yml").read_text(encoding="utf-8"))
    raw["lti"] = {"tool_url": TOOL, "issuer": platform.issuer, "client_id": platform.client_id,
                  "deployment_ids": [platform.deployment_id], "auth_login_url": platform.url + "/auth",
                  "auth_token_url": platform.url + "/token", "key_set_url": platform.url + "/jwks", **lti}
    (svc_root / name).write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return name


@pytest.fixture
def tool(svc_root, platform, gb):
    app = create_app(svc_root / _course_file(svc_root, platform), workers=0, gradebook=gb)
    with TestClient(app) as c:
        yield c


def _login(c: TestClient, platform: Platform, hint: str, week: str = "week01") -> dict:
    """The platform starts a login; returns the tool's redirect query (state, nonce, …)."""
    target = f"{TOOL}/weeks/{week}"
    r = c.post("/lti/login", data={"iss": platform.issuer, "login_hint": hint, "target_link_uri": target,
                                   "lti_message_hint": target, "client_id": platform.client_id},
               follow_redirects=False)
    assert r.status_code == 302, r.text
    loc = r.headers["location"]
    assert loc.startswith(platform.url + "/auth?")
    return {"location": loc, **dict(httpx.URL(loc).params.items())}


def _platform_form(loc: str) -> dict:
    """What the platform's authorisation endpoint auto-posts back to the tool."""
    r = httpx.get(loc)
    assert r.status_code == 200, r.text
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', r.text))
    return {k: html.unescape(v) for k, v in fields.items()}


def _launch(c: TestClient, form: dict):
    return c.post("/lti/launch", data=form, follow_redirects=False)


def test_launch_opens_the_week_signed_in_and_a_replay_is_refused(tool, platform, gb):
    q = _login(tool, platform, "u-ali")
    assert q["redirect_uri"] == TOOL + "/lti/launch" and q["response_mode"] == "form_post"
    form = _platform_form(q["location"])
    r = _launch(tool, form)
    assert r.status_code == 303 and r.headers["location"] == "/weeks/week01"
    page = tool.get("/weeks/week01")
    assert page.status_code == 200 and "Ali Veli" in page.text
    assert gb.lti_sub(platform.issuer, "ali") == "moodle-17"  # linked by e-mail (case-insensitive)
    with TestClient(tool.app) as other:  # the same form posted again (a replayed launch)
        again = _launch(other, form)
        assert again.status_code == 400 and "kullanılmış" in again.text
        assert other.get("/weeks/week01").status_code == 401


def test_second_launch_uses_the_stored_sub(tool, platform, gb):
    _launch(tool, _platform_form(_login(tool, platform, "u-ali")["location"]))
    platform.users["u-ali"]["email"] = "changed@lms.example"  # the link, not the e-mail, finds her now
    with TestClient(tool.app) as c:
        r = _launch(c, _platform_form(_login(c, platform, "u-ali")["location"]))
        assert r.status_code == 303 and c.get("/weeks/week01").status_code == 200


@pytest.mark.parametrize("case", ["forged", "expired", "wrong_aud", "wrong_nonce", "wrong_iss", "deployment",
                                  "no_sig", "unknown_kid"])
def test_bad_id_tokens_are_refused(tool, platform, gb, case):
    q = _login(tool, platform, "u-ali")
    user, target, nonce = platform.users["u-ali"], f"{TOOL}/weeks/week01", q["nonce"]
    tok = {
        "forged": lambda: platform.id_token(user, nonce, target, key=new_key()),  # right kid, other key
        "expired": lambda: platform.id_token(user, nonce, target, exp=1_600_000_000, iat=1_599_999_000),
        "wrong_aud": lambda: platform.id_token(user, nonce, target, aud="another-tool"),
        "wrong_nonce": lambda: platform.id_token(user, "not-the-nonce", target),
        "wrong_iss": lambda: platform.id_token(user, nonce, target, iss="https://evil.example"),
        "deployment": lambda: platform.id_token(user, nonce, target, **{LTI + "deployment_id": "dep-other"}),
        "no_sig": lambda: platform.id_token(user, nonce, target).rsplit(".", 1)[0] + ".",
        "unknown_kid": lambda: platform.id_token(user, nonce, target, kid="nope"),
    }[case]()
    r = _launch(tool, {"id_token": tok, "state": q["state"]})
    assert r.status_code in (400, 403), r.text
    assert "LMS" in r.text
    assert tool.get("/weeks/week01").status_code == 401
    assert gb.sessions_of("ali") == []


def test_state_is_required_and_single_use_even_when_the_token_is_good(tool, platform):
    q = _login(tool, platform, "u-ali")
    tok = platform.id_token(platform.users["u-ali"], q["nonce"], f"{TOOL}/weeks/week01")
    assert _launch(tool, {"id_token": tok, "state": "made-up"}).status_code == 400
    assert _launch(tool, {"id_token": tok, "state": q["state"]}).status_code == 303
    assert _launch(tool, {"id_token": tok, "state": q["state"]}).status_code == 400


def test_lms_instructor_role_does_not_raise_a_roster_student(tool, platform):
    platform.users["u-ali"]["roles"] = [INSTRUCTOR]
    r = _launch(tool, _platform_form(_login(tool, platform, "u-ali")["location"]))
    assert r.headers["location"] == "/weeks/week01"
    assert tool.get("/staff").status_code == 403


def test_unknown_person_is_refused_unless_create_users(svc_root, platform, gb):
    app = create_app(svc_root / _course_file(svc_root, platform), workers=0, gradebook=gb)
    with TestClient(app) as c:
        r = _launch(c, _platform_form(_login(c, platform, "u-new")["location"]))
        assert r.status_code == 403 and "listesinde bulunamadı" in r.text
    name = _course_file(svc_root, platform, "course_lti_create.yml", create_users=True)
    with TestClient(create_app(svc_root / name, workers=0, gradebook=gb)) as c:
        r = _launch(c, _platform_form(_login(c, platform, "u-new")["location"]))
        assert r.status_code == 303 and c.get("/weeks/week01").status_code == 200
    u = gb.user("yeni.ogrenci")
    assert u is not None and u.role == "student"
    gb.sync_roster(gbm.load_roster(svc_root / "roster.yml"))  # not in roster.yml, yet kept
    assert gb.user("yeni.ogrenci").active


def test_login_from_an_unknown_issuer_is_refused(tool, platform):
    r = tool.get("/lti/login", params={"iss": "https://evil.example", "login_hint": "x",
                                       "target_link_uri": TOOL + "/weeks/week01"}, follow_redirects=False)
    assert r.status_code == 400 and "tanımlı değil" in r.text


def test_tool_keys_and_platform_settings(svc_root, platform, tmp_path):
    name = _course_file(svc_root, platform)
    course = config.load(svc_root / name)
    priv, pub = lti_mod.key_paths(course)
    for p in (priv, pub):
        p.unlink(missing_ok=True)
    runner = CliRunner()
    r = runner.invoke(cli_app, ["lti", "keys", "--course", str(svc_root / name)])
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE(priv.stat().st_mode) == 0o600
    jwks = json.loads(pub.read_text())
    assert jwks["keys"][0]["kty"] == "RSA" and "d" not in jwks["keys"][0]
    assert runner.invoke(cli_app, ["lti", "keys", "--course", str(svc_root / name)]).exit_code == 2  # no silent replace
    with TestClient(create_app(svc_root / name, workers=0, gradebook=gbm.Gradebook(f"sqlite:///{tmp_path}/g.db"))) as c:
        assert c.get("/lti/jwks.json").json() == jwks
    r = runner.invoke(cli_app, ["lti", "config", "--course", str(svc_root / name)])
    assert r.exit_code == 0, r.output
    for s in (TOOL + "/lti/login", TOOL + "/lti/launch", TOOL + "/lti/jwks.json", "Moodle", "Canvas"):
        assert s in r.output
    r = runner.invoke(cli_app, ["lti", "config", "--course", str(svc_root / "course.yml")])
    assert r.exit_code == 2 and "lti" in r.output


# --------------------------------------------------------------------------- grades (AGS)

@pytest.fixture
def graded_env(svc_root, platform, gb, monkeypatch):
    """A launched student (ali) and a worker whose grading is a stand-in (the queue and the LTI hook
    are real; the sandbox is not what these tests are about)."""
    from service_helpers import fake_result, notebooks

    from autograder.service.worker import Worker

    name = _course_file(svc_root, platform)
    course = config.load(svc_root / name)
    if not lti_mod.key_paths(course)[0].exists():
        lti_mod.make_keys(course)
    platform.tool_jwks = lambda: lti_mod.tool_jwks(course)
    app = create_app(svc_root / name, workers=0, gradebook=gb)
    with TestClient(app) as c:
        assert _launch(c, _platform_form(_login(c, platform, "u-ali")["location"])).status_code == 303
    w = Worker(svc_root / name, gb=gb, worker_id="lti-test")
    results: list = []
    monkeypatch.setattr(w, "grade", lambda claim: results.pop(0))

    def grade(result) -> None:  # noqa: ANN001
        results.append(result)
        gb.add_submission("ali", "week01", notebooks(course)["blank"], "ali.ipynb")
        assert w.run_once()

    yield course, grade, fake_result


def test_a_graded_submission_posts_its_score_to_the_line_item(graded_env, platform, gb):
    course, grade, fake_result = graded_env
    grade(fake_result("ali", q1_hidden=False))  # 5 of 6
    (sc,) = platform.scores
    assert sc["userId"] == "moodle-17"
    assert (sc["scoreGiven"], sc["scoreMaximum"]) == (5.0, 6.0)
    assert sc["activityProgress"] == "Completed" and sc["gradingProgress"] == "FullyGraded"
    (li,) = platform.lineitems.values()  # created once, tagged with the week
    assert li["tag"] == "week01" and sc["lineitem"] == li["id"]
    grade(fake_result("ali", q1_hidden=False))  # same counted score: nothing new to send
    assert len(platform.scores) == 1
    grade(fake_result("ali"))  # 6 of 6: the counted (best) score changed
    assert [s["scoreGiven"] for s in platform.scores] == [5.0, 6.0]
    assert len(platform.lineitems) == 1 and platform.scores[1]["lineitem"] == li["id"]
    assert [r.status for r in gb.lti_scores()] == ["sent", "sent"]


def test_a_platform_that_is_down_gets_the_score_later(graded_env, platform, gb, svc_root):
    from service_helpers import sign_in
    from sqlalchemy import update

    course, grade, fake_result = graded_env
    platform.down = True
    grade(fake_result("ali"))
    assert platform.scores == []
    (row,) = gb.lti_scores()
    assert row.status == "pending" and row.attempts == 1 and "503" in row.last_error
    assert lti_mod.deliver_scores(course, gb) == (0, 0)  # backing off: not due yet
    (_, secret), = gb.invite(["hoca"])[0]
    with TestClient(create_app(svc_root / "course_lti.yml", workers=0, gradebook=gb)) as c:
        sign_in(c, "hoca", secret)
        page = c.get("/staff/lti")
        assert page.status_code == 200 and "bekliyor" in page.text and "503" in page.text
    platform.down = False
    with gb.session() as s:  # the back-off has passed
        s.execute(update(gbm.models.LtiScore).values(next_try_at=gbm.utcnow()))
        s.commit()
    assert lti_mod.deliver_scores(course, gb) == (1, 0)
    (sc,) = platform.scores
    assert sc["userId"] == "moodle-17" and sc["scoreGiven"] == 6.0
    r = CliRunner().invoke(cli_app, ["lti", "send", "week01", "--course", str(svc_root / "course_lti.yml")],
                           env={"AUTOGRADER_DATABASE_URL": gb.url})
    assert r.exit_code == 0, r.output
    assert len(platform.scores) == 2 and platform.scores[1]["scoreGiven"] == 6.0


def test_students_page_of_the_outbox_is_staff_only(tool):
    assert tool.get("/staff/lti").status_code == 401


# --------------------------------------------------------------------------- Moodle CSV

def test_moodle_export_has_the_columns_moodles_grade_import_matches_on(svc_root, svc_course, gb):
    import csv
    import io

    from service_helpers import fake_result, notebooks

    gb.add_submission("ayse", "week01", notebooks(svc_course)["blank"], "a.ipynb")
    claim = gb.claim("t", 60)
    assert gb.finish(claim, fake_result("ayse", q1_hidden=False))
    r = CliRunner().invoke(cli_app, ["export", "week01", "--format", "moodle", "--course", str(svc_root / "course.yml")],
                           env={"AUTOGRADER_DATABASE_URL": gb.url})
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    week = svc_course.week("week01")
    col = f"week01 {week.title}"
    assert list(rows[0])[:3] == ["Email address", "ID number", "Username"] and list(rows[0])[-1] == col
    ayse = next(x for x in rows if x["ID number"] == "ayse")
    assert ayse["Email address"] == "ayse@example.edu" and ayse["Username"] == "ayse" and ayse[col] == "5"
    assert ayse["First name"] == "Ayşe" and ayse["Last name"] == "Yılmaz"
    assert next(x for x in rows if x["ID number"] == "ali")[col] == ""  # nothing graded: left out by the import


def test_end_to_end_launch_upload_real_grading_and_one_score(svc_root, svc_course, platform, gb):
    """The issue's check: a launched student uploads a partly right notebook, a real worker grades
    it in the sandbox, and the platform receives exactly one score with the counted values."""
    from service_helpers import upload
    from test_service_api import hardcoded_square

    from autograder.service.worker import Worker

    name = _course_file(svc_root, platform)
    course = config.load(svc_root / name)
    if not lti_mod.key_paths(course)[0].exists():
        lti_mod.make_keys(course)
    platform.tool_jwks = lambda: lti_mod.tool_jwks(course)
    with TestClient(create_app(svc_root / name, workers=0, gradebook=gb)) as c:
        form = _platform_form(_login(c, platform, "u-ali")["location"])
        assert _launch(c, form).headers["location"] == "/weeks/week01"
        r = upload(c, "week01", hardcoded_square(svc_course), name="ali_week01.ipynb")
        assert r.status_code == 303, r.text[:300]
        sid = int(r.headers["location"].rsplit("/", 1)[1])
        w = Worker(svc_root / name, gb=gb)
        try:
            assert w.drain(timeout_s=300) == 1
        finally:
            w.close()
        j = c.get(f"/api/submissions/{sid}").json()
        assert _launch(c, form).status_code == 400  # the same launch again: refused
    (sc,) = platform.scores
    assert 0 < j["score"] < svc_course.week("week01").points  # partly right
    assert sc["userId"] == "moodle-17" and sc["scoreGiven"] == j["score"]
    assert sc["scoreMaximum"] == svc_course.week("week01").points
    assert sc["activityProgress"] == "Completed" and sc["gradingProgress"] == "FullyGraded"
