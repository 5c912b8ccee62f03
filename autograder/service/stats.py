"""Class statistics of one week for staff, and the server-rendered SVG charts that show them.

From the counted submission of each student (the score that counts): per question the mean, the
share of full marks and a score histogram; the hidden tests that fail most often, named by their
hint; and how many submissions arrived per hour before the due date. The charts are plain inline
SVG (no script, no CDN, nothing the content security policy has to allow).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from typing import Any

BINS = 5


@dataclass
class QuestionStats:
    name: str
    title: str
    max_score: float
    n: int  # students with a score for this question
    mean: float | None
    full_share: float | None  # fraction of those students with full marks
    bins: list[tuple[str, int]] = field(default_factory=list)  # (label, count)


@dataclass
class WeekStats:
    n_graded: int
    total: QuestionStats
    questions: list[QuestionStats]
    failing: list[tuple[str, str, int]]  # (question, hint, how many counted submissions fail it)
    per_hour: list[tuple[dt.datetime, int]]  # (hour start, UTC aware; submissions in that hour)


def histogram(values: list[float], max_score: float, bins: int = BINS) -> list[tuple[str, int]]:
    """Counts in ``bins`` equal ranges of [0, max_score]; the last range includes max_score."""
    if max_score <= 0:
        return [("0", len(values))]
    width = max_score / bins
    counts = [0] * bins
    for v in values:
        i = int(min(max(v, 0.0), max_score) / width)
        counts[min(i, bins - 1)] += 1
    return [(f"{_g(i * width)}–{_g((i + 1) * width)}", c) for i, c in enumerate(counts)]


def _g(x: float) -> str:
    return f"{round(x, 2):g}"


def _question_stats(name: str, title: str, max_score: float, values: list[float]) -> QuestionStats:
    n = len(values)
    return QuestionStats(name, title, max_score, n, sum(values) / n if n else None,
                         sum(v >= max_score - 1e-9 for v in values) / n if n else None,
                         histogram(values, max_score))


def week_stats(questions: list[str], titles: dict[str, str], maxima: dict[str, float], week_points: float,
               counted: list[tuple[Any, Any]], submitted_at: list[dt.datetime], due: dt.datetime,
               hours_before: int = 48, hours_after: float = 0) -> WeekStats:
    """``counted``: (submission, result) per student; ``submitted_at``: every submission's time (naive UTC)."""
    per_q: dict[str, list[float]] = {q: [] for q in questions}
    totals: list[float] = []
    fails: Counter = Counter()
    for _, res in counted:
        totals.append(res.score)
        for q, v in res.scores.items():
            if q in per_q and v is not None:
                per_q[q].append(float(v))
        hidden = (res.gradescope.get("extra_data") or {}).get("hidden_tests") or {}
        for q, tests in hidden.items():
            for i, t in enumerate(tests):
                if not t.get("passed"):
                    fails[(q, t.get("hint") or f"gizli test {i + 1} (ipucu yok)")] += 1
    qstats = [_question_stats(q, titles.get(q, ""), maxima.get(q) or max(per_q[q], default=0.0), per_q[q])
              for q in questions]
    total = _question_stats("toplam", "Toplam puan", week_points, totals)
    failing = [(q, hint, n) for (q, hint), n in fails.most_common(10)]
    return WeekStats(len(counted), total, qstats, failing, per_hour(submitted_at, due, hours_before, hours_after))


def per_hour(times: list[dt.datetime], due: dt.datetime, hours_before: int = 48,
             hours_after: float = 0) -> list[tuple[dt.datetime, int]]:
    """Submissions per hour in the ``hours_before`` hours before ``due`` (aware) and the late window after it."""
    due_utc = due.astimezone(dt.timezone.utc)
    end = due_utc + dt.timedelta(hours=min(max(hours_after, 0), 48))
    start = due_utc - dt.timedelta(hours=hours_before)
    n = int((end - start).total_seconds() // 3600) + (1 if (end - start).total_seconds() % 3600 else 0)
    counts = [0] * max(n, 1)
    for t in times:
        t = t.replace(tzinfo=dt.timezone.utc) if t.tzinfo is None else t
        if start <= t < end:
            counts[int((t - start).total_seconds() // 3600)] += 1
    return [(start + dt.timedelta(hours=i), c) for i, c in enumerate(counts)]


# --------------------------------------------------------------------------- SVG

def bar_chart(bars: list[tuple[str, int]], *, chart_id: str, label: str, width: int = 320, height: int = 150,
              every_label: int = 1, marker: int | None = None) -> str:
    """An inline SVG bar chart: one ``rect.bar`` per bar (data-count holds its value), x labels
    under every ``every_label``-th bar, the largest count on the y axis. ``marker``: index of the
    bar before which a dashed line is drawn (the due date)."""
    pad_l, pad_b, pad_t = 28, 22, 10
    plot_w, plot_h = width - pad_l - 6, height - pad_b - pad_t
    top = max((c for _, c in bars), default=0) or 1
    slot = plot_w / max(len(bars), 1)
    gap = min(4.0, slot * 0.2)
    parts = [f'<svg class="chart" id="{escape(chart_id)}" role="img" aria-label="{escape(label)}" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(label)}</title>",
             f'<line class="axis" x1="{pad_l}" y1="{pad_t + plot_h}" x2="{width - 4}" y2="{pad_t + plot_h}" '
             f'stroke="#66707a" stroke-width="1"/>',
             f'<text x="{pad_l - 4}" y="{pad_t + 8}" text-anchor="end" font-size="10" fill="#66707a">{top}</text>',
             f'<text x="{pad_l - 4}" y="{pad_t + plot_h}" text-anchor="end" font-size="10" fill="#66707a">0</text>']
    for i, (name, count) in enumerate(bars):
        h = plot_h * count / top
        x = pad_l + i * slot + gap / 2
        parts.append(f'<rect class="bar" data-count="{count}" x="{x:.1f}" y="{pad_t + plot_h - h:.1f}" '
                     f'width="{max(slot - gap, 1):.1f}" height="{h:.1f}" fill="#0b5cad">'
                     f"<title>{escape(name)}: {count}</title></rect>")
        if i % every_label == 0:
            parts.append(f'<text x="{x + (slot - gap) / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="10" '
                         f'fill="#1d232a">{escape(name)}</text>')
    if marker is not None:
        x = pad_l + marker * slot
        parts.append(f'<line class="due" x1="{x:.1f}" y1="{pad_t}" x2="{x:.1f}" y2="{pad_t + plot_h}" '
                     f'stroke="#b3261e" stroke-dasharray="3 2" stroke-width="1.5"/>')
    parts.append("</svg>")
    return "".join(parts)
