"""Read a submitted notebook safely: the grader's first contact with a file a student controls.

Contract: ``read_notebook(path, max_bytes, max_cells)`` returns the code cells (source, position in
the notebook as the student sees it, first line) and the file's sha256, or raises
``InvalidNotebook`` with an accurate, operator-facing reason. Nothing else escapes: every limit is
checked before the expensive step it protects (size before reading, nesting depth before
``json.loads``, cell count before nbformat's conversion and validation), and no step recurses
without a bound. Older notebook formats (nbformat 3 and earlier) are upgraded with nbformat.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.sandbox.codec import json_depth

MAX_JSON_DEPTH = 100  # a v4 notebook nests ~8 deep; rich outputs (application/json) a little more


class InvalidNotebook(Exception):
    """The file is not a notebook this grader can read; the message says why."""


@dataclass(frozen=True)
class CodeCell:
    source: str
    position: int  # 1-based index among all cells (markdown included): the cell the student sees

    @property
    def first_line(self) -> str:
        return next((ln.strip() for ln in self.source.splitlines() if ln.strip()), "")[:80]


@dataclass(frozen=True)
class Notebook:
    cells: list[CodeCell]
    sha256: str

    @property
    def sources(self) -> list[str]:
        return [c.source for c in self.cells]


def read_notebook(path: Path, max_bytes: int = 5 * 1024 * 1024, max_cells: int = 5000) -> Notebook:
    if path.suffix != ".ipynb":
        raise InvalidNotebook(f"not a .ipynb file ({path.name})")
    size = path.stat().st_size
    if size > max_bytes:
        raise InvalidNotebook(f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB limit")
    data = path.read_bytes()[: max_bytes + 1]  # the file may grow between stat and read
    if len(data) > max_bytes:
        raise InvalidNotebook(f"file is over the {max_bytes / 1e6:g} MB limit")
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InvalidNotebook("empty file")
    depth = json_depth(data)
    if depth > MAX_JSON_DEPTH:
        raise InvalidNotebook(f"JSON nested {depth} levels deep (a notebook needs fewer than {MAX_JSON_DEPTH})")
    try:
        text = data.decode("utf-8")
        raw = json.loads(text)
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        raise InvalidNotebook(f"not valid JSON: {str(e)[:120]}") from None
    version = _version(raw)
    n = _count_cells(raw, version)
    if n > max_cells:
        raise InvalidNotebook(f"{n} cells, over the limit of {max_cells}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # duplicate cell ids and the like are the student's, not ours
            if "nbformat" not in raw:
                raw = {**raw, "nbformat": 4, "nbformat_minor": 4, "metadata": raw.get("metadata", {})}
            nb = nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as e:  # noqa: BLE001 - nbformat raises a zoo of types for malformed notebooks
        raise InvalidNotebook(f"nbformat {version} notebook that nbformat cannot read: {str(e)[:120]}") from None
    cells = []
    for i, c in enumerate(nb.cells):
        if c.get("cell_type") == "code":
            src = c.get("source", "")
            cells.append(CodeCell("".join(src) if isinstance(src, list) else str(src), i + 1))
    return Notebook(cells, digest)


def _version(raw: object) -> int:
    if not isinstance(raw, dict):
        raise InvalidNotebook(f"JSON is not a Jupyter notebook (top level is a {type(raw).__name__}, not an object)")
    v = raw.get("nbformat")
    if v is None:
        if isinstance(raw.get("cells"), list):
            return 4  # some tools drop the version; the cells say what it is
        raise InvalidNotebook("JSON is not a Jupyter notebook (no 'nbformat' version and no 'cells' list)")
    if type(v) is not int or not 1 <= v <= 4:
        raise InvalidNotebook(f"unsupported notebook format version {v!r} (this grader reads nbformat 1-4)")
    return v


def _count_cells(raw: dict, version: int) -> int:
    if version >= 4:
        cells = raw.get("cells")
        if not isinstance(cells, list):
            raise InvalidNotebook("nbformat 4 notebook without a 'cells' list")
        return len(cells)
    sheets = raw.get("worksheets", [])
    if not isinstance(sheets, list):
        raise InvalidNotebook(f"nbformat {version} notebook whose 'worksheets' is not a list")
    return sum(len(ws.get("cells", [])) for ws in sheets if isinstance(ws, dict) and isinstance(ws.get("cells"), list))
