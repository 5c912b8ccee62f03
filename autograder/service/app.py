"""`autograder serve`: the submission service (FastAPI, server-rendered Turkish pages).

Students sign in with the secret the instructor issued (`autograder roster invite`), upload a
notebook for a released week, watch it go from queued to graded (a few lines of JS poll a JSON
status endpoint) and read per-question feedback: public test detail, hidden tests as scores only.
TAs and instructors see every student's submissions per week, regrade a week and export CSV.

Roles and answers: not signed in → 401 (pages show the sign-in form); signed in with another
role → 403; another student's submission → 404 (its existence is not confirmed either).

Sessions live in the gradebook (``sessions`` table): the cookie carries only a random token, so
sign-out, a reissued secret, removal from the roster or a staff member ends a session at once.
Failed sign-ins slow down only the failing (client address, id) pair (``security.SlowDown``).
Every error answer is Turkish: a page in the site's layout, or ``{"detail": …}`` under /api/.
Upload errors redirect back to the week page with the message (post/redirect/get).
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
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect
from starlette.middleware.sessions import SessionMiddleware

from autograder import config as config_mod
from autograder import gradebook as gbm
from autograder.gradebook import DONE, ERROR, QUEUED, RUNNING, STAFF, Gradebook, User
from autograder.service import security
from autograder.service import stats as stats_mod
from autograder.service.worker import WorkerProcesses, requeue_dead_local
from autograder.weekbuild import WeekBuild, question_titles

log = logging.getLogger("autograder.service")
HERE = Path(__file__).resolve().parent

STATUS_TR = {QUEUED: "Kuyrukta", RUNNING: "Notlanıyor", DONE: "Notlandı", ERROR: "Notlanamadı"}
GRADE_STATUS_TR = {"ok": "tamamlandı", "timeout": "zaman sınırı aşıldı", "kernel-died": "çekirdek çöktü",
                   "invalid-notebook": "defter okunamadı", "sandbox-error": "sistem hatası",
                   "duplicate-student": "yinelenen dosya", "grader-error": "notlandırıcı hatası"}
ROLE_TR = {"student": "öğrenci", "ta": "asistan", "instructor": "öğretim üyesi"}
HTTP_TR = {400: "İstek okunamadı.", 401: "Bu sayfa için oturum açmanız gerekiyor.", 403: "Bu sayfayı görme yetkiniz yok.",
           404: "Aradığınız sayfa bulunamadı.", 405: "Bu adres bu istek türünü kabul etmiyor.",
           413: "İstek çok büyük.", 415: "Bu içerik türü kabul edilmiyor.", 422: "İstek okunamadı.",
           429: "Çok fazla istek. Biraz sonra tekrar deneyin.", 500: "Sunucuda bir hata oluştu."}
MAX_ID = 2 ** 31 - 1  # ids are 32-bit on every database; anything larger is simply not found


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
    key: str = ""  # the server secret (signs cookies, derives CSRF tokens)
    slowdown: security.SlowDown = field(default_factory=security.SlowDown)

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

    def state(self, week: config_mod.Week, student: str | None = None) -> WeekState:
        """The week as ``student`` sees it (their extension, if any, moves the due date)."""
        now = self.now()
        release = self.course.aware(week.release)
        due = self.gb.due_for(self.course, week, student)
        late_until = due + dt.timedelta(hours=self.svc.late.window_hours)
        released = now >= release or week.id in self.open_weeks
        ok, _, penalty = gbm.late_penalty(self.course, week, now, due=due)
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
    secret = ctx.key = security.server_secret(course.root / "build")

    async def too_large(scope, receive, send) -> None:  # noqa: ANN001
        """A body over the limit: back to the week page with the limit named, or a page that says it."""
        request = Request(scope, receive)
        msg = f"Dosya çok büyük: en fazla {ctx.svc.max_upload_mb:g} MB yükleyebilirsiniz."
        parts = request.url.path.strip("/").split("/")
        u = await run_in_threadpool(user_of, request)
        if (u is not None and u.role == "student" and len(parts) == 3 and parts[0] == "weeks"
                and parts[2] == "submissions" and parts[1] in {w.id for w in course.weeks}):
            await run_in_threadpool(gb.set_flash, request.session["sid"], msg)
            response: Response = RedirectResponse(f"/weeks/{parts[1]}", status_code=303)
        else:
            response = render(request, "error.html", status=413, message=msg, code=413)
        response.headers["connection"] = "close"
        await response(scope, receive, send)

    # Added innermost first: LimitBody runs inside the session middleware (its answer may set a
    # message in the session); HEAD is turned into GET before anything else sees it.
    app.add_middleware(security.LimitBody, limit=int(course.service.max_upload_mb * 1024 * 1024) + 64 * 1024,
                       on_too_large=too_large)
    app.add_middleware(SessionMiddleware, secret_key=secret, session_cookie="ag_session",
                       max_age=int(course.service.session_hours * 3600), same_site="lax",
                       https_only=course.service.secure_cookies)
    app.add_middleware(security.SecurityHeaders)
    app.add_middleware(security.HeadAsGet)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _configure_logging()

    def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.update(request=request, user=getattr(request.state, "user", None), course=ctx.course,
                       csrf=security.csrf_token(request.session, secret), STATUS_TR=STATUS_TR,
                       GRADE_STATUS_TR=GRADE_STATUS_TR, ROLE_TR=ROLE_TR, score_policy=ctx.svc.score)
        return templates.TemplateResponse(request, name, context, status_code=status)

    def error_response(request: Request, status: int, message: str, headers: dict | None = None) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=status, headers=headers)
        if status == 401:
            nxt = request.url.path if request.method == "GET" else "/"
            return render(request, "login.html", status=401, error=message, next=nxt)
        if getattr(request.state, "user", None) is None and "sid" in request.session:
            user_of(request)  # the layout's navigation for a signed-in person, on every error page
        resp = render(request, "error.html", status=status, message=message, code=status)
        resp.headers.update(headers or {})
        return resp

    @app.exception_handler(Denied)
    async def _denied(request: Request, exc: Denied):
        return await run_in_threadpool(error_response, request, exc.status, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        headers = {k: v for k, v in (exc.headers or {}).items() if k.lower() == "allow"}
        return await run_in_threadpool(error_response, request, exc.status_code,
                                       HTTP_TR.get(exc.status_code, f"Hata {exc.status_code}."), headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        # A path parameter that is not a valid id names nothing: 404. Anything else is a bad request.
        in_path = any(e.get("loc", ("",))[0] == "path" for e in exc.errors())
        return await run_in_threadpool(error_response, request, 404 if in_path else 400,
                                       HTTP_TR[404] if in_path else HTTP_TR[400])

    async def read_form(request: Request, max_files: int = 0, max_fields: int = 10):  # noqa: ANN202
        """The form, or a Turkish 400. (A malformed multipart body reaches the HTTPException handler
        from Starlette itself; what is caught here is a parser error raised past it.)"""
        try:
            return await request.form(max_files=max_files, max_fields=max_fields)
        except (MultiPartException, ClientDisconnect) as e:
            log.info("unreadable form on %s: %s", request.url.path, type(e).__name__)
            raise Denied(400, "Form okunamadı. Sayfayı yenileyip tekrar deneyin.") from None

    # ------------------------------------------------------------------ who is asking
    def user_of(request: Request) -> User | None:
        token = request.session.get("sid")
        if not isinstance(token, str):
            return None
        found = gb.session_user(token)
        if found is None:
            return None
        request.state.user = found[1]
        return found[1]

    def flash(request: Request) -> str | None:
        token = request.session.get("sid")
        return gb.pop_flash(token) if isinstance(token, str) else None

    def back_with(request: Request, url: str, message: str) -> RedirectResponse:
        """Post/redirect/get: the message is shown once by the page at ``url``."""
        gb.set_flash(request.session["sid"], message)
        return RedirectResponse(url, status_code=303)

    def client_of(request: Request) -> str:
        return security.client_address(request.client.host if request.client else None,
                                       request.headers.get("x-forwarded-for"), ctx.svc.trusted_proxies)

    def need(request: Request, *roles: str) -> User:
        u = user_of(request)
        if u is None:
            raise Denied(401, "Bu sayfa için oturum açmanız gerekiyor.")
        if roles and u.role not in roles:
            raise Denied(403, "Bu sayfayı görme yetkiniz yok.")
        return u

    def check_csrf(request: Request, form) -> None:  # noqa: ANN001
        if not security.csrf_ok(request.session, form.get("csrf_token"), secret):
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
        st = ctx.state(w, user.id if user.role == "student" else None)
        if user.role == "student" and not st.released:
            raise Denied(404, "Bu hafta henüz yayınlanmadı.")
        return st

    def own_submission(sid: int, user: User):  # noqa: ANN202
        sub = gb.submission(sid) if 0 < sid <= MAX_ID else None
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
        form = await read_form(request, max_files=0, max_fields=10)
        check_csrf(request, form)
        uid = str(form.get("user", "")).strip()[:100]
        typed = str(form.get("secret", ""))[:200]
        client = client_of(request)
        wait = ctx.slowdown.wait_s(client, uid)
        if wait > 0:  # this address has been failing for this id: slowed down, the secret is not even checked
            resp = render(request, "login.html", status=429, next="/",
                          error=f"Bu kullanıcı adı için çok fazla hatalı deneme yapıldı. "
                                f"{int(wait) + 1} saniye sonra tekrar deneyin.")
            resp.headers["retry-after"] = str(int(wait) + 1)
            return resp
        await run_in_threadpool(ctx.sync_roster)
        u = await run_in_threadpool(gb.authenticate, uid, typed)
        if u is None:
            ctx.slowdown.failed(client, uid)
            known = gbm.ID_RE.match(uid) and await run_in_threadpool(gb.user, uid) is not None
            # Never log what was typed unless it is a known id (a secret typed into the id field stays out).
            log.info("sign-in failed for %s from %s", uid if known else "<unknown id>", client)
            return render(request, "login.html", status=401, next="/", error="Kullanıcı adı veya anahtar hatalı.")
        ctx.slowdown.succeeded(client, uid)
        token = await run_in_threadpool(gb.start_session, u, ctx.svc.session_hours, client,
                                        request.headers.get("user-agent", ""))
        request.session.clear()  # a fresh token (and CSRF token) after sign-in: no fixation
        request.session["sid"] = token
        log.info("sign-in: %s (%s) from %s", u.id, u.role, client)
        nxt = str(form.get("next", "/"))
        if not nxt.startswith("/") or nxt.startswith("//") or "\\" in nxt or nxt.startswith("/login"):
            nxt = "/"  # only paths on this site: no open redirect
        return RedirectResponse(nxt, status_code=303)

    @app.post("/logout")
    async def logout(request: Request):
        form = await read_form(request, max_files=0, max_fields=5)
        check_csrf(request, form)
        await run_in_threadpool(gb.end_session, request.session["sid"], "logout")
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
            st = ctx.state(w, u.id)
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
        return render(request, "week.html", status=status, st=st, subs=subs, error=error or flash(request),
                      counted_id=counted[0].id if counted else None, counted=counted[1] if counted else None,
                      max_mb=ctx.svc.max_upload_mb, late=ctx.svc.late,
                      extension=gb.extension(u.id, st.week.id))

    @app.post("/weeks/{week_id}/submissions")
    async def submit(request: Request, week_id: str):
        u = await run_in_threadpool(need, request, "student")
        st = await run_in_threadpool(week_or_404, week_id, u)
        form = await read_form(request, max_files=1, max_fields=5)
        check_csrf(request, form)
        here = f"/weeks/{st.week.id}"

        async def back(message: str) -> Response:
            return await run_in_threadpool(back_with, request, here, message)

        if not st.accepting:
            return await back("Bu hafta için teslim süresi doldu.")
        upload = form.get("notebook")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return await back("Bir .ipynb dosyası seçin.")
        if not upload.filename.lower().endswith(".ipynb"):
            return await back("Yalnızca Jupyter not defteri (.ipynb) yüklenebilir.")
        limit = int(ctx.svc.max_upload_mb * 1024 * 1024)
        data = await upload.read(limit + 1)
        if len(data) > limit:
            return await back(f"Dosya çok büyük: en fazla {ctx.svc.max_upload_mb:g} MB yükleyebilirsiniz.")
        problem = await run_in_threadpool(validate_notebook, data, st.week.id)
        if problem:
            return await back(problem)
        now = ctx.now()
        ok, late_s, penalty = gbm.late_penalty(course, st.week, now, due=st.due_at)
        if not ok:
            return await back("Bu hafta için teslim süresi doldu.")
        rl = ctx.svc.rate_limit
        sid = await run_in_threadpool(lambda: gb.add_submission_limited(
            u.id, st.week.id, data, upload.filename, limit=rl.submissions,
            window=dt.timedelta(minutes=rl.per_minutes), now=now, late_seconds=late_s, penalty=penalty))
        if sid is None:
            return await back(f"Çok sık teslim: {rl.per_minutes:g} dakikada en fazla {rl.submissions} teslim "
                              "yapabilirsiniz. Biraz sonra tekrar deneyin.")
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

    def titles_of(week: config_mod.Week | None) -> dict[str, str]:
        return question_titles(course.master_path(week)) if week is not None else {}

    def _panel_context(sub, staff: bool) -> dict:  # noqa: ANN001
        res = gb.result(sub.result_id)
        week = course.week(sub.week) if sub.week in {w.id for w in course.weeks} else None
        late_note = None
        if week is not None and sub.late_seconds:
            due = gb.due_for(course, week, sub.student)
            hours = sub.late_seconds / 3600
            late_note = (f"Son teslim tarihinden ({_local(due, ctx)}) {hours:.1f} saat sonra yüklendi. "
                         f"Geç teslimde başlayan her gün için %{ctx.svc.late.penalty_percent_per_day:g} ceza "
                         f"uygulanır: bu teslimde toplam %{sub.penalty * 100:g}.")
            if res is not None:
                late_note += f" Ham puan {res.raw_score:g} → sayılan puan {res.score:g}."
        ctxd = {"sub": sub, "res": res, "gs": res.gradescope if res else None, "week": week,
                "position": gb.queue_position(sub), "staff": staff, "titles": titles_of(week),
                "late_note": late_note}
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
        msg = flash(request)
        return render(request, "staff_home.html", weeks=weeks, queue=gb.queue_counts(), workers=gb.workers(),
                      n_students=len(gb.users(role="student")), message=msg)

    @app.get("/staff/weeks/{week_id}", response_class=HTMLResponse)
    def staff_week(request: Request, week_id: str):
        u = need(request, *STAFF)
        st = week_or_404(week_id, u)
        questions, rows = gbm.export_rows(gb, course, st.week)
        latest: dict[str, Any] = {}
        all_subs = gb.submissions(week=st.week.id)
        for sub, _ in all_subs:
            latest.setdefault(sub.student, sub)
        build = WeekBuild(course.root, st.week.id)
        maxima = {q.name: q.points for q in build.questions} if build.exists else {}
        titles = titles_of(st.week)
        week_stats = stats_mod.week_stats(
            questions, titles, maxima, st.week.points, list(gb.counted(st.week.id, ctx.svc.score).values()),
            [sub.created_at for sub, _ in all_subs], st.due_at, hours_after=ctx.svc.late.window_hours)
        return render(request, "staff_week.html", st=st, questions=questions, rows=rows, latest=latest,
                      regrades=gb.regrades(st.week.id)[:5], regraded=request.query_params.get("regraded"),
                      stats=week_stats, chart=stats_mod.bar_chart, titles=titles, message=flash(request),
                      extensions=gb.extensions(week=st.week.id))

    @app.post("/staff/weeks/{week_id}/regrade")
    async def staff_regrade(request: Request, week_id: str):
        u = await run_in_threadpool(need, request, *STAFF)
        st = await run_in_threadpool(week_or_404, week_id, u)
        form = await read_form(request, max_files=0, max_fields=5)
        check_csrf(request, form)
        if form.get("confirm") != "yes":  # regrading a whole week is never one stray click
            return await run_in_threadpool(back_with, request, f"/staff/weeks/{st.week.id}",
                                           "Yeniden notlama başlatılmadı: önce onay kutusunu işaretleyin.")
        rid, n = await run_in_threadpool(gb.regrade_week, st.week.id, u.id)
        log.info("regrade %s of %s by %s: %d submission(s) queued", rid, st.week.id, u.id, n)
        return RedirectResponse(f"/staff/weeks/{st.week.id}?regraded={n}", status_code=303)

    @app.get("/staff/weeks/{week_id}/export")
    def staff_export(request: Request, week_id: str, format: str = "csv"):  # noqa: A002
        u = need(request, *STAFF)
        st = week_or_404(week_id, u)
        if format not in ("csv", "canvas", "moodle", "gradescope"):
            raise Denied(400, "Bilinmeyen biçim (csv, canvas, moodle, gradescope).")
        text = gbm.export_csv(gb, course, st.week, format)
        if request.query_params.get("bom", "1") != "0":
            text = "\ufeff" + text  # Excel reads UTF-8 (Turkish letters) only with a byte-order mark
        name = f"{st.week.id}-{format}.csv"
        return Response(text, media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{name}"'})

    @app.get("/staff/students/{student}", response_class=HTMLResponse)
    def staff_student(request: Request, student: str):
        viewer = need(request, *STAFF)
        person = gb.user(student) if gbm.ID_RE.match(student) else None
        subs = gb.submissions(student=student) if gbm.ID_RE.match(student) else []
        if person is None and not subs:
            raise Denied(404, "Böyle bir öğrenci yok.")
        counted = {w.id: (gb.counted(w.id, ctx.svc.score, student=student).get(student) or (None, None))[0]
                   for w in course.weeks}
        return render(request, "staff_student.html", student=student, person=person, subs=subs,
                      counted_ids={s.id for s in counted.values() if s is not None},
                      sessions=gb.sessions_of(student), now=gbm.utcnow(),
                      may_end=person is not None and may_end_sessions(viewer, person),
                      extensions=gb.extensions(student=student), message=flash(request))

    def may_end_sessions(viewer: User, person: User) -> bool:
        """Instructors may end anyone's sessions, TAs students' only."""
        return viewer.role == "instructor" or (viewer.role == "ta" and person.role == "student")

    @app.post("/staff/students/{student}/sessions/end")
    async def staff_end_sessions(request: Request, student: str):
        viewer = await run_in_threadpool(need, request, *STAFF)
        form = await read_form(request, max_files=0, max_fields=5)
        check_csrf(request, form)
        person = await run_in_threadpool(gb.user, student) if gbm.ID_RE.match(student) else None
        if person is None:
            raise Denied(404, "Böyle bir kişi yok.")
        if not may_end_sessions(viewer, person):
            raise Denied(403, "Bu kişinin oturumlarını kapatma yetkiniz yok.")
        only = str(form.get("session", "")) or None
        n = await run_in_threadpool(gb.end_sessions, person.id, f"staff:{viewer.id}", only)
        log.info("%s ended %d session(s) of %s", viewer.id, n, person.id)
        return await run_in_threadpool(back_with, request, f"/staff/students/{person.id}", f"{n} oturum kapatıldı.")

    # ------------------------------------------------------------------ extensions (instructor)
    @app.post("/staff/weeks/{week_id}/extensions")
    async def staff_extend(request: Request, week_id: str):
        u = await run_in_threadpool(need, request, "instructor")
        st = await run_in_threadpool(week_or_404, week_id, u)
        form = await read_form(request, max_files=0, max_fields=6)
        check_csrf(request, form)
        here = f"/staff/weeks/{st.week.id}"
        student = str(form.get("student", "")).strip()
        person = await run_in_threadpool(gb.user, student) if gbm.ID_RE.match(student) else None
        if person is None or person.role != "student":
            return await run_in_threadpool(back_with, request, here, "Süre uzatılmadı: listede böyle bir öğrenci yok.")
        if form.get("remove") == "yes":
            await run_in_threadpool(gb.remove_extension, course, st.week, student)
            log.info("extension of %s for %s removed by %s", student, st.week.id, u.id)
            return await run_in_threadpool(back_with, request, here, f"{student} için ek süre kaldırıldı.")
        try:
            hours = float(str(form.get("hours", "")).replace(",", "."))
            ext = await run_in_threadpool(lambda: gb.grant_extension(course, st.week, student, hours=hours, by=u.id,
                                                                     reason=str(form.get("reason", ""))))
        except (ValueError, config_mod.ConfigError):
            return await run_in_threadpool(back_with, request, here,
                                           "Süre uzatılmadı: saat 0'dan büyük ve en fazla 8760 olmalı.")
        log.info("extension of %s for %s to %s by %s", student, st.week.id, ext.due_at, u.id)
        return await run_in_threadpool(back_with, request, here,
                                       f"{student} için yeni son teslim: {_local(ext.due_at, ctx)}.")

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

    from autograder.service.lti import lti_routes

    app.include_router(lti_routes(ctx, render=render, client_of=client_of, need=need))

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


def _local(t: dt.datetime | None, ctx: Ctx) -> str:
    """A date-time (aware, or naive UTC) in the course's time zone, as Turkish pages write it."""
    if t is None:
        return ""
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return t.astimezone(ctx.tz).strftime("%d.%m.%Y %H:%M")


def _filters(templates: Jinja2Templates, ctx: Ctx) -> None:
    def local(t: dt.datetime | None) -> str:
        return _local(t, ctx)

    def num(v: float | None) -> str:
        return "–" if v is None else f"{v:g}"

    templates.env.filters["local"] = local
    templates.env.filters["num"] = num
    templates.env.filters["pct"] = lambda v: f"%{v * 100:g}"
