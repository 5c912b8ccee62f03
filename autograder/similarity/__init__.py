"""Similarity report: which submissions of a week share the code their students wrote.

One small unit per step, chained in ``analyse``:

1. ``extract``: each notebook's code per question, minus the released notebook's own cells
   (``split_answers``), with the week's common sources (``load_template``);
2. ``compare``: normalised tokens, winnowed fingerprints minus the common ones, and scores per
   pair, per question and overall;
3. ``report``: ``similarity.html`` (ranked pairs, each opening side by side with the shared passages
   highlighted; static, no network) and ``similarity.csv``.

A score is a reason to look, not a verdict: the report says so and lists what was excluded.
Used by ``autograder similarity WEEK PATH… --out DIR`` and by the service's staff week page.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
from scipy import sparse

from autograder.similarity.compare import (Segment, Settings, common_hashes, drop, fingerprint, shared_cover,
                                           shared_slices)
from autograder.similarity.extract import (OTHER, InvalidNotebook, Template, load_template, read_notebook_cells,
                                          split_answers)

__all__ = ["OTHER", "Notebook", "Pair", "Report", "Settings", "Template", "analyse", "load_template"]

Progress = Callable[[str, int, int], None]


@dataclass
class Notebook:
    student: str
    label: str                     # file name or submission number, for the reader
    segments: dict[str, Segment] = field(default_factory=dict)
    error: str | None = None       # why it was left out (not a notebook, …)
    hashes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # unique, all segments

    @property
    def total(self) -> int:
        return sum(s.total for s in self.segments.values())


@dataclass
class Pair:
    a: int
    b: int
    score: float                   # overall, 0..1
    share_a: float                 # share of a's code that b also has
    share_b: float
    questions: dict[str, float | None]  # None: neither wrote anything of their own there
    shared: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0, dtype=np.int64))


@dataclass
class Report:
    week: str
    template: Template
    settings: Settings
    notebooks: list[Notebook]
    pairs: list[Pair]              # best first; only pairs that share something
    common_labels: list[str]
    batch_common: int              # fingerprints dropped because many notebooks share them
    batch_threshold: int | None    # notebooks that made a fingerprint common (None: batch too small)
    seconds: float = 0.0

    @property
    def sections(self) -> list[str]:
        return [*self.template.questions, OTHER]


def _noop(stage: str, done: int, total: int) -> None:
    pass


def analyse(tpl: Template, submissions: list[tuple[str, str, bytes]], settings: Settings | None = None,
            progress: Progress | None = None) -> Report:
    """Compare every pair of submissions, given as (student, label, notebook bytes)."""
    settings = settings or Settings()
    progress = progress or _noop
    t0 = time.monotonic()
    boiler = common_hashes([code for _, code in tpl.common], settings)
    notebooks: list[Notebook] = []
    for i, (student, label, data) in enumerate(submissions):
        nb = Notebook(student, label)
        try:
            answers = split_answers(read_notebook_cells(data), tpl)
        except InvalidNotebook as e:
            nb.error = str(e)
            answers = {}
        for q, code in answers.items():
            nb.segments[q] = fingerprint(code, settings, boiler)
        notebooks.append(nb)
        progress("fingerprints", i + 1, len(submissions))

    # Fingerprints that many notebooks share are common knowledge, not evidence.
    n = len(notebooks)
    threshold = max(settings.common_min, math.ceil(settings.common_fraction * n))
    excluded = np.zeros(0, dtype=np.int64)
    if n >= settings.common_min:
        uniq = [np.unique(np.concatenate([s.hashes for s in nb.segments.values()] or [np.zeros(0, np.int64)]))
                for nb in notebooks]
        vals, counts = np.unique(np.concatenate(uniq) if uniq else np.zeros(0, np.int64), return_counts=True)
        excluded = vals[counts >= threshold]
        for nb in notebooks:
            for seg in nb.segments.values():
                drop(seg, excluded, settings.k)
    for nb in notebooks:
        parts = [s.hashes for s in nb.segments.values()]
        nb.hashes = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    candidates = _candidates(notebooks, settings)
    pairs = []
    for i, (a, b) in enumerate(candidates):
        p = _score(notebooks, a, b, tpl, settings)
        if p.score > 0:
            pairs.append(p)
        if i % 100 == 99 or i == len(candidates) - 1:
            progress("pairs", i + 1, len(candidates))
    pairs.sort(key=lambda p: (-p.score, notebooks[p.a].student, notebooks[p.b].student))
    return Report(tpl.week, tpl, settings, notebooks, pairs, [label for label, _ in tpl.common],
                  len(excluded), threshold if n >= settings.common_min else None, time.monotonic() - t0)


def _candidates(notebooks: list[Notebook], settings: Settings) -> list[tuple[int, int]]:
    """Pairs sharing at least one fingerprint, most shared (relative to size) first, at most max_pairs."""
    n = len(notebooks)
    if n < 2:
        return []
    allh = [nb.hashes for nb in notebooks]
    sizes = np.array([len(h) for h in allh], dtype=np.float64)
    if sizes.sum() == 0:
        return []
    vocab, inverse = np.unique(np.concatenate(allh), return_inverse=True)
    rows = np.repeat(np.arange(n), sizes.astype(np.int64))
    m = sparse.csr_matrix((np.ones(len(inverse), dtype=np.float32), (rows, inverse)), shape=(n, len(vocab)))
    shared = sparse.triu(m @ m.T, k=1).tocoo()
    if shared.nnz == 0:
        return []
    dice = 2 * shared.data / (sizes[shared.row] + sizes[shared.col])
    order = np.argsort(-dice, kind="stable")[: settings.max_pairs]
    return [(int(shared.row[i]), int(shared.col[i])) for i in order]


def _score(notebooks: list[Notebook], a: int, b: int, tpl: Template, settings: Settings) -> Pair:
    na, nb = notebooks[a], notebooks[b]
    shared = np.intersect1d(na.hashes, nb.hashes, assume_unique=True)
    k = settings.k
    ca = sum(shared_cover(s, shared, k) for s in na.segments.values())
    cb = sum(shared_cover(s, shared, k) for s in nb.segments.values())
    ta, tb = na.total, nb.total
    questions: dict[str, float | None] = {}
    for q in [*tpl.questions, OTHER]:
        sa, sb = na.segments.get(q), nb.segments.get(q)
        tot = (sa.total if sa else 0) + (sb.total if sb else 0)
        if tot == 0:
            questions[q] = None
            continue
        qs = np.intersect1d(sa.hashes, sb.hashes) if sa and sb else np.zeros(0, dtype=np.int64)
        questions[q] = (shared_cover(sa, qs, k) + shared_cover(sb, qs, k)) / tot if len(qs) else 0.0
    return Pair(a, b, (ca + cb) / (ta + tb) if ta + tb else 0.0, ca / ta if ta else 0.0, cb / tb if tb else 0.0,
                questions, shared)


def highlights(report: Report, pair: Pair) -> tuple[dict[str, list[tuple[int, int]]], dict[str, list[tuple[int, int]]]]:
    """Per section, the character ranges of each side's code that the other side shares."""
    k = report.settings.k
    na, nb = report.notebooks[pair.a], report.notebooks[pair.b]
    return ({q: shared_slices(s, pair.shared, k) for q, s in na.segments.items()},
            {q: shared_slices(s, pair.shared, k) for q, s in nb.segments.items()})


def submissions_from_files(files: list[Path]) -> list[tuple[str, str, bytes]]:
    """(student, file name, bytes) per file, with the student id rule of ``autograder grade``; a
    second file of the same student is kept as ``<id>__dup2`` (it is compared too: a student's own
    two files are expected to be similar, and the names say so)."""
    from autograder.batch import student_id

    taken: dict[str, int] = {}
    out = []
    for f in files:
        sid = student_id(f)
        taken[sid] = taken.get(sid, 0) + 1
        if taken[sid] > 1:
            sid = f"{sid}__dup{taken[sid]}"
        try:
            data = f.read_bytes()
        except OSError:
            data = b""  # listed as "empty file" among the notebooks that could not be read
        out.append((sid, f.name, data))
    return out
