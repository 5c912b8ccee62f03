"""The staff week page's similarity report: start it, watch it, read it (HTML) or download it (CSV).

``POST /staff/weeks/WEEK/similarity`` records a run and computes it in a background thread of
this web process (a 300-notebook week takes seconds to a minute, too long for a request); the
page ``GET /staff/weeks/WEEK/similarity`` lists the week's runs, newest first. A finished report
is served from the gradebook at ``/staff/similarity/N/similarity.html`` (static: its own strict
Content-Security-Policy allows its inline style and nothing else, no scripts) and ``.csv``.
Staff only (TA, instructor); a student gets 403 like every staff page.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from autograder.gradebook import STAFF
from autograder.gradebook import similarity as simdb

log = logging.getLogger("autograder.service")

REPORT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; "
              "base-uri 'none'; form-action 'none'")


def compute(ctx: Any, week_id: str, rid: int) -> None:
    """Run the report for the week's counted (else latest) submissions and store it in run ``rid``."""
    from autograder.similarity import analyse, load_template
    from autograder.similarity.report import render_csv, render_html
    from autograder.weekbuild import WeekBuild

    t0 = time.monotonic()
    try:
        build = WeekBuild(ctx.course.root, week_id)
        if not build.exists:
            simdb.fail_run(ctx.gb, rid, f"{week_id} derlenmemiş: sunucuda "
                                        f"`autograder build {week_id}` çalıştırın.")
            return
        subs = simdb.compared_submissions(ctx.gb, week_id, ctx.svc.score)
        report = analyse(load_template(build), subs)
        simdb.finish_run(ctx.gb, rid, html=render_html(report), csv=render_csv(report),
                         notebooks=len(report.notebooks), pairs=len(report.pairs), seconds=time.monotonic() - t0)
        log.info("similarity report %d of %s: %d notebooks, %d pairs, %.1f s", rid, week_id, len(report.notebooks),
                 len(report.pairs), time.monotonic() - t0)
    except Exception as e:  # noqa: BLE001 - the run must end, with the reason on the page
        log.exception("similarity report %d of %s failed", rid, week_id)
        simdb.fail_run(ctx.gb, rid, f"Rapor hazırlanamadı: {type(e).__name__}: {str(e)[:300]}")


def similarity_routes(ctx: Any, *, need: Callable, render: Callable, check_csrf: Callable,
                      week_or_404: Callable, denied: type[Exception]) -> APIRouter:
    """The routes, given the app's own helpers (who is asking, rendering, CSRF, week lookup)."""
    router = APIRouter()
    running: set[str] = set()
    lock = threading.Lock()

    @router.get("/staff/weeks/{week_id}/similarity", response_class=HTMLResponse)
    def similarity_page(request: Request, week_id: str):
        u = need(request, *STAFF)
        st = week_or_404(week_id, u)
        return render(request, "staff_similarity.html", st=st, runs=simdb.runs(ctx.gb, st.week.id),
                      busy=st.week.id in running)

    @router.post("/staff/weeks/{week_id}/similarity")
    async def similarity_start(request: Request, week_id: str):
        u = await run_in_threadpool(need, request, *STAFF)
        st = week_or_404(week_id, u)
        form = await request.form(max_files=0, max_fields=5)
        check_csrf(request, form)
        wid = st.week.id
        with lock:
            if wid in running:  # one run per week at a time; the page shows the one in progress
                return RedirectResponse(f"/staff/weeks/{wid}/similarity", status_code=303)
            running.add(wid)
        rid = await run_in_threadpool(simdb.start_run, ctx.gb, wid, u.id)
        log.info("similarity report %d of %s requested by %s", rid, wid, u.id)

        def work() -> None:
            try:
                compute(ctx, wid, rid)
            finally:
                with lock:
                    running.discard(wid)

        threading.Thread(target=work, name=f"similarity-{wid}", daemon=True).start()
        return RedirectResponse(f"/staff/weeks/{wid}/similarity", status_code=303)

    def finished(request: Request, rid: int):  # noqa: ANN202
        need(request, *STAFF)
        r = simdb.run(ctx.gb, rid, with_content=True)
        if r is None or r.html is None:
            raise denied(404, "Böyle bir rapor yok (ya da henüz hazır değil).")
        return r

    @router.get("/staff/similarity/{rid}/similarity.html")
    def similarity_html(request: Request, rid: int):
        r = finished(request, rid)
        return HTMLResponse(r.html, headers={"content-security-policy": REPORT_CSP})

    @router.get("/staff/similarity/{rid}/similarity.csv")
    def similarity_csv(request: Request, rid: int):
        r = finished(request, rid)
        return Response(r.csv, media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{r.week}-similarity-{r.id}.csv"'})

    return router
