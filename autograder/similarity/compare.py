"""Fingerprints and scores: normalised token streams, winnowing, shared code per pair.

- **Normalising.** Python's tokenizer (Pygments for code it rejects) splits the code; each token
  becomes one symbol: every name a student chooses (variables, functions, classes, parameters,
  modules and their aliases) is ``V``, every number ``N``, every string (docstrings and f-strings
  included) ``S``; comments and whitespace vanish. Keywords, operators, builtins and attribute
  names (``.exp``, ``.linalg``) keep their identity, since renaming a variable cannot change them.
  Each symbol remembers the original characters it came from, so matches can be highlighted in
  the student's own text.
- **Fingerprints.** Hashes of every ``k``-symbol window (a stable polynomial hash, so a report is
  the same on every run), reduced by copydetect's robust winnowing: any shared run of at least
  ``k + window - 1`` symbols is guaranteed to be caught. Fingerprints of the week's *common* code
  (every ``k``-gram of the released notebook, its helper and public test files and the reference
  solution) are dropped, and so are fingerprints that more than ``common_fraction`` of the batch
  share (at least ``common_min`` notebooks): code that most students write is no evidence.
- **Scores.** Each question's code is fingerprinted on its own (so moving cells or reordering
  questions changes nothing), and the notebook's fingerprints are their union. A pair's score is
  the share of both notebooks' fingerprinted code that the other one also has
  (``(shared_a + shared_b) / (total_a + total_b)``, between 0 and 1); the per-question score is
  the same, question against question. Ranking every pair exactly would be quadratic in Python,
  so a sparse product of the notebooks' fingerprint sets counts shared fingerprints for all pairs
  at once and the exact scores are computed for the ``max_pairs`` pairs that share the most.
"""

from __future__ import annotations

import builtins
import functools
import io
import keyword
import tokenize
import zlib
from dataclasses import dataclass, field

import numpy as np
from copydetect.utils import get_copied_slices, winnow
from pygments.lexers import PythonLexer
from pygments.token import Comment, Keyword, Name, Number, String, Text

_LEXER = PythonLexer()
_BASE = np.uint64(1_000_003)
_MASK = np.uint64((1 << 52) - 1)  # copydetect's pure-Python winnow compares hashes as floats


@dataclass(frozen=True)
class Settings:
    k: int = 12                   # symbols per k-gram (shorter runs are noise)
    window: int = 6               # winnowing window: runs of k + window - 1 symbols are always caught
    common_fraction: float = 0.2  # fingerprints in more than this share of the notebooks are common
    common_min: int = 5           # ... but only when at least this many notebooks have them
    max_pairs: int = 2000         # pairs scored exactly (those with the most shared fingerprints)


@dataclass
class Normalised:
    symbols: str          # one character per kept token
    starts: np.ndarray    # original start offset of each symbol's token
    ends: np.ndarray      # original end offset


@functools.lru_cache(maxsize=65536)
def _symbol(text: str) -> str:
    return chr(0x4E00 + zlib.crc32(text.encode("utf-8")) % 20000)


_BUILTINS = frozenset(dir(builtins))
_SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER,
         tokenize.ENCODING}


def normalise(code: str) -> Normalised:
    """One symbol per token (see the module docstring). Python's tokenizer first (fast); code it
    rejects (an unclosed bracket, a stray indent) goes through Pygments, which tokenises anything."""
    try:
        return _normalise_tokenize(code)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return _normalise_pygments(code)


class _Builder:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.prev = ""
        self.in_string = False

    def add(self, kind: str, text: str, start: int, end: int) -> None:
        """kind: 'name', 'string', 'number' or 'fixed' (keywords, operators, builtins)."""
        if kind == "string":
            if self.in_string:  # adjacent string pieces are one string
                self.ends[-1] = end
                return
            sym = "S"
        elif kind == "number":
            sym = "N"
        elif kind == "name":
            sym = _symbol(text) if self.prev == "." else "V"
        else:
            sym = _symbol(text)
        self.in_string = kind == "string"
        self.out.append(sym)
        self.starts.append(start)
        self.ends.append(end)
        self.prev = text

    def result(self) -> Normalised:
        return Normalised("".join(self.out), np.array(self.starts, dtype=np.int64),
                          np.array(self.ends, dtype=np.int64))


def _normalise_tokenize(code: str) -> Normalised:
    line_start = [0]
    for line in code.splitlines(keepends=True):
        line_start.append(line_start[-1] + len(line))
    b = _Builder()
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type in _SKIP or not tok.string.strip():
            continue
        start = line_start[tok.start[0] - 1] + tok.start[1]
        end = line_start[tok.end[0] - 1] + tok.end[1]
        if tok.type == tokenize.STRING:
            kind = "string"
        elif tok.type == tokenize.NUMBER:
            kind = "number"
        elif tok.type == tokenize.NAME and not keyword.iskeyword(tok.string) and tok.string not in _BUILTINS:
            kind = "name"
        else:
            kind = "fixed"
        b.add(kind, tok.string, start, end)
    return b.result()


def _normalise_pygments(code: str) -> Normalised:
    b = _Builder()
    for pos, ttype, text in _LEXER.get_tokens_unprocessed(code):
        if ttype in Text or ttype in Comment or not text.strip():
            continue
        if ttype in String:
            kind = "string"
        elif ttype in Number:
            kind = "number"
        elif ttype in Name and not (ttype in Name.Builtin or ttype in Name.Decorator or ttype in Name.Exception
                                    or ttype in Name.Namespace) and text not in _BUILTINS:
            kind = "name"
        else:
            kind = "fixed"
        b.add(kind, text, pos, pos + len(text))
    return b.result()


def in_sorted(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """np.isin for a sorted, unique right-hand side (binary search; np.isin re-sorts every call)."""
    if len(sorted_set) == 0 or len(values) == 0:
        return np.zeros(len(values), dtype=bool)
    idx = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[idx] == values


def kgram_hashes(symbols: str, k: int) -> np.ndarray:
    """Stable hash of every k-symbol window (uint64 polynomial, 52 bits kept)."""
    n = len(symbols) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    c = np.frombuffer(symbols.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _BASE + c[j:j + n] + np.uint64(1)
    return (h & _MASK).astype(np.int64)


@dataclass
class Segment:
    """One question's code of one notebook, fingerprinted."""

    code: str
    norm: Normalised
    hashes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))     # kept fingerprints
    positions: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # their symbol index
    total: int = 0  # symbols covered by kept fingerprints: the code that can count


def covered(positions: np.ndarray, k: int) -> int:
    """Symbols covered by k-grams starting at these positions."""
    if len(positions) == 0:
        return 0
    p = np.unique(positions)
    return int(np.minimum(np.diff(p), k).sum() + k)


def fingerprint(code: str, settings: Settings, boilerplate: np.ndarray) -> Segment:
    norm = normalise(code)
    hashes = kgram_hashes(norm.symbols, settings.k)
    if len(hashes) == 0:
        return Segment(code, norm)
    selected, idx = winnow(hashes, settings.window, remove_duplicates=False)
    keep = ~in_sorted(selected, boilerplate)
    seg = Segment(code, norm, selected[keep].astype(np.int64), idx[keep].astype(np.int64))
    seg.total = covered(seg.positions, settings.k)
    return seg


def common_hashes(sources: list[str], settings: Settings) -> np.ndarray:
    """Every k-gram hash of the common sources (not only the winnowed ones: all of it is common)."""
    parts = [kgram_hashes(normalise(code).symbols, settings.k) for code in sources]
    return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)


def drop(seg: Segment, excluded: np.ndarray, k: int) -> None:
    """Remove fingerprints found to be common across the batch."""
    if len(seg.hashes) and len(excluded):
        keep = ~in_sorted(seg.hashes, excluded)
        seg.hashes, seg.positions = seg.hashes[keep], seg.positions[keep]
        seg.total = covered(seg.positions, k)


def shared_cover(seg: Segment, shared: np.ndarray, k: int) -> int:
    if len(seg.hashes) == 0 or len(shared) == 0:
        return 0
    return covered(seg.positions[in_sorted(seg.hashes, shared)], k)


def shared_slices(seg: Segment, shared: np.ndarray, k: int) -> list[tuple[int, int]]:
    """Character ranges of the original code that the other notebook shares (merged, sorted)."""
    if len(seg.hashes) == 0 or len(shared) == 0:
        return []
    pos = seg.positions[in_sorted(seg.hashes, shared)]
    if len(pos) == 0:
        return []
    slices = get_copied_slices(pos, k)
    out: list[tuple[int, int]] = []
    for s, e in zip(slices[0], slices[1]):
        a, b = int(seg.norm.starts[int(s)]), int(seg.norm.ends[min(int(e), len(seg.norm.ends)) - 1])
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
