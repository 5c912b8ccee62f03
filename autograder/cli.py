"""The `autograder` command: build, grade, check, release."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from autograder import config as config_mod

if TYPE_CHECKING:
    from autograder.weekbuild import WeekBuild

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Auto-graded weekly notebooks for the Turkish DLSP20 course.")
console = Console(stderr=False)
err = Console(stderr=True)

CourseOpt = typer.Option(Path(os.environ.get("AUTOGRADER_COURSE", "course.yml")), "--course",
                         help="course.yml to use (env AUTOGRADER_COURSE)")


def _load(course: Path) -> config_mod.Course:
    try:
        return config_mod.load(course)
    except config_mod.ConfigError as e:
        err.print(f"[red]error:[/red] {e}", markup=True, highlight=False)
        raise typer.Exit(2) from None


def _built(c: config_mod.Course, w: config_mod.Week) -> WeekBuild:
    """The week's build (built now if missing or out of date); exit 1 with the reason if it fails."""
    from autograder.build import BuildError, ensure_built

    try:
        return ensure_built(c, w)
    except BuildError as e:
        err.print(f"error: {e}")
        raise typer.Exit(1) from None


def _weeks(c: config_mod.Course, weeks: list[str], all_: bool) -> list[config_mod.Week]:
    if all_:
        return list(c.weeks)
    if not weeks:
        err.print("error: name at least one week (e.g. week01) or pass --all")
        raise typer.Exit(2)
    try:
        return [c.week(w) for w in weeks]
    except config_mod.ConfigError as e:
        err.print(f"error: {e}")
        raise typer.Exit(2) from None


@app.command()
def build(weeks: list[str] = typer.Argument(None, help="week ids, e.g. week01"),
          all_: bool = typer.Option(False, "--all", help="build every week in course.yml"),
          jobs: int = typer.Option(2, "--jobs", "-j", min=1, help="weeks built in parallel"),
          no_validate: bool = typer.Option(False, "--no-validate", help="compile only"),
          course: Path = CourseOpt) -> None:
    """Compile master notebooks with Otter Assign and validate them."""
    from concurrent.futures import ThreadPoolExecutor

    from autograder.build import BuildError, build_week

    c = _load(course)
    selected = _weeks(c, weeks or [], all_)
    t0 = time.monotonic()
    failed = False
    with ThreadPoolExecutor(max_workers=jobs) as pool, _progress() as progress:
        task = progress.add_task("building", total=len(selected))
        futures = {w.id: pool.submit(build_week, c, w, not no_validate) for w in selected}
        for wid, fut in futures.items():
            try:
                report = fut.result()
            except BuildError as e:
                err.print(f"[red]FAILED[/red] {e}", highlight=False)
                failed = True
                progress.advance(task)
                continue
            progress.advance(task)
            _print_report(report, c)
            for w in report.warnings:
                err.print(f"[yellow]warning[/yellow] {w}", highlight=False)
            if not report.ok:
                failed = True
                for p in report.problems:
                    err.print(f"[red]FAILED[/red] {p}", highlight=False)
    console.print(f"built {len(selected)} week(s) in {time.monotonic() - t0:.1f} s")
    raise typer.Exit(1 if failed else 0)


def _print_report(report, c: config_mod.Course) -> None:
    from autograder.mutation.report import scores

    mutation = scores(c, c.week(report.week))  # empty unless MUTATION.md matches this week's inputs
    t = Table(title=f"{report.week}: {'ok' if report.ok else 'FAILED'} — solution {report.solution_seconds:.1f} s "
                    f"({report.solution_cpu_seconds:.1f} s CPU), build {report.build_seconds:.1f} s")
    for col in ("question", "points", "public tests", "hidden tests", "kind", "mutation score"):
        t.add_column(col)
    for q in report.questions:
        t.add_row(q["name"], f"{q['points']:g}", str(q["public"]), str(q["hidden"]), "manual" if q["manual"] else "auto",
                  mutation.get(q["name"], "—"))
    console.print(t)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=False)


@app.command()
def grade(week: str = typer.Argument(..., help="week id, e.g. week01"),
          paths: list[Path] = typer.Argument(..., help="notebooks, or folders of notebooks"),
          out: Path = typer.Option(..., "--out", "-o", help="output folder"),
          jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="submissions graded in parallel"),
          regrade: bool = typer.Option(False, "--regrade", help="grade again what is already graded"),
          backend: str = typer.Option("local", "--backend", help="local or docker"),
          image: str = typer.Option("cpu", "--image", help="docker image flavour: cpu or cuda"),
          gradebook: bool = typer.Option(False, "--gradebook",
                                         help="also record the results in the gradebook (course.yml service.database)"),
          via_queue: bool = typer.Option(False, "--via-queue",
                                         help="record the notebooks in the gradebook and let its workers (any "
                                              "machine) grade them; wait and write the same files"),
          course: Path = CourseOpt) -> None:
    """Grade submissions; writes grades.csv, results/<student>.json and feedback/<student>.md."""
    from autograder.batch import collect, grade_batch, question_summary
    from autograder.weekbuild import WeekBuild

    c = _load(course)
    w = _weeks(c, [week], False)[0]
    if backend not in ("local", "docker"):
        err.print(f"error: unknown backend {backend!r} (local or docker)")
        raise typer.Exit(2)
    if backend == "docker":
        from autograder.sandbox.docker import DockerUnavailable, check_docker

        try:
            check_docker(image)
        except DockerUnavailable as e:
            err.print(f"error: {e}")
            raise typer.Exit(2) from None
    try:
        files = collect(paths)
    except FileNotFoundError as e:
        err.print(f"error: {e}")
        raise typer.Exit(2) from None
    _built(c, w)
    if via_queue:
        _grade_via_queue(c, w, files, out, regrade)
        return
    with _progress() as progress:
        task = progress.add_task(f"grading {w.id}", total=len(files))

        def on_progress(student: str, summary: dict) -> None:
            progress.update(task, advance=1, description=f"grading {w.id} ({student}: {summary['status']})")

        try:
            stats = grade_batch(c, w, files, out, jobs=jobs, regrade=regrade, backend=backend, image=image,
                                on_progress=on_progress)
        except config_mod.ConfigError as e:
            err.print(f"error: {e}")
            raise typer.Exit(2) from None
        progress.update(task, completed=len(files))
    t = Table(title=f"{w.id}: {stats['graded']} graded, {stats['skipped']} already graded, "
                    f"{stats['duplicates']} sharing a student id — {out / 'grades.csv'}")
    for col in ("question", "max", "mean", "full marks"):
        t.add_column(col)
    for row in question_summary(out, WeekBuild(c.root, w.id)):
        t.add_row(row["question"], f"{row['max']:g}", "manual" if row["manual"] else f"{row['mean']:.2f}",
                  "-" if row["manual"] else f"{row['full']}/{row['n']}")
    console.print(t)
    if stats["needs_look"]:
        err.print(f"{stats['needs_look']} row(s) need a look (status invalid-notebook, duplicate-student, "
                  f"sandbox-error or grader-error): see the status and message columns of {out / 'grades.csv'}"
                  f" and tracebacks in {out / 'grader.log'}", highlight=False, markup=False)
    if gradebook:
        _record_in_gradebook(c, w, files, out)
    if stats["needs_look"]:
        raise typer.Exit(3)


def _grade_via_queue(c: config_mod.Course, w: config_mod.Week, files: list[Path], out: Path, regrade: bool) -> None:
    """`grade --via-queue`: queue in the gradebook, wait for the workers, write as a local batch."""
    from autograder.gradebook import Gradebook, database_url
    from autograder.queuebatch import grade_via_queue

    try:
        gb = Gradebook(database_url(c))
    except config_mod.ConfigError as e:
        err.print(f"error: {e}")
        raise typer.Exit(2) from None
    _sync_roster_if_any(gb, c)
    with _progress() as progress:
        task = progress.add_task(f"queueing {w.id}", total=None)

        def on_queued(qb) -> None:  # noqa: ANN001
            console.print(f"gradebook {gb.display_url}: {qb.queued} queued, {qb.waiting} already in the queue, "
                          f"{qb.skipped} already graded in {out}")
            progress.update(task, total=len(qb.pending), completed=0, description=f"waiting for workers ({w.id})")

        def on_progress(student: str, status: str, live: int) -> None:
            who = f"{live} worker(s) grading" if live else "no worker is running: start `autograder worker`"
            if student:
                progress.update(task, advance=1, description=f"{w.id} via queue, {who} ({student}: {status})")
            else:
                progress.update(task, description=f"{w.id} via queue, {who}")

        try:
            stats = grade_via_queue(c, w, gb, files, out, regrade=regrade, on_queued=on_queued,
                                    on_progress=on_progress)
        except KeyboardInterrupt:
            progress.stop()
            err.print("interrupted: the queued notebooks stay queued and the workers go on grading them; run the "
                      "same command again to collect the results (nothing is queued twice)")
            raise typer.Exit(130) from None
        finally:
            gb.dispose()
    console.print(f"{w.id}: {stats['graded']} graded by the queue's workers, {stats['skipped']} already graded, "
                  f"{stats['duplicates']} sharing a student id — {out / 'grades.csv'}")
    if stats["needs_look"]:
        err.print(f"{stats['needs_look']} row(s) need a look (status invalid-notebook, duplicate-student, "
                  f"sandbox-error or grader-error): see the status and message columns of {out / 'grades.csv'}",
                  highlight=False, markup=False)
        raise typer.Exit(3)


def _record_in_gradebook(c: config_mod.Course, w: config_mod.Week, files: list[Path], out: Path) -> None:
    from autograder.gradebook import Gradebook, database_url

    gb = Gradebook(database_url(c))
    _sync_roster_if_any(gb, c)
    stats = gb.record_batch(c, w, files, out)
    known = {u.id for u in gb.users()}
    console.print(f"gradebook {gb.display_url}: {stats['recorded']} recorded, {stats['updated']} updated "
                  f"(regraded), {stats['unchanged']} already recorded, {stats['missing']} without results")
    strangers = sorted({s.student for s, _ in gb.submissions(week=w.id) if s.source == "cli"} - known)
    if known and strangers:
        err.print(f"warning: not in the roster: {', '.join(strangers[:20])}" + (" …" if len(strangers) > 20 else ""))


@app.command()
def check(notebook: Path = typer.Argument(..., help="your notebook"),
          week: Optional[str] = typer.Option(None, "--week", help="week id (default: from the notebook)"),
          course: Path = CourseOpt) -> None:
    """For students: run the public tests only and show each question as passed or failed."""
    import json

    from autograder.results import question_output, quoted
    from autograder.runner import grade_notebook

    c = _load(course)
    if week is None:
        try:
            meta = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
            week = meta.get("otter", {}).get("assignment_name")
        except (OSError, ValueError):
            week = None
        if not week:
            err.print("error: cannot tell the week from the notebook; pass --week weekNN")
            raise typer.Exit(2)
    w = _weeks(c, [week], False)[0]
    build_ = _built(c, w)
    r = grade_notebook(build_, notebook, "check", c.limits_for(w), public_only=True)
    if r.status in ("invalid-notebook", "grader-error", "sandbox-error"):
        err.print(f"Not defteri notlanamadı: {r.message}", highlight=False, markup=False)
        raise typer.Exit(1)
    failed = 0
    for q in r.questions:
        public = [t for t in q.tests if not t.hidden]
        if q.manual:
            console.print(f"  {q.name}: elle notlanacak")
            continue
        ok = all(t.passed for t in public)
        failed += not ok
        console.print(f"{'✅' if ok else '❌'} {q.name}: {'geçti' if ok else 'kaldı'}")
        if not ok:
            console.print("    " + question_output(q, r.language).replace("\n", "\n    "), highlight=False,
                          markup=False)
    for e in r.cell_errors:
        console.print(f"  hücre {e['cell']} hata verdi:\n{quoted(e['error'])}", highlight=False, markup=False)
    raise typer.Exit(1 if failed else 0)


# --------------------------------------------------------------------------- submission service

@app.command()
def serve(host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
          port: int = typer.Option(8000, "--port", help="port to listen on"),
          workers: Optional[int] = typer.Option(None, "--workers", min=0,
                                                help="grading worker processes (default: course.yml service.workers)"),
          open_: list[str] = typer.Option([], "--open", help="accept submissions for this week before its release "
                                                           "date (repeatable; for trial runs)"),
          course: Path = CourseOpt) -> None:
    """Start the submission service: web pages for students and staff, and its grading workers."""
    from autograder import gradebook as gbm
    from autograder.build import BuildError, ensure_built

    c = _load(course)
    for wid in open_:
        _weeks(c, [wid], False)
    try:
        roster = gbm.load_roster(gbm.roster_path(c))
        gb = gbm.Gradebook(gbm.database_url(c))
    except config_mod.ConfigError as e:
        err.print(f"[red]error:[/red] {e}", markup=True, highlight=False)
        raise typer.Exit(2) from None
    gb.sync_roster(roster)
    people = gb.users()
    no_secret = [u.id for u in people if not u.secret_hash]
    console.print(f"gradebook: {gb.display_url}; roster: {len(people)} people "
                  f"({sum(u.role == 'student' for u in people)} students)")
    if no_secret:
        err.print(f"warning: {len(no_secret)} people have no sign-in secret yet; "
                  f"run `autograder roster invite --all`")
    now = dt.datetime.now(dt.timezone.utc)
    live = [w for w in c.weeks if now >= c.aware(w.release) or w.id in open_ or w.id in c.service.open_weeks]
    for w in live:
        try:
            b = ensure_built(c, w)
        except BuildError as e:
            err.print(f"error: {e}")
            raise typer.Exit(1) from None
        if not b.manifest.get("validated"):
            err.print(f"warning: {w.id} is built but not validated; run `autograder build {w.id}`")
    console.print(f"open weeks: {', '.join(w.id for w in live) or 'none (before the first release date; see --open)'}")
    gb.dispose()

    import uvicorn

    from autograder.service.app import create_app

    application = create_app(course, workers=workers, open_weeks=list(open_))
    console.print(f"serving on http://{host}:{port}/ (Ctrl-C stops)")
    # proxy_headers off: uvicorn would otherwise believe X-Forwarded-For from 127.0.0.1 on its own;
    # the service decides with course.yml's service.trusted_proxies instead.
    uvicorn.run(application, host=host, port=port, log_level="info", server_header=False,
                timeout_graceful_shutdown=15, proxy_headers=False)


@app.command()
def worker(drain: bool = typer.Option(False, "--drain", help="exit when the queue is empty"),
           course: Path = CourseOpt) -> None:
    """Grade queued submissions from the gradebook (run it on other machines to share the load)."""
    from autograder.service.worker import main as worker_main

    _load(course)
    raise typer.Exit(worker_main(["--course", str(course)] + (["--drain"] if drain else [])))


@app.command()
def export(week: str = typer.Argument(..., help="week id"),
           format_: str = typer.Option("csv", "--format", help="csv, canvas, moodle or gradescope"),
           out: Optional[Path] = typer.Option(None, "--out", "-o", help="file to write (default: standard output)"),
           bom: Optional[bool] = typer.Option(None, "--bom/--no-bom",
                                              help="start with a UTF-8 byte-order mark, so that Excel shows Turkish "
                                                   "letters (default: yes with --out, no on standard output)"),
           course: Path = CourseOpt) -> None:
    """Export a week's grades from the gradebook (the score that counts per student)."""
    from autograder.gradebook import Gradebook, database_url, export_csv
    from autograder.results import atomic_write

    c = _load(course)
    w = _weeks(c, [week], False)[0]
    if format_ not in ("csv", "canvas", "moodle", "gradescope"):
        err.print(f"error: unknown format {format_!r} (csv, canvas, moodle or gradescope)")
        raise typer.Exit(2)
    gb = Gradebook(database_url(c))
    _sync_roster_if_any(gb, c)
    text = export_csv(gb, c, w, format_)
    if bom if bom is not None else out is not None:
        text = "\ufeff" + text
    if out is None:
        sys.stdout.write(text)
    else:
        atomic_write(out, text)
        err.print(f"{out}: {text.count(chr(10)) - 1} row(s)")


@app.command()
def extend(student: str = typer.Argument(..., help="student id from the roster"),
           week: str = typer.Argument(..., help="week id"),
           hours: Optional[float] = typer.Option(None, "--hours", help="new due date: the week's due date plus this "
                                                                     "many hours"),
           remove: bool = typer.Option(False, "--remove", help="take the extension back"),
           reason: str = typer.Option("", "--reason", help="a note shown to staff"),
           course: Path = CourseOpt) -> None:
    """Give one student more time for one week (upload window, late penalty and exports follow it)."""
    from zoneinfo import ZoneInfo

    from autograder import gradebook as gbm

    c = _load(course)
    w = _weeks(c, [week], False)[0]
    if hours is None and not remove:
        err.print("error: give --hours N (or --remove)")
        raise typer.Exit(2)
    gb = gbm.Gradebook(gbm.database_url(c))
    try:
        _sync_roster_if_any(gb, c)
        person = gb.user(student) if gbm.ID_RE.match(student) else None
        if person is None or person.role != "student":
            err.print(f"error: {student!r} is not a student in the roster")
            raise typer.Exit(2)
        if remove:
            done = gb.remove_extension(c, w, student)
            console.print(f"{student} {w.id}: extension removed" if done else f"{student} {w.id}: had no extension")
            return
        try:
            ext = gb.grant_extension(c, w, student, hours=hours, by="cli", reason=reason)
        except config_mod.ConfigError as e:
            err.print(f"error: {e}")
            raise typer.Exit(2) from None
        due = ext.due_at.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo(c.timezone))
        console.print(f"{student} {w.id}: due {due:%Y-%m-%d %H:%M} ({c.timezone}), {hours:g} h after the week's due date")
    finally:
        gb.dispose()


def _sync_roster_if_any(gb, c: config_mod.Course) -> None:  # noqa: ANN001
    """Bring the gradebook's people up to date with the roster file, if the course has one."""
    from autograder.gradebook import load_roster, roster_path

    if roster_path(c).is_file():
        try:
            gb.sync_roster(load_roster(roster_path(c)))
        except config_mod.ConfigError as e:
            err.print(f"warning: roster not used: {e}", highlight=False)


roster_app = typer.Typer(no_args_is_help=True, help="Who may sign in to the submission service.")
app.add_typer(roster_app, name="roster")


@roster_app.command("invite")
def roster_invite(ids: list[str] = typer.Argument(None, help="user ids from the roster"),
                  all_: bool = typer.Option(False, "--all", help="everyone in the roster who has no secret yet"),
                  reissue: bool = typer.Option(False, "--reissue", help="replace existing secrets (ends their sessions)"),
                  out: Optional[Path] = typer.Option(None, "--out", help="write id,name,email,role,secret to this "
                                                                       "CSV (mode 0600) instead of the terminal"),
                  course: Path = CourseOpt) -> None:
    """Issue sign-in secrets. Only their hashes are stored; hand each person their own."""
    import csv as csv_mod
    import io

    from autograder import gradebook as gbm

    c = _load(course)
    if not ids and not all_:
        err.print("error: name user ids or pass --all")
        raise typer.Exit(2)
    try:
        gb = gbm.Gradebook(gbm.database_url(c))
        gb.sync_roster(gbm.load_roster(gbm.roster_path(c)))
        issued, skipped = gb.invite(None if all_ and not ids else ids, reissue=reissue)
    except config_mod.ConfigError as e:
        err.print(f"[red]error:[/red] {e}", markup=True, highlight=False)
        raise typer.Exit(2) from None
    if skipped:
        err.print(f"{len(skipped)} already have a secret (use --reissue to replace): {', '.join(skipped[:10])}"
                  + (" …" if len(skipped) > 10 else ""))
    if out is not None:
        buf = io.StringIO()
        wr = csv_mod.writer(buf, lineterminator="\n")
        wr.writerow(["id", "name", "email", "role", "secret"])
        for u, secret in issued:
            wr.writerow([u.id, u.name, u.email, u.role, secret])
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(buf.getvalue())
        os.chmod(out, 0o600)
        console.print(f"{out}: {len(issued)} secret(s) (mode 0600; delete it once they are handed out)")
        return
    t = Table(title=f"{len(issued)} secret(s) issued — shown once, only hashes are stored")
    for col in ("id", "name", "role", "secret"):
        t.add_column(col)
    for u, secret in issued:
        t.add_row(u.id, u.name, u.role, secret)
    console.print(t)


@roster_app.command("list")
def roster_list(course: Path = CourseOpt) -> None:
    """Show the roster as the gradebook knows it (who has a secret, last sign-in)."""
    from autograder import gradebook as gbm

    c = _load(course)
    try:
        gb = gbm.Gradebook(gbm.database_url(c))
        gb.sync_roster(gbm.load_roster(gbm.roster_path(c)))
    except config_mod.ConfigError as e:
        err.print(f"[red]error:[/red] {e}", markup=True, highlight=False)
        raise typer.Exit(2) from None
    t = Table(title=f"roster ({gb.display_url})")
    for col in ("id", "name", "role", "section", "secret", "last sign-in"):
        t.add_column(col)
    for u in gb.users():
        t.add_row(u.id, u.name, u.role, u.section, "yes" if u.secret_hash else "no",
                  u.last_login_at.isoformat(timespec="minutes") if u.last_login_at else "")
    console.print(t)


lti_app = typer.Typer(no_args_is_help=True, help="LTI 1.3: launch from Moodle or Canvas (course.yml `lti:`).")
app.add_typer(lti_app, name="lti")


@lti_app.command("keys")
def lti_keys(force: bool = typer.Option(False, "--force", help="replace existing keys"),
             course: Path = CourseOpt) -> None:
    """Make the tool's RSA key (build/lti_private_key.pem, 0600) and public key set (served at /lti/jwks.json)."""
    from autograder.service import lti as lti_mod

    c = _load(course)
    try:
        priv, pub = lti_mod.make_keys(c, force=force)
    except config_mod.ConfigError as e:
        err.print(f"[red]error:[/red] {e}", markup=True, highlight=False)
        raise typer.Exit(2) from None
    console.print(f"{priv} (mode 0600, keep it secret)\n{pub} (public, served at /lti/jwks.json)")


@lti_app.command("send")
def lti_send(week: str = typer.Argument(..., help="week id"), course: Path = CourseOpt) -> None:
    """Queue every counted score of WEEK for the LMS again and send them (failures are retried later)."""
    from autograder import gradebook as gbm
    from autograder.service import lti as lti_mod

    c = _load(course)
    try:
        gb = gbm.Gradebook(gbm.database_url(c))
        queued, sent, failed = lti_mod.resend_week(c, gb, week)
    except config_mod.ConfigError as e:
        err.print(f"[red]error:[/red] {e}", markup=True, highlight=False)
        raise typer.Exit(2) from None
    console.print(f"{week}: {queued} score(s) queued, {sent} sent, {failed} failed (see /staff/lti)")
    if failed:
        raise typer.Exit(1)


@lti_app.command("config")
def lti_config(as_json: bool = typer.Option(False, "--json", help="print JSON"), course: Path = CourseOpt) -> None:
    """Print what a Moodle 4.x or Canvas administrator enters to register this tool."""
    import json as json_mod

    from autograder.service import lti as lti_mod

    c = _load(course)
    try:
        st = lti_mod.platform_settings(c)
    except config_mod.ConfigError as e:
        err.print(f"[red]error:[/red] {e}", markup=True, highlight=False)
        raise typer.Exit(2) from None
    if as_json:
        print(json_mod.dumps(st, indent=1, ensure_ascii=False))
        return
    print("Moodle 4.x (Site administration > Plugins > External tool > Manage tools > configure a tool manually):")
    print(f"  Tool URL:                 {st['tool_url']}")
    print("  LTI version:              LTI 1.3")
    print("  Public key type:          Keyset URL")
    print(f"  Public keyset:            {st['public_keyset_url']}")
    print(f"  Initiate login URL:       {st['initiate_login_url']}")
    print(f"  Redirection URI(s):       {st['redirect_uris'][0]}")
    print("  Services > IMS LTI Assignment and Grade Services: use this service for grade sync only")
    print("  Privacy > Share launcher's email with tool: Always")
    print("Canvas (Admin > Developer Keys > + LTI Key, method: Manual entry):")
    print(f"  Redirect URIs:            {st['redirect_uris'][0]}")
    print(f"  Target Link URI:          {st['tool_url']}")
    print(f"  OpenID Connect Initiation Url: {st['initiate_login_url']}")
    print(f"  JWK Method: Public JWK URL {st['public_keyset_url']}")
    print(f"  LTI Advantage Services:   {', '.join(st['scopes'])}")
    print("  Privacy level: Public (the e-mail is needed to match the roster)")
    print(f"A week's link (resource link URL): {st['launch_url_of_a_week']}")
    p = st["platform_side"]
    print(f"This course trusts issuer {p['issuer']}, client id {p['client_id']}, deployment(s) "
          f"{', '.join(p['deployment_ids'])}")


@app.command()
def release(week: str = typer.Argument(..., help="week id"),
            out: Path = typer.Option(Path("build/release"), "--out", help="folder for the archive"),
            force: bool = typer.Option(False, "--force", help="release before the release date"),
            course: Path = CourseOpt) -> None:
    """Package the student notebook and its data files into one zip for the LMS."""

    c = _load(course)
    w = _weeks(c, [week], False)[0]
    now = dt.datetime.now(dt.timezone.utc)
    if now < c.aware(w.release) and not force:
        err.print(f"error: {w.id} is released on {c.aware(w.release).isoformat()}; use --force to release now")
        raise typer.Exit(1)
    b = _built(c, w)
    if not b.manifest.get("validated"):
        err.print(f"error: {w.id} has not passed validation; run `autograder build {w.id}` first")
        raise typer.Exit(1)
    out.mkdir(parents=True, exist_ok=True)
    archive = out / f"{w.id}.zip"
    tmp = archive.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(b.student_dir.rglob("*")):
            if p.is_file():
                z.write(p, f"{w.id}/{p.relative_to(b.student_dir)}")
    os.replace(tmp, archive)
    console.print(f"{archive} ({archive.stat().st_size // 1024} KiB)")


@app.command()
def mutants(weeks: list[str] = typer.Argument(None, help="week ids, e.g. week01"),
            all_: bool = typer.Option(False, "--all", help="every week in course.yml"),
            question: Optional[list[str]] = typer.Option(None, "--question", "-q", help="only these questions"),
            max_mutants: int = typer.Option(30, "--max", min=1, help="non-equivalent mutants tested per question"),
            write: bool = typer.Option(True, "--write/--no-write",
                                       help="record whole-week results in assignments/MUTATION.md"),
            course: Path = CourseOpt) -> None:
    """Mutation scores: mutants of the reference answers against each question's tests."""
    from autograder.mutation.engine import MutationError, run_week
    from autograder.mutation.report import FLOOR, below_floor, default_path, inputs_hash, render_week, write_week

    c = _load(course)
    selected = _weeks(c, weeks or [], all_)
    if question and len(selected) != 1:
        err.print("error: --question needs exactly one week")
        raise typer.Exit(2)
    failed = False
    for w in selected:
        with _progress() as progress:
            task = progress.add_task(f"mutants {w.id}", total=None)

            def on_progress(q: str, done: int, total: int, task=task, w=w) -> None:
                progress.update(task, completed=done, total=total, description=f"mutants {w.id} {q}")

            t0 = time.monotonic()
            try:
                results = run_week(c, w, question or None, max_mutants, on_progress)
            except MutationError as e:
                err.print(f"[red]FAILED[/red] {e}", highlight=False)
                failed = True
                continue
        t = Table(title=f"{w.id}: mutation scores ({time.monotonic() - t0:.0f} s)")
        for col in ("question", "kind", "mutants", "killed", "score", "equivalent", "invalid", "survivors"):
            t.add_column(col)
        for r in results:
            score = "—" if r.score is None else f"{100 * r.score:.0f} %"
            t.add_row(r.question, r.kind, str(r.mutants), str(r.killed), score, str(r.equivalent), str(r.invalid),
                      "; ".join(m.where for m in r.survivors[:3]) + (" …" if len(r.survivors) > 3 else ""))
        console.print(t)
        for r in below_floor(results):
            why = (f"{r.killed}/{r.mutants} killed (floor {100 * FLOOR:.0f} %)" if r.kind == "function"
                   else f"{len(r.unexplained)} survivor(s) not listed in the master with a reason")
            err.print(f"[red]below floor[/red] {w.id}: {r.question}: {why}", highlight=False)
            failed = True
        if write and not question:
            section = render_week(w.id, inputs_hash(c, w), max_mutants, results)
            write_week(default_path(c), section, w.id)
            console.print(f"wrote {w.id} to {default_path(c)}")
    raise typer.Exit(1 if failed else 0)


@app.command()
def samples(week: str = typer.Argument(..., help="week id"),
            dest: Path = typer.Option(..., "--dest", help="folder for the sample notebooks"),
            course: Path = CourseOpt) -> None:
    """Write sample submissions (correct, blank, partial, crashing, hanging, broken) for a week."""
    from autograder.samples import make_samples

    c = _load(course)
    w = _weeks(c, [week], False)[0]
    b = _built(c, w)
    for p in make_samples(b, dest):
        console.print(str(p))


@app.command("export-nbgrader")
def export_nbgrader(weeks: list[str] = typer.Argument(None, help="week ids"),
                    all_: bool = typer.Option(False, "--all", help="every week in course.yml"),
                    dest: Path = typer.Option(..., "--dest", help="the nbgrader course folder to write"),
                    course: Path = CourseOpt) -> None:
    """Export weeks as nbgrader source notebooks in a ready nbgrader course folder."""
    from autograder.build import BuildError
    from autograder.nbgrader_export import export

    c = _load(course)
    selected = _weeks(c, weeks or [], all_)
    try:
        paths = export(c, selected, dest)
    except BuildError as e:
        err.print(f"error: {e}")
        raise typer.Exit(1) from None
    for p in paths:
        console.print(str(p))
    console.print(f"next: cd {dest} && nbgrader generate_assignment {selected[0].id}")


def main() -> None:  # pragma: no cover
    app()


@app.command()
def similarity(week: str = typer.Argument(..., help="week id, e.g. week01"),
               paths: list[Path] = typer.Argument(..., help="notebooks, or folders of notebooks"),
               out: Path = typer.Option(..., "--out", "-o", help="output folder (similarity.html, similarity.csv)"),
               detail: int = typer.Option(50, "--detail", min=0, help="pairs shown side by side in the HTML"),
               common_fraction: float = typer.Option(0.2, "--common-fraction", min=0.0, max=1.0,
                                                     help="code found in more than this share of the notebooks "
                                                          "counts as common (1: off)"),
               course: Path = CourseOpt) -> None:
    """Rank pairs of submissions by the code their students wrote (a reason to look, not a verdict)."""
    from autograder.batch import collect
    from autograder.similarity import Settings, analyse, load_template, submissions_from_files
    from autograder.similarity.report import write_report

    c = _load(course)
    w = _weeks(c, [week], False)[0]
    try:
        files = collect(paths)
    except FileNotFoundError as e:
        err.print(f"error: {e}")
        raise typer.Exit(2) from None
    if not files:
        err.print("error: no files to compare")
        raise typer.Exit(2)
    build = _built(c, w)
    settings = Settings(common_fraction=common_fraction if common_fraction < 1 else 2.0)
    with _progress() as progress:
        tasks: dict[str, int] = {}

        def show(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        report = analyse(load_template(build), submissions_from_files(files), settings, show)
    html, csv_path = write_report(report, out, detail=detail)
    bad = [nb for nb in report.notebooks if nb.error]
    for nb in bad:
        err.print(f"not compared: {nb.label}: {nb.error}", highlight=False)
    t = Table(title=f"{w.id}: {len(report.notebooks) - len(bad)} notebooks, {report.seconds:.1f} s "
                    f"(a reason to look, not a verdict)")
    for col in ("#", "student a", "student b", "score"):
        t.add_column(col)
    for i, p in enumerate(report.pairs[:10], start=1):
        t.add_row(str(i), report.notebooks[p.a].student, report.notebooks[p.b].student, f"{p.score * 100:.0f}")
    console.print(t)
    console.print(f"wrote {html} and {csv_path}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
