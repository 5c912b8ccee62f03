"""The gradebook on its own: the queue's claims and leases, scores that count, roster and
secrets, course.yml's service section, and the command line (`grade --gradebook`, `export`,
`roster invite`)."""

from __future__ import annotations

import csv
import io
import os
import stat
import subprocess
import threading
from pathlib import Path

import pytest
import yaml
from service_helpers import fake_result, notebooks
from typer.testing import CliRunner

from autograder import config
from autograder import gradebook as gbm
from autograder.cli import app as cli_app


def _queue(gb, n: int, student: str = "ali") -> list[int]:
    return [gb.add_submission(student, "week01", b"{}", "x.ipynb") for _ in range(n)]


# --------------------------------------------------------------------------- queue

def test_concurrent_claims_take_each_submission_once(gb):
    ids = _queue(gb, 40)
    got: list[int] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        while (c := gb.claim(f"w{i}", 30)) is not None:
            with lock:
                got.append(c.id)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == ids  # every one claimed, none twice
    assert gb.queue_counts()["running"] == 40


def test_expired_lease_is_reclaimed_and_the_late_result_discarded(gb):
    sid, = _queue(gb, 1)
    first = gb.claim("slow-worker", lease_s=2)  # long enough for the next claim on a busy machine
    assert first.id == sid and gb.claim("other", 30) is None  # leased
    import time

    time.sleep(2.2)
    second = gb.claim("other", 30)
    assert second is not None and second.id == sid and second.token != first.token
    assert not gb.renew(first, 30)
    assert gb.finish(first, fake_result("ali")) is False  # the slow worker lost its claim
    assert gb.history(sid) == []
    assert gb.finish(second, fake_result("ali")) is True
    assert len(gb.history(sid)) == 1 and gb.submission(sid).status == "done"
    assert gb.finish(second, fake_result("ali")) is False  # and never twice


def test_dead_local_worker_claims_are_queued_again(gb):
    a, b = _queue(gb, 2)
    p = subprocess.Popen(["sleep", "0"])
    p.wait()
    dead = gbm.local_worker_id(os.getpid()).split(":")
    dead_id = f"{dead[0]}:{p.pid}:1"  # a pid that has exited (or a reused one with another start time)
    alive_id = gbm.local_worker_id()
    assert gbm.local_worker_dead(dead_id) and not gbm.local_worker_dead(alive_id)
    assert not gbm.local_worker_dead("other-host:1:1")  # other machines: left to the lease
    ca, cb = gb.claim(dead_id, 600), gb.claim(alive_id, 600)
    assert gb.requeue_dead(gbm.local_worker_dead) == [ca.id]
    assert gb.submission(ca.id).status == "queued" and gb.submission(cb.id).status == "running"


def test_a_submission_that_keeps_killing_workers_becomes_an_error(gb):
    sid, = _queue(gb, 1)
    for _ in range(gbm.MAX_ATTEMPTS):
        c = gb.claim("h:1:1", 600)
        assert c.id == sid
        gb.requeue_dead(lambda w: True)  # its worker died
    assert gb.claim("h:2:2", 600) is None
    sub = gb.submission(sid)
    assert sub.status == "error" and "not retried" in sub.error


def test_fail_retries_then_errors_and_release_requeues(gb):
    sid, = _queue(gb, 1)
    c = gb.claim("w", 60)
    gb.release(c)
    assert gb.submission(sid).status == "queued" and gb.submission(sid).attempts == 0
    for i in range(gbm.MAX_ATTEMPTS):
        c = gb.claim("w", 60)
        gb.fail(c, "boom")
    sub = gb.submission(sid)
    assert sub.status == "error" and sub.error == "boom"


def test_students_go_before_a_regrade(gb):
    old = _queue(gb, 2)
    for _ in old:
        gb.finish(gb.claim("w", 60), fake_result("ali"))
    gb.regrade_week("week01", "ta1")
    new = gb.add_submission("ayse", "week01", b"{}", "y.ipynb")
    assert gb.queue_position(gb.submission(new)) == 0
    assert gb.claim("w", 60).id == new


def test_score_that_counts_last_or_best(gb):
    a, b = _queue(gb, 2)
    gb.finish(gb.claim("w", 60), fake_result("ali", q1_hidden=True))   # 6
    gb.finish(gb.claim("w", 60), fake_result("ali", q1_hidden=False))  # 5, newer
    assert gb.counted("week01", "best")["ali"][0].id == a
    assert gb.counted("week01", "last")["ali"][0].id == b
    assert gb.counted("week01", "best")["ali"][1].score == 6


# --------------------------------------------------------------------------- roster and secrets

def test_secret_hashing():
    s = gbm.new_secret()
    h = gbm.hash_secret(s)
    assert s not in h and s.replace("-", "") not in h and h.startswith("scrypt$")
    assert gbm.verify_secret(s, h) and gbm.verify_secret(s.upper().replace("-", ""), h)
    assert not gbm.verify_secret(s[:-1] + ("a" if s[-1] != "a" else "b"), h)
    assert not gbm.verify_secret(s, "garbage")
    assert gbm.hash_secret(s) != h  # salted


def _roster(tmp_path: Path, data) -> Path:
    p = tmp_path / "roster.yml"
    p.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data, encoding="utf-8")
    return p


@pytest.mark.parametrize("data, message", [
    ({"students": [{"id": "../etc"}]}, "roster.yml: students[0].id: must be"),
    ({"students": [{"id": "a"}], "tas": [{"id": "a"}]}, "roster.yml: tas[0].id: 'a' is listed twice (also in students[0])"),
    ({"students": [{"id": "a", "phone": 1}]}, "roster.yml: students[0].phone: unknown key"),
    ({"pupils": []}, "roster.yml: pupils: unknown key"),
    ("- a\n- b\n", "roster.yml: top level must be a mapping"),
])
def test_roster_errors_name_file_entry_and_field(tmp_path, data, message):
    with pytest.raises(config.ConfigError) as e:
        gbm.load_roster(_roster(tmp_path, data))
    assert message in str(e.value)


def test_missing_roster_says_what_to_do(tmp_path):
    with pytest.raises(config.ConfigError, match="copy roster.example.yml"):
        gbm.load_roster(tmp_path / "roster.yml")


def test_roster_example_is_valid():
    root = Path(__file__).resolve().parents[2]
    r = gbm.load_roster(root / "roster.example.yml")
    assert r.ids("student") and r.ids("ta") and r.ids("instructor")


def test_roster_sync_deactivates_removed_people(gb, tmp_path):
    gb.sync_roster(gbm.load_roster(_roster(tmp_path, {"students": [{"id": "ali"}], "instructors": [{"id": "hoca"}]})))
    assert gb.user("ayse").active is False and gb.user("ali").active is True
    (_, s), = gb.invite(["ali"])[0]
    assert gb.authenticate("ali", s) is not None and gb.authenticate("ayse", s) is None
    with pytest.raises(config.ConfigError, match="not in the roster"):
        gb.invite(["ayse"])


# --------------------------------------------------------------------------- course.yml

def _course_with(tmp_path, svc_root, service) -> Path:
    raw = yaml.safe_load((svc_root / "course.yml").read_text(encoding="utf-8"))
    raw["service"] = service
    p = tmp_path / "course.yml"
    p.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return p


@pytest.mark.parametrize("service, message", [
    ({"score": "median"}, "course.yml: service.score: Input should be 'last' or 'best'"),
    ({"workers": -1}, "course.yml: service.workers: Input should be greater than or equal to 0"),
    ({"late": {"days": 2}}, "course.yml: service.late.days: unknown key"),
    ({"database": "gradebook.db"}, "course.yml: service.database: not a database URL"),
    ({"open_weeks": ["week09"]}, "service.open_weeks: unknown week(s) ['week09']"),
])
def test_service_section_errors(tmp_path, svc_root, service, message):
    with pytest.raises(config.ConfigError) as e:
        config.load(_course_with(tmp_path, svc_root, service))
    assert message in str(e.value)


def test_database_url_relative_to_course_and_env_override(tmp_path, svc_root, monkeypatch):
    c = config.load(_course_with(tmp_path, svc_root, {"database": "sqlite:///data/gb.sqlite3"}))
    monkeypatch.delenv("AUTOGRADER_DATABASE_URL", raising=False)
    assert gbm.database_url(c) == f"sqlite:///{tmp_path.resolve() / 'data' / 'gb.sqlite3'}"
    monkeypatch.setenv("AUTOGRADER_DATABASE_URL", "postgresql://u:pw@db/grades")
    assert gbm.database_url(c) == "postgresql://u:pw@db/grades"
    assert config.load(svc_root.parent / svc_root.name / "course.yml").service.score == "best"
    defaults = config.Service()
    assert defaults.database == "sqlite:///build/gradebook.sqlite3" and defaults.workers == 2


def test_real_course_yml_has_a_valid_service_section():
    root = Path(__file__).resolve().parents[2]
    c = config.load(root / "course.yml")
    assert c.service.roster == Path("roster.yml")


# --------------------------------------------------------------------------- command line

@pytest.fixture
def cli_env(svc_root, tmp_path, monkeypatch):
    db = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("AUTOGRADER_DATABASE_URL", f"sqlite:///{db}")
    return CliRunner(), ["--course", str(svc_root / "course.yml")], db


def test_roster_invite_writes_private_csv_and_stores_hashes_only(cli_env, tmp_path):
    runner, course, db = cli_env
    out = tmp_path / "invites.csv"
    r = runner.invoke(cli_app, ["roster", "invite", "ali", "ta1", "--out", str(out), *course])
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["ali", "ta1"] and all(len(r["secret"]) == 19 for r in rows)
    for row in rows:
        assert row["secret"].encode() not in db.read_bytes()
    again = runner.invoke(cli_app, ["roster", "invite", "ali", *course])
    assert again.exit_code == 0 and "already have a secret" in again.output
    listing = runner.invoke(cli_app, ["roster", "list", *course])
    assert listing.exit_code == 0 and "ali" in listing.output
    bad = runner.invoke(cli_app, ["roster", "invite", "nobody", *course])
    assert bad.exit_code == 2 and "not in the roster" in bad.output


@pytest.mark.slow
def test_cli_grade_records_into_gradebook_and_export_reads_it(cli_env, svc_course, tmp_path):
    runner, course, db = cli_env
    subs = tmp_path / "subs"
    subs.mkdir()
    nbs = notebooks(svc_course)
    (subs / "ali_week01.ipynb").write_bytes(nbs["solution"])
    (subs / "ayse_week01.ipynb").write_bytes(nbs["blank"])
    out = tmp_path / "out"
    r = runner.invoke(cli_app, ["grade", "week01", str(subs), "--out", str(out), "--gradebook", *course])
    assert r.exit_code == 0, r.output
    assert "2 recorded" in r.output
    gb = gbm.Gradebook(f"sqlite:///{db}")
    rows = {s.student: (s, res) for s, res in gb.submissions(week="week01")}
    assert rows["ali"][1].score == 6 and rows["ayse"][1].score == 0 and rows["ali"][0].source == "cli"
    # Same files again: nothing new. --regrade: a new result on the same submission (history).
    r = runner.invoke(cli_app, ["grade", "week01", str(subs), "--out", str(out), "--gradebook", *course])
    assert "2 already recorded" in r.output and len(gb.submissions(week="week01")) == 2
    (subs / "ali_week01.ipynb").write_bytes(nbs["blank"])
    r = runner.invoke(cli_app, ["grade", "week01", str(subs / "ali_week01.ipynb"), "--out", str(out), "--gradebook",
                                *course])
    assert "1 recorded" in r.output
    assert gb.counted("week01", "best")["ali"][1].score == 6 and gb.counted("week01", "last")["ali"][1].score == 0
    r = runner.invoke(cli_app, ["export", "week01", "--format", "csv", *course])
    assert r.exit_code == 0, r.output
    table = {row["student"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    assert table["ali"]["score"] == "6" and table["ayse"]["score"] == "0" and table["ali"]["submissions"] == "2"
    assert table["can"]["status"] == "missing" and table["can"]["score"] == ""  # roster student, no submission
    out_csv = tmp_path / "canvas.csv"
    r = runner.invoke(cli_app, ["export", "week01", "--format", "canvas", "--out", str(out_csv), *course])
    assert r.exit_code == 0 and out_csv.read_text().splitlines()[1].startswith("Points Possible")
    r = runner.invoke(cli_app, ["export", "week01", "--format", "gradescope", *course])
    assert r.stdout.splitlines()[0] == "Name,SID,Email,q1,q2,q3,q4,Total Score"
    assert runner.invoke(cli_app, ["export", "week01", "--format", "xls", *course]).exit_code == 2
    gb.dispose()
