"""Run the red-team attacks against `otter run` and against this grader; print a Markdown table.

    .venv/bin/python tests/redteam/compare_otter.py [--out build/redteam-comparison.md]

An attack *succeeds* when the per-question scores differ from what a correct defence gives
(forged points gained or legitimate points lost), when a file it planted outside its sandbox
appears on the host, when it reaches a loopback listener, or when grading breaks. Attacks that
would harm the machine when run without a sandbox (fork and memory bombs, `kill -1` as root,
hundreds of MB of output) are not run against Otter, which executes student code as the calling
user; the table says so.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT), str(HERE.parent)]

import numpy  # noqa: E402

from autograder import config  # noqa: E402
from autograder.batch import grade_batch  # noqa: E402
from autograder.build import build_week  # noqa: E402
from autograder.samples import with_extra_cells  # noqa: E402
from redteam.attacks import ATTACKS, Attack  # noqa: E402
from test_redteam import Listener  # noqa: E402


def canary_paths(a: Attack) -> list[Path]:
    np_dir = os.path.dirname(numpy.__file__)
    return [Path(os.path.expanduser(c.replace("{numpy}", np_dir))) for c in a.canaries]


def planted(a: Attack) -> list[str]:
    """Canary files the attack managed to create on the host; removed again (with empty folders)."""
    found = [str(p) for p in canary_paths(a) if p.exists()]
    for p in canary_paths(a):
        p.unlink(missing_ok=True)
        for parent in (p.parent, p.parent.parent):
            if parent != Path("/") and parent.name in ("results", "autograder"):
                try:
                    parent.rmdir()
                except OSError:
                    pass
    return found


def otter_scores(zip_path: Path, nb: Path, work: Path) -> tuple[dict[str, float] | None, str]:
    out = work / f"otter-{nb.stem}"
    out.mkdir()
    otter = Path(sys.executable).parent / "otter"
    try:
        r = subprocess.run([str(otter), "run", "-a", str(zip_path), str(nb), "-o", str(out)],
                           capture_output=True, text=True, timeout=600, cwd=work)
    except subprocess.TimeoutExpired:
        return None, "otter run timed out (600 s)"
    if not (out / "results.json").exists():
        return None, f"otter run failed (exit {r.returncode})"
    data = json.loads((out / "results.json").read_text())
    return {t["name"]: float(t.get("score") or 0) for t in data["tests"] if t["name"].startswith("q")}, ""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "redteam-comparison.md")
    ap.add_argument("--only", nargs="*", help="attack names")
    args = ap.parse_args()
    attacks = [a for a in ATTACKS if not args.only or a.name in args.only]
    work = Path(tempfile.mkdtemp(prefix="redteam-"))
    course_root = work / "toycourse"
    shutil.copytree(HERE.parent / "fixtures" / "toycourse", course_root, ignore=shutil.ignore_patterns("build"))
    course = config.load(course_root / "course.yml")
    week = course.week("week01")
    report = build_week(course, week)
    assert report.ok, report.problems
    from autograder.weekbuild import WeekBuild

    build = WeekBuild(course_root, "week01")
    listener = Listener()
    subs = work / "subs"
    subs.mkdir()
    for a in attacks:
        cells = [c.replace("{PORT}", str(listener.port)) for c in a.cells]
        with_extra_cells(build.solution_notebook, subs / f"{a.name}.ipynb", [(None, c) for c in cells])
    rows = []
    try:
        for a in attacks:
            nb = subs / f"{a.name}.ipynb"
            # --- this grader
            before = listener.connections
            out = work / f"ours-{a.name}"
            t0 = time.monotonic()
            grade_batch(course, week, [nb], out, jobs=1)
            ours_s = time.monotonic() - t0
            row = next(csv.DictReader(open(out / "grades.csv")))
            got = {q: float(row[q]) for q in a.expected}
            why = []
            if got != a.expected:
                why.append(f"scores {got}")
            if row["status"] != a.status:
                why.append(f"status {row['status']}")
            why += [f"planted {p}" for p in planted(a)]
            if listener.connections > before:
                why.append("reached the listener")
            ours = ("**succeeds**: " + "; ".join(why)) if why else "defended"
            # --- otter run
            if not a.otter_safe:
                theirs = "not run: unsafe without a sandbox (succeeds by construction: no limits)"
            else:
                before = listener.connections
                scores, err = otter_scores(build.otter_zip, nb, work)
                why = [err] if err else []
                if scores == {}:
                    why.append("grading broke: no per-question scores")
                elif scores is not None and scores != a.expected:
                    why.append(f"scores {scores}")
                why += [f"planted {p}" for p in planted(a)]
                if listener.connections > before:
                    why.append("reached the listener")
                theirs = ("**succeeds**: " + "; ".join(why)) if why else "defended"
            rows.append((a.name, a.description, theirs, ours))
            print(f"{a.name}: otter: {theirs} | ours: {ours} ({ours_s:.1f} s)", flush=True)
    finally:
        listener.close()
        for a in attacks:
            planted(a)
    lines = ["| attack | what it tries | `otter run` (otter-grader 7.0.0) | this grader |", "|---|---|---|---|"]
    lines += [f"| {n} | {d} | {t} | {o} |" for n, d, t, o in rows]
    text = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
