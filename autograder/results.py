"""Grading results and the files made from them: results JSON, grades.csv, Turkish feedback.

Everything written here may reach a student (Gradescope's results.json is student-visible), so
hidden tests contribute only their score: never their name, code, message or expected values. The
one exception is a failed hidden test's hint: the ``failure_message`` its author wrote for
students (never the exception text), shown as "İpucu".
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from autograder.i18n import text

STATUSES = ("ok", "timeout", "kernel-died", "invalid-notebook", "duplicate-student", "sandbox-error", "grader-error")
NEEDS_A_LOOK = ("invalid-notebook", "duplicate-student", "sandbox-error", "grader-error")


@dataclass
class TestResult:
    name: str
    hidden: bool
    points: float
    passed: bool
    message: str = ""  # kept in memory only for hidden tests; never written for them
    hint: str = ""  # hidden tests: the author's failure_message, written only when the test failed
    success_message: str = ""  # the test author's message for a pass (public tests only are shown)


@dataclass
class QuestionResult:
    name: str
    max_score: float
    manual: bool = False
    tests: list[TestResult] = field(default_factory=list)
    all_or_nothing: bool = False  # Otter's rule: any failed test makes the question worth 0

    @property
    def score(self) -> float:
        if self.all_or_nothing and not all(t.passed for t in self.tests):
            return 0.0
        return round(sum(t.points for t in self.tests if t.passed), 6)

    def part(self, hidden: bool) -> tuple[float, float]:
        ts = [t for t in self.tests if t.hidden == hidden]
        got = 0.0 if self.all_or_nothing and not all(t.passed for t in self.tests) else sum(
            t.points for t in ts if t.passed)
        return round(got, 6), round(sum(t.points for t in ts), 6)


@dataclass
class SubmissionResult:
    student: str
    week: str
    status: str = "ok"
    message: str = ""
    questions: list[QuestionResult] = field(default_factory=list)
    cell_errors: list[dict[str, Any]] = field(default_factory=list)  # {"cell": n, "error": "Name: msg"}
    protections_off: list[str] = field(default_factory=list)
    seconds: float = 0.0
    exec_seconds: float = 0.0  # executing the cells only, wall clock
    exec_cpu_seconds: float = 0.0  # the same, CPU time as the kernel reports it (the build's budget)
    sha256: str = ""
    language: str = "tr"  # of the student-facing text (course.yml ``language``)

    @property
    def total(self) -> float:
        return round(sum(q.score for q in self.questions if not q.manual), 6)

    @property
    def max_score(self) -> float:
        return round(sum(q.max_score for q in self.questions), 6)

    def question(self, name: str) -> QuestionResult:
        return next(q for q in self.questions if q.name == name)


# --------------------------------------------------------------------------- scrubbing

def _grader_paths() -> list[str]:
    here = Path(__file__).resolve().parent.parent
    paths = {str(here), sys.prefix, sys.base_prefix, tempfile.gettempdir() + "/ag-scratch-"}
    return sorted((p for p in paths if len(p) > 4), key=len, reverse=True)


def scrub(text: str, limit: int = 2000) -> str:
    """Remove the grader machine's paths from text that may reach a student."""
    for p in _grader_paths():
        text = text.replace(p, "<grader>")
    text = re.sub(r"File \"<grader>[^\"]*\", line \d+", "File \"<grader>\"", text)
    return text if len(text) <= limit else text[:limit] + " …"


# --------------------------------------------------------------------------- student text

_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.|[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
STUDENT_TEXT_LIMIT = 500
STUDENT_TEXT_LINES = 8


def student_text(text: str, limit: int = STUDENT_TEXT_LIMIT) -> str:
    """Text a student controls (exception messages, reprs, type names, output), made inert: grader
    paths scrubbed, ANSI escapes and other control or bidi characters removed, at most
    ``STUDENT_TEXT_LINES`` lines and ``limit`` characters. Still untrusted: render it with
    ``quoted`` (plain text) or ``fenced`` (Markdown), never as a line of its own."""
    text = _CONTROL.sub("", scrub(str(text), 10 * limit)).replace("\r", "")
    lines = text.split("\n")
    if len(lines) > STUDENT_TEXT_LINES:
        lines = lines[:STUDENT_TEXT_LINES] + ["…"]
    text = "\n".join(lines)
    return text if len(text) <= limit else text[:limit] + " …"


def quoted(text: str) -> str:
    """Student text for plain-text output: every line behind a bar, so none can pass for a grader line."""
    return "\n".join("    │ " + line for line in student_text(text).split("\n"))


def fenced(text: str) -> str:
    """Student text for Markdown: a fenced block longer than any backtick run inside, so nothing in
    it is rendered (no headings, no HTML, no emphasis)."""
    body = student_text(text)
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{body}\n{fence}"


# --------------------------------------------------------------------------- feedback text

def question_output(q: QuestionResult, lang: str = "tr", markdown: bool = False) -> str:
    """Student-facing detail: public tests in full, hidden tests as a score only. A failure message
    may carry what the student's code produced, so it is always quoted (plain) or fenced (Markdown)."""
    if q.manual:
        return text("manual", lang)
    lines = []
    for i, t in enumerate(t for t in q.tests if not t.hidden):
        lines.append(_public_line(i + 1, t, lang))
        if not t.passed and t.message:
            lines.append(fenced(t.message) if markdown else quoted(t.message))
    got, mx = q.part(hidden=True)
    if mx:
        lines.append(text("hidden_tests", lang, got=got, max=mx))
    for hint in hidden_hints(q):
        lines.append(text("hint", lang, hint=scrub(hint, 500)))
    if q.all_or_nothing and not all(t.passed for t in q.tests):
        lines.append(text("all_or_nothing", lang))
    return "\n".join(lines)


def student_details(q: QuestionResult) -> list[dict[str, str]]:
    """The student-controlled text of a question's failed public tests, as data of its own."""
    return [{"test": f"{i + 1}", "message": student_text(t.message)}
            for i, t in enumerate(t for t in q.tests if not t.hidden) if not t.passed and t.message]


def _public_line(n: int, t: TestResult, lang: str = "tr") -> str:
    """A public test in the words a student needs: did it pass, and does it carry points. A
    failure's message follows on lines of its own, quoted: the student may control it."""
    key = ("public_pass" if t.passed else "public_fail") + ("" if t.points else "_free")
    head = ("✅ " if t.passed else "❌ ") + text(key, lang, i=n, points=t.points)
    if t.passed and t.success_message:
        head += f": {scrub(t.success_message, 300)}"  # the test author's words, not the student's
    return head


def hidden_hints(q: QuestionResult) -> list[str]:
    """The distinct hints of the question's failed hidden tests, in test order."""
    out: list[str] = []
    for t in q.tests:
        if t.hidden and not t.passed and t.hint and t.hint not in out:
            out.append(t.hint)
    return out


def to_gradescope(r: SubmissionResult) -> dict[str, Any]:
    tests = [{
        "name": q.name,
        "score": None if q.manual else q.score,
        "max_score": q.max_score,
        "visibility": "visible",
        "output": question_output(q, r.language),
        **({"tags": ["manual"]} if q.manual else {}),
    } for q in r.questions]
    return {
        "score": r.total,
        "tests": tests,
        "output": "\n".join(general_notes(r)),
        # No timing here: this file may reach the student, and the time of hidden work could carry
        # hidden inputs out (a submission can modulate its own running time). Staff see it elsewhere.
        "extra_data": {
            "student": r.student, "week": r.week, "status": r.status, "message": r.message,
            "max_score": r.max_score, "sha256": r.sha256,
            "protections_off": r.protections_off,
            "cell_errors": [{**e, "error": student_text(e["error"], 300),
                             **({"first_line": student_text(e["first_line"], 80)} if "first_line" in e else {})}
                            for e in r.cell_errors],
            "student_text": {q.name: d for q in r.questions if (d := student_details(q))},
            # Per-test pass/fail for public tests only, so a result file can be reloaded.
            "public_tests": {q.name: [t.passed for t in q.tests if not t.hidden] for q in r.questions},
            "scores": {q.name: (None if q.manual else q.score) for q in r.questions},
            # Hidden tests as pass/fail and the author's hint of each failed one (never its message).
            "hidden_tests": {q.name: [{"passed": t.passed, "hint": "" if t.passed else scrub(t.hint, 500)}
                                      for t in q.tests if t.hidden] for q in r.questions},
        },
    }


def general_notes(r: SubmissionResult, markdown: bool = False) -> list[str]:
    """Notes for the student, one entry each; student-controlled text inside them is quoted."""
    notes = []
    lang = r.language
    if r.status == "invalid-notebook":
        notes.append(text("invalid", lang) + "\n" + (fenced(r.message) if markdown else quoted(r.message)))
    elif r.status == "timeout":
        notes.append(text("timeout", lang))
    elif r.status == "kernel-died":
        notes.append(text("kernel_note", lang))
    elif r.status in ("grader-error", "sandbox-error"):
        notes.append(text("grader_error", lang))
    for e in r.cell_errors[:10]:
        notes.append(text("cell", lang, cell=e["cell"]) + "\n" + (fenced(e["error"]) if markdown else quoted(e["error"])))
    return notes


def feedback_markdown(r: SubmissionResult) -> str:
    lang = r.language
    out = [f"# {text('feedback_title', lang, week=r.week)}", "", f"{text('student', lang)}: `{r.student}`  ",
           f"{text('total', lang)}: **{r.total:g} / {r.max_score:g}**", ""]
    notes = general_notes(r, markdown=True)
    if notes:
        out += [f"## {text('notes', lang)}", "", *[n + "\n" for n in notes]]
    out += [f"| {text('question', lang)} | {text('points', lang)} |", "|---|---|"]
    for q in r.questions:
        out.append(f"| {q.name} | {text('manual_short', lang) if q.manual else f'{q.score:g} / {q.max_score:g}'} |")
    for q in r.questions:
        out += ["", f"## {q.name}", "", question_output(q, lang, markdown=True)]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- files

def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_submission(out: Path, r: SubmissionResult, staff_status: tuple[str, str] | None = None) -> None:
    """Feedback, then the results file (last: its presence marks the submission as graded).
    ``staff_status`` overrides the status and message in the results' ``extra_data`` only (e.g. a
    duplicate flag for the TA); what the student reads stays as graded."""
    atomic_write(out / "feedback" / f"{r.student}.md", feedback_markdown(r))
    data = to_gradescope(r)
    if staff_status is not None:
        data["extra_data"]["status"], data["extra_data"]["message"] = staff_status
    atomic_write(out / "results" / f"{r.student}.json", json.dumps(data, ensure_ascii=False, indent=1))


def grades_csv(rows: Iterable[dict[str, Any]], questions: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["student", *questions, "total", "max", "status", "message"])
    for row in rows:
        scores = row.get("scores", {})
        cells = ["" if scores.get(q) is None else f"{scores[q]:g}" for q in questions]
        w.writerow([row["student"], *cells, f"{row['score']:g}", f"{row['max_score']:g}", row["status"], row["message"]])
    return buf.getvalue()


def load_results(out: Path) -> list[dict[str, Any]]:
    """Rows for grades.csv, from the results files (the source of truth, so a resumed run agrees)."""
    rows = []
    for p in sorted((out / "results").glob("*.json")):
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
            extra = data["extra_data"]
            rows.append({"student": extra["student"], "score": data["score"], "max_score": extra["max_score"],
                         "status": extra["status"], "message": extra["message"], "scores": extra["scores"],
                         "sha256": extra.get("sha256", "")})
        except (OSError, ValueError, KeyError):
            continue  # a foreign or damaged file; it will be regraded
    return rows
