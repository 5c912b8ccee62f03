"""assignments/MUTATION.md: one section per week, each stamped with the hash of its inputs.

A section starts ``## weekNN`` and carries ``<!-- mutation-inputs: weekNN <sha256> max=<N> -->``,
the hash of the week's master notebook (prompts, tests) and reference module, the files a
mutation result depends on. :func:`stale_weeks` recomputes the hashes (cheap) so the suite can
check that the file matches the current masters without re-running any mutant; the build table
shows a question's score only while its week's hash matches (:func:`scores`).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from autograder.config import Course, Week
from autograder.mutation.engine import QuestionMutation

FLOOR = 0.9
HEADER = """# Mutation scores

Written by `make mutants` (`autograder mutants --all`); do not edit by hand. For every auto-graded
question, mutants of the reference definitions its answer injects (operator and comparison swaps,
constants ±1 / ×2 / 0, axis changes, swapped arguments, dropped statements, terms, `detach()`,
`mean`↔`sum`, transposes) are run against the question's tests in a warm sandbox. Mutants that
behave like the reference on every input the tests pass are equivalent and not counted.
**mutants** = non-equivalent mutants tested, **killed** = those failing at least one test.
Floor: {floor:.0f} % killed for every question whose answer is a deterministic function
(kind `function`); for `training` questions every survivor is either killed or listed in the master
with a reason (`# MUTANT OK <id>: <reason>` in one of the question's hidden test cells).
Survivors are listed as diffs with their id.
"""
_SECTION = re.compile(r"^## (week\d+)\s*$", re.MULTILINE)
_STAMP = re.compile(r"<!-- mutation-inputs: (\S+) ([0-9a-f]{64}) max=(\d+) -->")
_ROW = re.compile(r"^\| (q\S+) \| (\w+) \| (\d+) \| (\d+) \| ([^|]+?) \|", re.MULTILINE)


def inputs_hash(course: Course, week: Week) -> str:
    h = hashlib.sha256()
    for p in (course.master_path(week), course.root / "solutions" / f"{week.id}.py"):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def default_path(course: Course) -> Path:
    return course.root / "assignments" / "MUTATION.md"


def _fmt_score(r: QuestionMutation) -> str:
    return "—" if r.score is None else f"{100 * r.score:.0f} %"


def meets_floor(r: QuestionMutation) -> bool | None:
    """None when there is nothing to judge (no mutants)."""
    if r.score is None:
        return None
    return r.score >= FLOOR if r.kind == "function" else not r.unexplained


def below_floor(results: list[QuestionMutation]) -> list[QuestionMutation]:
    return [r for r in results if meets_floor(r) is False]


def render_week(week_id: str, digest: str, max_mutants: int, results: list[QuestionMutation],
                notes: list[str] | None = None) -> str:
    lines = [f"## {week_id}", "", f"<!-- mutation-inputs: {week_id} {digest} max={max_mutants} -->", "",
             "| question | kind | mutants | killed | score | floor | accepted | equivalent | invalid | definitions |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        floor = {None: "—", True: "✓", False: "✗"}[meets_floor(r)]
        n_acc = len(r.survivors) - len(r.unexplained)
        lines.append(f"| {r.question} | {r.kind} | {r.mutants} | {r.killed} | {_fmt_score(r)} | {floor} | {n_acc} | "
                     f"{r.equivalent} | {r.invalid} | {', '.join(r.definitions)} |")
    lines.append("")
    for note in notes or []:
        lines += [f"> {note}", ""]
    for r in results:
        if not r.survivors:
            continue
        lines += [f"<details><summary>{r.question}: {len(r.survivors)} survivor(s)</summary>", ""]
        for m in r.survivors:
            why = f" — accepted: {r.accepted[m.key]}" if m.key in r.accepted else ""
            lines += [f"- `{m.key}` `{m.operator}` {m.definition}, {m.where}{why}", "", "```diff",
                      m.diff.rstrip("\n"), "```", ""]
        lines += ["</details>", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def sections(text: str) -> dict[str, str]:
    found = list(_SECTION.finditer(text))
    return {m.group(1): text[m.start(): found[i + 1].start() if i + 1 < len(found) else len(text)].rstrip("\n") + "\n"
            for i, m in enumerate(found)}


def write_week(path: Path, section: str, week_id: str) -> None:
    """Replace (or add) one week's section; the others are kept; weeks in order; atomic."""
    old = sections(path.read_text(encoding="utf-8")) if path.is_file() else {}
    old[week_id] = section
    body = HEADER.format(floor=100 * FLOOR) + "\n" + "\n".join(old[w] for w in sorted(old))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".MUTATION.", suffix=".md")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(body)
    os.replace(tmp, path)


def recorded(path: Path) -> dict[str, tuple[str, dict[str, tuple[str, str]]]]:
    """Week → (hash, {question: (kind, score text)}) as written in the file."""
    if not path.is_file():
        return {}
    out = {}
    for week_id, text in sections(path.read_text(encoding="utf-8")).items():
        stamp = _STAMP.search(text)
        if not stamp or stamp.group(1) != week_id:
            continue
        out[week_id] = (stamp.group(2), {m.group(1): (m.group(2), m.group(5).strip()) for m in _ROW.finditer(text)})
    return out


def stale_weeks(course: Course, path: Path | None = None) -> list[str]:
    """Weeks of course.yml whose section is missing or was computed from other inputs."""
    rec = recorded(path or default_path(course))
    return [w.id for w in course.weeks if w.id not in rec or rec[w.id][0] != inputs_hash(course, w)]


def scores(course: Course, week: Week, path: Path | None = None) -> dict[str, str]:
    """Question → score text, only when the week's section matches the current inputs."""
    rec = recorded(path or default_path(course)).get(week.id)
    if rec is None or rec[0] != inputs_hash(course, week):
        return {}
    return {q: s for q, (_, s) in rec[1].items()}
