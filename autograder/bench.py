"""`make bench`: time to grade one submission against the floor and the peers, and batch throughput.

    python -m autograder.bench [--runs 3] [--weeks week01 weekNN] [--batch 40] [--queue 60] [--out build/bench]

For week 1 and the heaviest built week (largest solution time), each figure is the median (and
min–max) over ``--runs`` runs on this machine, in one run of this script, and its ratio to the
floor (the solution's code as a plain Python script); then batch throughput (--jobs 1 and 2) and
the gradebook queue's throughput with 1, 2 and 3 worker processes. Writes bench.md and bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import nbformat

from autograder import config
from autograder.backends import get_backend
from autograder.build import ensure_built
from autograder.nbgrader_export import autograde_timer
from autograder.pool import close_all
from autograder.runner import grade_notebook, warm_pool
from autograder.weekbuild import WeekBuild

BIN = Path(sys.executable).parent
TARGETS = {"local_overhead_s": 1.0, "docker_overhead_s": 2.0, "speedup_vs_otter_week01": 3.0, "jobs_scaling": 1.7,
           "grader_cpu_share": 0.10}


def timed(fn: Callable[[], object], runs: int, before: Callable[[], object] | None = None) -> dict:
    times = []
    for _ in range(runs):
        if before is not None:
            before()  # not timed: e.g. waiting until the warm spare has started
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "runs": times}


def run(cmd: list[str], cwd: Path, timeout: float = 900) -> None:
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} failed: {(r.stderr or r.stdout)[-800:]}")


def floor_script(build: WeekBuild, dest: Path) -> Path:
    """The solution notebook's code cells as a plain script (Otter's grader cells dropped)."""
    nb = nbformat.read(build.solution_notebook, as_version=4)
    lines = []
    for c in nb.cells:
        if c.cell_type != "code" or "otter" in c.source or c.source.lstrip().startswith(("grader.", "%", "!")):
            continue
        lines.append(c.source)
    path = dest / "floor.py"
    path.write_text("\n\n".join(lines))
    return path


def workdir(build: WeekBuild) -> Path:
    d = Path(tempfile.mkdtemp(prefix=f"bench-{build.week_id}-"))
    for f in build.public_files:
        shutil.copy2(f, d / f.name)
    shutil.copytree(build.student_dir / "tests", d / "tests")  # as a student has it: grader.check works
    # Named like the released notebook: its Otter init cell opens the notebook by that name.
    shutil.copy2(build.solution_notebook, d / f"{build.week_id}.ipynb")
    return d


def bench_week(course: config.Course, build: WeekBuild, runs: int, docker: bool) -> dict:
    week = course.week(build.week_id)
    limits = course.limits_for(week)
    d = workdir(build)
    sub = d / f"{build.week_id}.ipynb"
    script = floor_script(build, d)
    env_course = ["--course", str(course.root / "course.yml")]
    rows: dict[str, dict] = {}
    rows["floor (plain python script)"] = timed(lambda: run([sys.executable, str(script)], d), runs)
    rows["jupyter nbconvert --execute"] = timed(lambda: run(
        [str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute", "--output", str(d / "nbconvert.ipynb"),
         str(sub)], d), runs)
    if build.otter_zip is not None:
        def otter() -> None:
            out = Path(tempfile.mkdtemp(dir=d))
            run([str(BIN / "otter"), "run", "-a", str(build.otter_zip), str(sub), "-o", str(out)], d)
        rows["otter run (otter-grader 7.0.0)"] = timed(otter, runs)
    rows["nbgrader autograde"] = timed(autograde_timer(course, build, d), runs)

    def cli(backend: str) -> Callable[[], None]:
        def go() -> None:
            out = Path(tempfile.mkdtemp(dir=d))
            run([str(BIN / "autograder"), "grade", build.week_id, str(sub), "--out", str(out),
                 "--backend", backend, *env_course], course.root)
        return go

    rows["this project, local, cold (new process, CLI)"] = timed(cli("local"), runs)
    be = get_backend("local")
    pool = warm_pool(build, limits, be)

    cpu: list[tuple[float, float]] = []  # (grader process CPU, kernel CPU) per warm submission

    def warm() -> None:
        c0 = time.process_time()  # this process: the trusted tests and the channel, not the kernel
        r = grade_notebook(build, sub, "bench", limits, backend=be, pool=pool)
        cpu.append((time.process_time() - c0, r.exec_cpu_seconds))
        auto = sum(q.max_score for q in r.questions if not q.manual)  # manual questions score later
        assert r.status == "ok" and r.total == auto, r
    # Steady state, as between submissions in a batch or in the service: the grader has loaded
    # the tests once (one untimed submission) and the spare kernel is ready.
    warm()
    rows["this project, local, warm (pre-started sandbox)"] = timed(warm, runs, before=pool.wait_ready)
    close_all()
    timed_cpu = cpu[1:]  # the untimed first submission loaded the tests
    grader_cpu = statistics.median(g for g, _ in timed_cpu)
    kernel_cpu = statistics.median(k for _, k in timed_cpu)
    cpu_row = {"grader_cpu_s": grader_cpu, "kernel_cpu_s": kernel_cpu,
               "grader_share": grader_cpu / kernel_cpu if kernel_cpu > 0 else float("inf")}
    if docker:
        rows["this project, docker, cold (new process, CLI)"] = timed(cli("docker"), runs)
        dbe = get_backend("docker")
        dpool = warm_pool(build, limits, dbe)

        def dwarm() -> None:
            r = grade_notebook(build, sub, "bench", limits, backend=dbe, pool=dpool)
            assert r.status == "ok", r
        dwarm()
        rows["this project, docker, warm (pre-started container)"] = timed(dwarm, runs, before=dpool.wait_ready)
        close_all()
    floor = rows["floor (plain python script)"]["median"]
    for r in rows.values():
        r["ratio_to_floor"] = r["median"] / floor
        r["overhead_s"] = r["median"] - floor
    shutil.rmtree(d, ignore_errors=True)
    rows["_cpu"] = cpu_row
    return rows


def throughput(course: config.Course, build: WeekBuild, n: int) -> dict:
    from autograder.batch import grade_batch

    d = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    subs = d / "subs"
    subs.mkdir()
    for i in range(n):
        shutil.copy2(build.solution_notebook, subs / f"s{i:03d}.ipynb")
    out = {}
    for jobs in (1, 2):
        t0 = time.perf_counter()
        grade_batch(course, course.week(build.week_id), sorted(subs.iterdir()), d / f"out{jobs}", jobs=jobs)
        secs = time.perf_counter() - t0
        out[f"jobs={jobs}"] = {"seconds": secs, "per_minute": n / secs * 60}
    out["scaling"] = out["jobs=2"]["per_minute"] / out["jobs=1"]["per_minute"]
    shutil.rmtree(d, ignore_errors=True)
    return out


def queue_throughput(course: config.Course, build: WeekBuild, n: int, workers: tuple[int, ...] = (1, 2, 3),
                     url: str | None = None) -> dict:
    """The gradebook's queue with 1, 2 and 3 `autograder worker` processes: ``n`` copies of the
    solution queued, then the workers started; seconds until all are graded (worker start-up
    included, as at a deadline). ``url``: a PostgreSQL database to use (emptied first), else a
    temporary SQLite file. More workers than cores shows the cost of oversubscription."""
    import signal

    from autograder import gradebook as gbm

    d = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    data = build.solution_notebook.read_bytes()
    out: dict = {"database": "postgresql" if url else "sqlite", "n": n}
    try:
        for k in workers:
            db = url or f"sqlite:///{d / f'queue{k}.sqlite3'}"
            gb = gbm.Gradebook(db)
            gbm.Base.metadata.drop_all(gb.engine)
            gb.dispose()
            gb = gbm.Gradebook(db)
            for i in range(n):
                gb.add_submission(f"s{i:03d}", build.week_id, data, "bench.ipynb", source="cli")
            env = dict(os.environ, AUTOGRADER_DATABASE_URL=db)
            t0 = time.perf_counter()
            procs = [subprocess.Popen([sys.executable, "-m", "autograder.service.worker", "--course",
                                       str(course.root / "course.yml")], env=env, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(k)]
            try:
                while True:
                    c = gb.queue_counts()
                    if c["done"] + c["error"] >= n:
                        break
                    if all(p.poll() is not None for p in procs):
                        raise RuntimeError("every queue worker exited before the queue was empty")
                    time.sleep(0.5)
                secs = time.perf_counter() - t0
            finally:
                for p in procs:
                    p.send_signal(signal.SIGTERM)
                for p in procs:
                    try:
                        p.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        p.kill()
            out[f"workers={k}"] = {"seconds": secs, "per_minute": n / secs * 60, "errors": c["error"]}
            gb.dispose()
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return out


def markdown(results: dict) -> str:
    lines = [f"# Benchmark ({results['machine']})", ""]
    for week, rows in results["weeks"].items():
        lines += [f"## {week} (solution {results['solution_seconds'][week]:.1f} s of CPU in the build)", "",
                  "| method | median s | min–max s | × floor | overhead s |", "|---|---|---|---|---|"]
        for name, r in rows.items():
            if name.startswith("_"):
                continue
            lines.append(f"| {name} | {r['median']:.2f} | {r['min']:.2f}–{r['max']:.2f} | "
                         f"{r['ratio_to_floor']:.2f} | {r['overhead_s']:+.2f} |")
        lines.append("")
    t = results.get("throughput")
    if t:
        lines += [f"## Batch throughput ({results['batch_size']} submissions of {results['batch_week']})", "",
                  "| jobs | seconds | submissions/min |", "|---|---|---|"]
        for k in ("jobs=1", "jobs=2"):
            lines.append(f"| {k[5:]} | {t[k]['seconds']:.1f} | {t[k]['per_minute']:.1f} |")
        lines += ["", f"Scaling 1 → 2 jobs: **{t['scaling']:.2f}×**", ""]
    if results["weeks"]:
        lines += ["## Grader CPU per submission (local, warm; target: at most 10 % of the kernel's)", "",
                  "| week | grader CPU s | kernel CPU s | grader / kernel |", "|---|---|---|---|"]
    for week, rows in results["weeks"].items():
        c = rows["_cpu"]
        lines.append(f"| {week} | {c['grader_cpu_s']:.2f} | {c['kernel_cpu_s']:.2f} | {c['grader_share']:.0%} |")
    if results["weeks"]:
        lines.append("")
    q = results.get("queue")
    if q:
        lines += [f"## Queue throughput ({q['n']} submissions of {results['batch_week']} on {q['database']}, "
                  f"{os.cpu_count()} cores)", "", "| workers | seconds | submissions/min | × 1 worker |", "|---|---|---|---|"]
        base = q["workers=1"]["per_minute"]
        for k in sorted(x for x in q if x.startswith("workers=")):
            lines.append(f"| {k[8:]} | {q[k]['seconds']:.1f} | {q[k]['per_minute']:.1f} | "
                         f"{q[k]['per_minute'] / base:.2f} |")
        lines.append("")
    lines += ["## Targets", "", "| target | measured | met |", "|---|---|---|"]
    for name, (goal, got, ok) in results["targets"].items():
        lines.append(f"| {name} ≤/≥ {goal} | {got:.2f} | {'yes' if ok else 'no'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--course", type=Path, default=Path("course.yml"))
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 3)))
    ap.add_argument("--weeks", nargs="*")
    ap.add_argument("--batch", type=int, default=40)
    ap.add_argument("--queue", type=int, default=60,
                    help="submissions on the gradebook queue for the 1/2/3-worker rows (0: skip); PostgreSQL "
                         "if AUTOGRADER_BENCH_DATABASE_URL is set, else SQLite")
    ap.add_argument("--out", type=Path, default=Path("build/bench"))
    ap.add_argument("--no-docker", action="store_true")
    args = ap.parse_args()
    course = config.load(args.course)
    docker = not args.no_docker
    if docker:
        from autograder.sandbox.docker import DockerUnavailable, check_docker

        try:
            check_docker("cpu")
        except DockerUnavailable as e:
            print(f"docker rows skipped: {e}", file=sys.stderr)
            docker = False
    # The heaviest week is the one whose solution used the most CPU in its validated build (CPU,
    # not wall time: that depends on how busy the machine was when the week was built).
    existing = {w.id: WeekBuild(course.root, w.id) for w in course.weeks}
    solution_s = {k: float(b.manifest.get("solution_cpu_seconds") or b.manifest.get("solution_seconds") or 0)
                  for k, b in existing.items() if b.exists}
    weeks = args.weeks or sorted({"week01", max(solution_s, key=solution_s.get, default="week01")})
    builds = {w: ensure_built(course, course.week(w)) for w in weeks}
    results: dict = {"machine": f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}", "weeks": {},
                     "solution_seconds": {w: float(builds[w].manifest.get("solution_cpu_seconds") or 0) for w in weeks}}
    for w in weeks:
        print(f"benchmarking {w} ({args.runs} runs each)…", file=sys.stderr, flush=True)
        results["weeks"][w] = bench_week(course, builds[w], args.runs, docker)
    print(f"batch throughput: {args.batch} submissions of week01 with --jobs 1 and 2…", file=sys.stderr, flush=True)
    results["throughput"] = throughput(course, builds["week01"], args.batch)
    results["batch_size"], results["batch_week"] = args.batch, "week01"
    if args.queue:
        url = os.environ.get("AUTOGRADER_BENCH_DATABASE_URL")
        print(f"queue throughput: {args.queue} submissions, 1/2/3 workers on {'PostgreSQL' if url else 'SQLite'}…",
              file=sys.stderr, flush=True)
        results["queue"] = queue_throughput(course, builds["week01"], args.queue, url=url)
    w1 = results["weeks"]["week01"]
    targets = {"local overhead over floor, s (warm)": (TARGETS["local_overhead_s"],
                                                       w1["this project, local, warm (pre-started sandbox)"]["overhead_s"], None)}
    if docker:
        targets["docker overhead over floor, s (warm)"] = (
            TARGETS["docker_overhead_s"], w1["this project, docker, warm (pre-started container)"]["overhead_s"], None)
    if "otter run (otter-grader 7.0.0)" in w1:
        targets["speed-up vs otter run, week01 (warm)"] = (
            TARGETS["speedup_vs_otter_week01"], w1["otter run (otter-grader 7.0.0)"]["median"]
            / w1["this project, local, warm (pre-started sandbox)"]["median"], None)
    targets["batch scaling 1 → 2 jobs"] = (TARGETS["jobs_scaling"], results["throughput"]["scaling"], None)
    for w in weeks:
        targets[f"grader CPU share of the kernel's, {w}"] = (TARGETS["grader_cpu_share"],
                                                             results["weeks"][w]["_cpu"]["grader_share"], None)
    results["targets"] = {k: (g, v, (v <= g) if ("overhead" in k or "share" in k) else (v >= g))
                          for k, (g, v, _) in targets.items()}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(results, indent=1))
    md = markdown(results)
    (args.out / "bench.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
