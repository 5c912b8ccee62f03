"""Generate a batch of week-1 notebooks for timing `autograder similarity` (not a test).

    .venv/bin/python tests/similarity_bench.py build/simbench --n 300
    time .venv/bin/autograder similarity week01 build/simbench --out build/simbench-report

Writes ``n - 2`` generated students (``similarity_fixtures.mixed_student``) and two planted,
disguised copies (``kopya_…``), which the report should rank first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import similarity_fixtures as sf  # noqa: E402
from helpers import ROOT  # noqa: E402

from autograder.weekbuild import WeekBuild  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dest", type=Path)
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()
    released = WeekBuild(ROOT, "week01").student_notebook
    if not released.is_file():
        sys.exit("build week01 first: autograder build week01")
    args.dest.mkdir(parents=True, exist_ok=True)
    for i in range(args.n - 2):
        (args.dest / f"ogr{i:03d}_week01.ipynb").write_bytes(sf.notebook(released, sf.mixed_student(i)))
    for j, src in enumerate((5, 77)):
        answers, moved = sf.disguise(sf.mixed_student(src), 100 + j)
        (args.dest / f"kopya_ogr{src:03d}_week01.ipynb").write_bytes(sf.notebook(released, answers, moved))
    print(f"wrote {args.n} notebooks to {args.dest}")


if __name__ == "__main__":
    main()
