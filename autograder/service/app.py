"""`autograder serve`: the submission service (FastAPI, server-rendered Turkish pages).

Students sign in with the secret the instructor issued (`autograder roster invite`), upload a
notebook for a released week, watch it go from queued to graded (a few lines of JS poll a JSON
status endpoint) and read per-question feedback: public test detail, hidden tests as scores only.
TAs and instructors see every student's submissions per week, regrade a week and export CSV.

Roles and answers: not signed in → 401 (pages show the sign-in form); signed in with another
role → 403; another student's submission → 404 (its existence is not confirmed either).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import tempfile
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.middleware.sessions import SessionMiddleware

from autograder import config as config_mod
from autograder import gradebook as gbm
from autograder.gradebook import DONE, ERROR, QUEUED, RUNNING, STAFF, Gradebook, User
from autograder.service import security
from autograder.service.worker import WorkerProcesses, requeue_dead_local

log = logging.getLogger("autograder.service")
HERE = Path(__file__).resolve().parent

STATUS_TR = {QUEUED: "Kuyrukta", RUNNING: "Notlanıyor", DONE: "Notlandı", ERROR: "Notlanamadı"}
GRADE_STATUS_TR = {"ok": "tamamlandı", "timeout": "zaman sınırı aşıldı", "kernel-died": "çekirdek çöktü",
                   "invalid-notebook": "defter okunamadı", "sandbox-error": "sistem hatası",
                   "duplicate-student": "yinelenen dosya"}
ROLE_TR = {"student": "öğrenci", "ta": "asistan", "instructor": "öğretim üyesi"}


class Denied(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class WeekState:
    week: config_mod.Week
    released: bool
    accepting: bool
    late: bool
    release_at: dt.datetime
    due_at: dt.datetime
    late_until: dt.datetime
    penalty_now: float


@dataclass
class Ctx:
    course_path: Path
    course: config_mod.Course
    gb: Gradebook
    open_weeks: set[str]
    now: Callable[[], dt.datetime]
    n_workers: int
    roster_mtime: float = -1.0
    workers: WorkerProcesses | None = None
    login_throttle: security.Throttle = field(default_factory=lambda: security.Throttle(10, 900))
    client_throttle: security.Throttle = field(default_factory=lambda: security.Throttle(50, 900))

    @property
    def svc(self) -> config_mod.Service:
        return self.course.service

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.course.timezone)

    def sync_roster(self, force: bool = False) -> None:
        path = gbm.roster_path(self.course)
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return
        if force or mtime != self.roster_mtime:
            self.roster_mtime = mtime
            try:
                stats = self.gb.sync_roster(gbm.load_roster(path))
            except config_mod.ConfigError as e:  # a half-edited roster: keep the people we have
                log.error("roster not reloaded, fix it and sign in again: %s", e)
                return
            log.info("roster %s: %s", path.name, stats)

    def state(self, week: config_mod.Week) -> WeekState:
        now = self.now()
        release, due = self.course.aware(week.release), self.course.aware(week.due)
        late_until = due + dt.timedelta(hours=self.svc.late.window_hours)
        released = now >= release or week.id in self.open_weeks
        ok, _, penalty = gbm.late_penalty(self.course, week, now)
        return WeekState(week, released, released and ok, now > due, release, due, late_until,
                         penalty if now > due else 0.0)


# --------------------------------------------------------------------------- app

def create_app(course_path: Path | str, *, workers: int | None = None, open_weeks: list[str] | tuple = (),
               now: Callable[[], dt.datetime] | None = None, gradebook: Gradebook | None = None) -> FastAPI:
    course_path = Path(course_path).resolve()
    course = config_mod.load(course_path)
    for w in open_weeks:
        course.week(w)  # raises ConfigError for an unknown week
    gbm.load_roster(gbm.roster_path(course))  # fail at start-up, with the file's problems, not at sign-in
    gb = gradebook or Gradebook(gbm.database_url(course))
    ctx = Ctx(course_path=course_path, course=course, gb=gb,
              open_weeks=set(course.service.open_weeks) | set(open_weeks),
              now=now or (lambda: dt.datetime.now(dt.timezone.utc)),
              n_workers=course.service.workers if workers is None else workers)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await run_in_threadpool(ctx.sync_roster, True)
        requeued = await run_in_threadpool(requeue_dead_local, gb)
        if requeued:
            log.info("queued again %d submission(s) left running by stopped workers: %s", len(requeued), requeued)
        monitor = None
        if ctx.n_workers > 0:
            live = [w.id for w in sorted(course.weeks, key=lambda w: w.due) if ctx.state(w).accepting]
            ctx.workers = WorkerProcesses(course_path, ctx.n_workers, warm=live)
            ctx.workers.start()  # from the main thread: the workers die with this process
            log.info("started %d grading worker(s): pids %s", ctx.n_workers, ctx.workers.pids())
            monitor = asyncio.create_task(_monitor(ctx))
        try:
            yield
        finally:
            if monitor is not None:
                monitor.cancel()
            if ctx.workers is not None:
                await run_in_threadpool(ctx.workers.stop)
            gb.dispose()

    app = FastAPI(title="autograder", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.ctx = ctx
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    _filters(templates, ctx)
    secret = security.server_secret(course.root / "build")
    app.add_middleware(SessionMiddleware, secret_key=secret, session_cookie="ag_session",
                       max_age=int(course.service.session_hours * 3600), same_site="lax",
                       https_only=course.service.secure_cookies)
    app.add_middleware(security.LimitBody, limit=int(course.service.max_upload_mb * 1024 * 1024) + 64 * 1024)
    app.add_middleware(security.SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _configure_logging()

    def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.update(request=request, user=getattr(request.state, "user", None), course=ctx.course,
                       csrf=security.csrf_token(request.session), STATUS_TR=STATUS_TR,
                       GRADE_STATUS_TR=GRADE_STATUS_TR, ROLE_TR=ROLE_TR, score_policy=ctx.svc.score)
        return templates.TemplateResponse(request, name, context, status_code=status)

    @app.exception_handler(Denied)
    async def _denied(request: Request, exc: Denied):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.message}, status_code=exc.status)
        if exc.status == 401:
            nxt = request.url.path if request.method == "GET" else "/"
            return render(request, "login.html", status=401, error=exc.message, next=nxt)
        return render(request, "error.html", status=exc.status, message=exc.message, code=exc.status)

    # ------------------------------------------------------------------ who is asking
    def user_of(request: Request) -> User | None:
        sess = request.session
        uid = sess.get("uid")
        if not uid:
            return None
        u = gb.user(uid)
        if (u is None or not u.active or u.role != sess.get("role") or u.secret_version != sess.get("sv")
                or time.time() - float(sess.get("at", 0)) > ctx.svc.session_hours * 3600):
            sess.clear()
            return None
        request.state.user = u
        return u

    def need(request: Request, *roles: str) -> User:
        u = user_of(request)
        if u is None:
            raise Denied(401, "Bu sayfa için oturum açmanız gerekiyor.")
        if roles and u.role not in roles:
            raise Denied(403, "Bu sayfayı görme yetkiniz yok.")
        return u

    def check_csrf(request: Request, form) -> None:  # noqa: ANN001
        if not security.csrf_ok(request.session, form.get("csrf_token")):
            raise Denied(403, "Form doğrulanamadı (CSRF). Sayfayı yenileyip tekrar deneyin.")
        # Second line of defence: a browser's Origin must name this host (compared without the
        # scheme, so that a TLS-terminating proxy that passes Host works unchanged).
        origin = request.headers.get("origin")
        if origin and urlsplit(origin).netloc != request.headers.get("host", ""):
            raise Denied(403, "Form başka bir siteden gönderilmiş (CSRF).")

    def week_or_404(week_id: str, user: User) -> WeekState:
        try:
            w = course.week(week_id)
        except config_mod.ConfigError:
            raise Denied(404, "Böyle bir hafta yok.") from None
        st = ctx.state(w)
        if user.role == "student" and not st.released:
            raise Denied(404, "Bu hafta henüz yayınlanmadı.")
        return st

    def own_submission(sid: int, user: User):  # noqa: ANN202
        sub = gb.submission(sid)
        if sub is None or (user.role == "student" and sub.student != user.id):
            raise Denied(404, "Böyle bir teslim bulunamadı.")
        return sub

    # ------------------------------------------------------------------ sign-in
    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request):
        if user_of(request) is not None:
            return RedirectResponse("/", status_code=303)
        return render(request, "login.html", next="/")

    @app.post("/login")
    async def login(request: Request):
        form = await request.form(max_files=0, max_fields=10)
        check_csrf(request, form)
        uid = str(form.get("user", "")).strip()[:100]
        secret = str(form.get("secret", ""))[:200]
        client = request.client.host if request.client else "?"
        if ctx.login_throttle.blocked(uid) or ctx.client_throttle.blocked(client):
            return render(request, "login.html", status=429, next="/",
                          error="Çok fazla hatalı deneme. Birkaç dakika sonra tekrar deneyin.")
        await run_in_threadpool(ctx.sync_roster)
        u = await run_in_threadpool(gb.authenticate, uid, secret)
        if u is None:
            ctx.login_throttle.hit(uid)
            ctx.client_throttle.hit(client)
            known = gbm.ID_RE.match(uid) and await run_in_threadpool(gb.user, uid) is not None
            # Never log what was typed unless it is a known id (a secret typed into the id field stays out).
            log.info("sign-in failed for %s from %s", uid if known else "<unknown id>", client)
            return render(request, "login.html", status=401, next="/", error="Kullanıcı adı veya anahtar hatalı.")
        ctx.login_throttle.clear(uid)
        request.session.clear()  # a fresh session (and CSRF token) after sign-in: no fixation
        request.session.update(uid=u.id, role=u.role, sv=u.secret_version, at=time.time())
        security.csrf_token(request.session)
        log.info("sign-in: %s (%s) from %s", u.id, u.role, client)
        nxt = str(form.get("next", "/"))
        if not nxt.startswith("/") or nxt.startswith("//") or "\\" in nxt or nxt.startswith("/login"):
            nxt = "/"  # only paths on this site: no open redirect
        return RedirectResponse(nxt, status_code=303)

    @app.post("/logout")
    async def logout(request: Request):
        form = await request.form(max_files=0, max_fields=5)
        check_csrf(request, form)
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    @app.get("/healthz")
    def healthz():
        return {"ok": True}

    # ------------------------------------------------------------------ students
    @app.get("/", response_class=HTMLResponse)
    def home(request: Request):
        u = need(request)
        if u.role in STAFF:
            return RedirectResponse("/staff", status_code=303)
        rows = []
        for w in course.weeks:
            st = ctx.state(w)
            counted = gb.counted(w.id, ctx.svc.score, student=u.id).get(u.id) if st.released else None
            rows.append({"state": st, "counted": counted[1] if counted else None})
        return render(request, "home.html", rows=rows)

    @app.get("/weeks/{week_id}", response_class=HTMLResponse)
    def week_page(request: Request, week_id: str):
        u = need(request, "student")
        st = week_or_404(week_id, u)
        return _week_page(request, u, st)

    def _week_page(request: Request, u: User, st: WeekState, status: int = 200, error: str | None = None):
        subs = gb.submissions(student=u.id, week=st.week.id)
        counted = gb.counted(st.week.id, ctx.svc.score, student=u.id).get(u.id)
        return render(request, "week.html", status=status, st=st, subs=subs, error=error,
                      counted_id=counted[0].id if counted else None, counted=counted[1] if counted else None,
                      max_mb=ctx.svc.max_upload_mb, late=ctx.svc.late)

    @app.post("/weeks/{week_id}/submissions")
    async def submit(request: Request, week_id: str):
        u = await run_in_threadpool(need, request, "student")
        st = week_or_404(week_id, u)
        form = await request.form(max_files=1, max_fields=5)
        check_csrf(request, form)
        if not st.accepting:
            return await run_in_threadpool(_week_page, request, u, st, 403, "Bu hafta için teslim süresi doldu.")
        upload = form.get("notebook")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _week_page(request, u, st, 400, "Bir .ipynb dosyası seçin.")
        if not upload.filename.lower().endswith(".ipynb"):
            return _week_page(request, u, st, 400, "Yalnızca Jupyter not defteri (.ipynb) yüklenebilir.")
        limit = int(ctx.svc.max_upload_mb * 1024 * 1024)
        data = await upload.read(limit + 1)
        if len(data) > limit:
            return _week_page(request, u, st, 413, f"Dosya çok büyük (en fazla {ctx.svc.max_upload_mb:g} MB).")
        problem = await run_in_threadpool(validate_notebook, data, st.week.id)
        if problem:
            return _week_page(request, u, st, 400, problem)
        now = ctx.now()
        ok, late_s, penalty = gbm.late_penalty(course, st.week, now)
        if not ok:
            return _week_page(request, u, st, 403, "Bu hafta için teslim süresi doldu.")
        rl = ctx.svc.rate_limit
        sid = await run_in_threadpool(lambda: gb.add_submission_limited(
            u.id, st.week.id, data, upload.filename, limit=rl.submissions,
            window=dt.timedelta(minutes=rl.per_minutes), now=now, late_seconds=late_s, penalty=penalty))
        if sid is None:
            return _week_page(request, u, st, 429, f"Çok sık teslim: {rl.per_minutes:g} dakikada en fazla "
                                                   f"{rl.submissions} teslim yapabilirsiniz. Biraz sonra tekrar deneyin.")
        log.info("submission %s: %s %s (%d bytes)%s", sid, u.id, st.week.id, len(data),
                 f", late {late_s // 60} min" if late_s else "")
        return RedirectResponse(f"/submissions/{sid}", status_code=303)

    @app.get("/submissions/{sid}", response_class=HTMLResponse)
    def submission_page(request: Request, sid: int):
        u = need(request, "student")
        sub = own_submission(sid, u)
        return render(request, "submission.html", **_panel_context(sub, staff=False))

    @app.get("/submissions/{sid}/panel", response_class=HTMLResponse)
    def submission_panel(request: Request, sid: int):
        u = need(request, "student")
        sub = own_submission(sid, u)
        return render(request, "_panel.html", **_panel_context(sub, staff=False))

    @app.get("/api/submissions/{sid}")
    def submission_status(request: Request, sid: int):
        u = need(request)
        sub = own_submission(sid, u)
        return _status_json(sub)

    def _panel_context(sub, staff: bool) -> dict:  # noqa: ANN001
        res = gb.result(sub.result_id)
        week = course.week(sub.week) if sub.week in {w.id for w in course.weeks} else None
        ctxd = {"sub": sub, "res": res, "gs": res.gradescope if res else None, "week": week,
                "position": gb.queue_position(sub), "staff": staff}
        if staff:
            ctxd["history"] = gb.history(sub.id)
        return ctxd

    def _status_json(sub) -> dict:  # noqa: ANN001
        res = gb.result(sub.result_id)
        return {"id": sub.id, "week": sub.week, "status": sub.status, "label": STATUS_TR.get(sub.status, sub.status),
                "position": gb.queue_position(sub), "regrading": sub.reason == "regrade" and sub.status in (QUEUED, RUNNING),
                "graded": res is not None, "score": res.score if res else None,
                "raw_score": res.raw_score if res else None, "max_score": res.max_score if res else None,
                "penalty": sub.penalty, "grade_status": res.grade_status if res else None}

    # ------------------------------------------------------------------ staff
    @app.get("/staff", response_class=HTMLResponse)
    def staff_home(request: Request):
        need(request, *STAFF)
        counts = gb.week_counts()
        weeks = [{"state": ctx.state(w), "counts": counts.get(w.id, {})} for w in course.weeks]
        return render(request, "staff_home.html", weeks=weeks, queue=gb.queue_counts(), workers=gb.workers(),
                      n_students=len(gb.users(role="student")))

    @app.get("/staff/weeks/{week_id}", response_class=HTMLResponse)
    def staff_week(request: Request, week_id: str):
        u = need(request, *STAFF)
        st = week_or_404(week_id, u)
        questions, rows = gbm.export_rows(gb, course, st.week)
        latest: dict[str, Any] = {}
        for sub, _ in gb.submissions(week=week_id):
            latest.setdefault(sub.student, sub)
        return render(request, "staff_week.html", st=st, questions=questions, rows=rows, latest=latest,
                      regrades=gb.regrades(week_id)[:5], regraded=request.query_params.get("regraded"))

    @app.post("/staff/weeks/{week_id}/regrade")
    async def staff_regrade(request: Request, week_id: str):
        u = await run_in_threadpool(need, request, *STAFF)
        st = week_or_404(week_id, u)
        form = await request.form(max_files=0, max_fields=5)
        check_csrf(request, form)
        rid, n = await run_in_threadpool(gb.regrade_week, st.week.id, u.id)
        log.info("regrade %s of %s by %s: %d submission(s) queued", rid, st.week.id, u.id, n)
        return RedirectResponse(f"/staff/weeks/{st.week.id}?regraded={n}", status_code=303)

    @app.get("/staff/weeks/{week_id}/export")
    def staff_export(request: Request, week_id: str, format: str = "csv"):  # noqa: A002
        u = need(request, *STAFF)
        st = week_or_404(week_id, u)
        if format not in ("csv", "canvas", "gradescope"):
            raise Denied(400, "Bilinmeyen biçim (csv, canvas, gradescope).")
        text = gbm.export_csv(gb, course, st.week, format)
        name = f"{st.week.id}-{format}.csv"
        return Response(text, media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{name}"'})

    @app.get("/staff/students/{student}", response_class=HTMLResponse)
    def staff_student(request: Request, student: str):
        need(request, *STAFF)
        person = gb.user(student) if gbm.ID_RE.match(student) else None
        subs = gb.submissions(student=student) if gbm.ID_RE.match(student) else []
        if person is None and not subs:
            raise Denied(404, "Böyle bir öğrenci yok.")
        counted = {w.id: (gb.counted(w.id, ctx.svc.score, student=student).get(student) or (None, None))[0]
                   for w in course.weeks}
        return render(request, "staff_student.html", student=student, person=person, subs=subs,
                      counted_ids={s.id for s in counted.values() if s is not None})

    @app.get("/staff/submissions/{sid}", response_class=HTMLResponse)
    def staff_submission(request: Request, sid: int):
        u = need(request, *STAFF)
        sub = own_submission(sid, u)
        return render(request, "submission.html", **_panel_context(sub, staff=True))

    @app.get("/staff/submissions/{sid}/panel", response_class=HTMLResponse)
    def staff_submission_panel(request: Request, sid: int):
        u = need(request, *STAFF)
        sub = own_submission(sid, u)
        return render(request, "_panel.html", **_panel_context(sub, staff=True))

    @app.get("/staff/submissions/{sid}/notebook")
    def staff_notebook(request: Request, sid: int):
        u = need(request, *STAFF)
        own_submission(sid, u)
        sub = gb.submission(sid, with_notebook=True)
        name = f"{sub.student}_{sub.week}_{sub.id}.ipynb"  # built from validated ids, not the upload's name
        return Response(sub.notebook, media_type="application/x-ipynb+json",
                        headers={"content-disposition": f'attachment; filename="{name}"'})

    from autograder.service.similarity import similarity_routes

    app.include_router(similarity_routes(ctx, need=need, render=render, check_csrf=check_csrf,
                                         week_or_404=week_or_404, denied=Denied))

    @app.get("/admin/roster", response_class=HTMLResponse)
    def admin_roster(request: Request):
        need(request, "instructor")
        return render(request, "roster.html", people=gb.users(active_only=False),
                      roster=gbm.roster_path(course).name)

    return app


async def _monitor(ctx: Ctx) -> None:
    """Restart worker processes that died and queue their claims again; sweep dead claims."""
    last_sweep = 0.0
    while True:
        await asyncio.sleep(2)
        try:
            dead = ctx.workers.check() if ctx.workers else []
            if dead or time.monotonic() - last_sweep > ctx.svc.lease_s:
                last_sweep = time.monotonic()
                ids = await run_in_threadpool(requeue_dead_local, ctx.gb)
                if ids:
                    log.info("queued again %s (their worker stopped)", ids)
        except Exception:  # noqa: BLE001
            log.exception("worker monitor")


def _configure_logging() -> None:
    """Service and worker messages on stderr next to uvicorn's; every line passes the redaction filter."""
    root = logging.getLogger("autograder")
    if not any(getattr(h, "_autograder", False) for h in root.handlers):
        h = logging.StreamHandler()
        h.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        h._autograder = True  # type: ignore[attr-defined]
        root.addHandler(h)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    for name in ("uvicorn.access", "uvicorn.error", "autograder.service", "autograder.worker"):
        lg = logging.getLogger(name)
        if not any(isinstance(f, security.RedactSecrets) for f in lg.filters):
            lg.addFilter(security.RedactSecrets())


def validate_notebook(data: bytes, week_id: str) -> str | None:
    """A Turkish reason why the upload is not a notebook for this week, or None."""
    from autograder.runner import InvalidNotebook, read_cells

    with tempfile.TemporaryDirectory(prefix="ag-upload-") as d:
        p = Path(d) / "upload.ipynb"
        p.write_bytes(data)
        try:
            read_cells(p)
        except InvalidNotebook as e:
            return f"Not defteri okunamadı: {e}"
    try:
        meta = json.loads(data).get("metadata", {}).get("otter", {})
        name = meta.get("assignment_name") if isinstance(meta, dict) else None
    except (ValueError, AttributeError):
        name = None
    if isinstance(name, str) and name and name != week_id:
        return f"Bu defter {name[:20]} için; {week_id} sayfasına yüklediniz."
    return None


def _filters(templates: Jinja2Templates, ctx: Ctx) -> None:
    def local(t: dt.datetime | None) -> str:
        if t is None:
            return ""
        if t.tzinfo is None:
            t = t.replace(tzinfo=dt.timezone.utc)
        return t.astimezone(ctx.tz).strftime("%d.%m.%Y %H:%M")

    def num(v: float | None) -> str:
        return "–" if v is None else f"{v:g}"

    templates.env.filters["local"] = local
    templates.env.filters["num"] = num
    templates.env.filters["pct"] = lambda v: f"%{v * 100:g}"
