"""Load on loopback: 50 students upload at the same moment; every upload is accepted, graded
once, and none is lost. Also measures one submission's time from upload to graded."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from service_helpers import STUDENTS, notebooks, sign_in, upload

from autograder import gradebook as gbm

pytestmark = pytest.mark.slow
N = 50


def test_fifty_concurrent_uploads_all_graded_none_lost(server_factory, svc_root, svc_course, tmp_path):
    db = tmp_path / "gradebook.sqlite3"
    gb = gbm.Gradebook(f"sqlite:///{db}")
    gb.sync_roster(gbm.load_roster(svc_root / "roster.yml"))
    people = STUDENTS[:N + 1]
    secrets = {u.id: s for u, s in gb.invite(people)[0]}
    nb = notebooks(svc_course)["solution"]
    srv = server_factory(db, workers=2).start()

    # One submission alone first: upload to graded, with the workers' kernels warm.
    with httpx.Client(base_url=srv.url) as c:
        sign_in(c, people[-1], secrets[people[-1]])
        upload(c, "week01", nb)  # warms the workers' pools (first kernel start)
        deadline = time.monotonic() + 180
        while gb.queue_counts()["done"] < 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(8)  # let the spare kernel finish starting
        t0 = time.monotonic()
        sid = int(upload(c, "week01", nb).headers["location"].rsplit("/", 1)[1])
        while c.get(f"/api/submissions/{sid}").json()["status"] != "done":
            assert time.monotonic() - t0 < 120
            time.sleep(0.1)
        single = time.monotonic() - t0

    clients, results, errors = {}, {}, []
    for s in people[:N]:
        clients[s] = httpx.Client(base_url=srv.url, timeout=60)
        sign_in(clients[s], s, secrets[s])
    barrier = threading.Barrier(N)

    def go(student: str) -> None:
        try:
            c = clients[student]
            tok_page = c.get("/weeks/week01")
            assert tok_page.status_code == 200
            barrier.wait()
            results[student] = upload(c, "week01", nb)
        except Exception as e:  # noqa: BLE001
            errors.append((student, repr(e)))

    threads = [threading.Thread(target=go, args=(s,)) for s in people[:N]]
    t_start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    t_uploaded = time.monotonic() - t_start
    assert not errors, errors[:3]
    assert all(r.status_code == 303 for r in results.values()), {s: r.status_code for s, r in results.items()}
    ids = {int(r.headers["location"].rsplit("/", 1)[1]) for r in results.values()}
    assert len(ids) == N

    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        pending = [i for i in ids if gb.submission(i).status != "done"]
        if not pending:
            break
        time.sleep(0.5)
    t_graded = time.monotonic() - t_start
    assert not pending, f"{len(pending)} of {N} not graded"
    for c in clients.values():
        c.close()
    rows = [(s, r) for s, r in gb.submissions(week="week01") if s.id in ids]
    assert sorted(s.student for s, _ in rows) == sorted(people[:N])  # one per student, none lost
    assert all(r is not None and r.score == 6 and r.grade_status == "ok" for _, r in rows)
    assert all(len(gb.history(i)) == 1 for i in ids)  # none graded twice
    print(f"\nload: one submission upload→graded {single:.1f} s (warm); {N} concurrent uploads accepted in "
          f"{t_uploaded:.1f} s, all graded in {t_graded:.1f} s ({N / t_graded:.2f} per s, 2 workers)")
    gb.dispose()
