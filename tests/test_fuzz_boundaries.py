"""Property-based tests (Hypothesis) of the two boundaries that take a student's bytes: the channel
codec (what the kernel sends back) and the notebook reader (the submitted file).

Valid values round-trip; mutated frames and notebooks only ever give the boundary's own error
(``ProtocolError`` / a closed channel, ``InvalidNotebook``), never another exception. Example counts
are bounded so the suite stays within its time (CI derandomises: the same examples every run).
"""

from __future__ import annotations

import json
import math
import shutil
import struct

import nbformat
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.notebook import InvalidNotebook, read_notebook
from autograder.sandbox import codec

FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


class _Bytes:
    """A socket that yields a fixed byte string."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def recv(self, n: int) -> bytes:
        chunk = self.data[self.pos:self.pos + n]
        self.pos += len(chunk)
        return chunk


def _frame(header, blobs) -> bytes:
    head = json.dumps(header, separators=(",", ":"), allow_nan=False).encode()
    out = struct.pack("<II", len(head), len(blobs)) + head
    return out + b"".join(struct.pack("<Q", len(b)) + b for b in blobs)


def _no_handles(obj):
    raise AssertionError(f"plain value sent as a handle: {type(obj)}")


def _roundtrip(value):
    blobs: list[bytes] = []
    tree = codec.encode(value, blobs, _no_handles)
    header, got_blobs = codec.recv_frame(_Bytes(_frame({"ok": True, "value": tree}, blobs)))
    return codec.decode(header["value"], got_blobs, lambda t: pytest.fail("unexpected handle"))


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape and \
            np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    if isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor) and _same(a.numpy(), b.numpy())
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return type(b) is dict and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


_dtypes = st.sampled_from(["bool", "int8", "int32", "int64", "uint8", "uint64", "float16", "float32", "float64",
                           "complex128"])
_arrays = _dtypes.flatmap(lambda d: hnp.arrays(np.dtype(d), hnp.array_shapes(min_dims=0, max_dims=3, max_side=5)))
_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
                     st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20), st.binary(max_size=20),
                     st.complex_numbers(allow_nan=False, allow_infinity=False))
_keys = st.one_of(st.text(max_size=8), st.integers(-1000, 1000), st.booleans())
_values = st.recursive(
    st.one_of(_scalars, _arrays, _arrays.map(lambda a: torch.from_numpy(a.copy()) if a.dtype.name != "uint64" else a)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.lists(inner, max_size=4).map(tuple),
                            st.dictionaries(_keys, inner, max_size=4)),
    max_leaves=12)


@FUZZ
@given(_values)
def test_plain_values_round_trip_through_the_codec(value):
    assert _same(value, _roundtrip(value))


def _valid_frame() -> bytes:
    blobs: list[bytes] = []
    tree = codec.encode({"x": np.arange(6, dtype=np.float32).reshape(2, 3), "y": [1, 2.5, "üç", (None, True)],
                         "z": torch.ones(2, 2)}, blobs, _no_handles)
    return _frame({"ok": True, "value": tree}, blobs)


_mutations = st.lists(st.tuples(st.sampled_from(["flip", "cut", "insert", "delete"]),
                                st.integers(min_value=0, max_value=10_000), st.binary(min_size=1, max_size=8)),
                      min_size=1, max_size=4)


def _mutate(data: bytes, ops) -> bytes:
    buf = bytearray(data)
    for op, pos, junk in ops:
        if not buf:
            break
        i = pos % len(buf)
        if op == "flip":
            buf[i] ^= junk[0] or 1
        elif op == "cut":
            del buf[i:]
        elif op == "insert":
            buf[i:i] = junk
        else:
            del buf[i:i + len(junk)]
    return bytes(buf)


@FUZZ
@given(_mutations)
def test_mutated_frames_give_only_protocol_errors(ops):
    data = _mutate(_valid_frame(), ops)
    try:
        header, blobs = codec.recv_frame(_Bytes(data))
        if isinstance(header, dict):
            codec.decode(header.get("value"), blobs, lambda t: None)
    except (codec.ProtocolError, EOFError):
        pass  # EOFError: the frame was cut short (the grader treats it as a dead kernel)


_json = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-2**64, 2**64), st.floats(allow_nan=False),
                               st.text(max_size=10),
                               st.sampled_from(["ndarray", "tensor", "npscalar", "dict", "list", "set", "bigint",
                                                "float", "complex", "bytes", "tdtype", "handle", "ref"])),
                     lambda inner: st.one_of(st.lists(inner, max_size=4),
                                             st.dictionaries(st.sampled_from(["t", "v", "i", "dtype", "shape", "re",
                                                                              "im", "id", "type"]), inner, max_size=5)),
                     max_leaves=15)


@FUZZ
@given(_json, st.lists(st.binary(max_size=64), max_size=3))
def test_forged_value_trees_give_values_or_protocol_errors(tree, blobs):
    try:
        codec.decode(tree, blobs, lambda t: None)
    except codec.ProtocolError:
        pass


@pytest.mark.parametrize("shape", [[0, 2**62, 2**62], [0, 2**40, 2**40], [2**41], [-1]])
def test_arrays_whose_shape_cannot_exist_are_refused(shape):
    header = {"ok": True, "value": {"t": "ndarray", "dtype": "float64", "shape": shape, "i": 0}}
    h, blobs = codec.recv_frame(_Bytes(_frame(header, [b""])))
    with pytest.raises(codec.ProtocolError):
        codec.decode(h["value"], blobs, lambda t: None)


@pytest.mark.parametrize("head", [b"[" * 100_000, b'{"a":' * 5000 + b"1" + b"}" * 5000])
def test_deep_headers_are_refused_before_parsing(head):
    with pytest.raises(codec.ProtocolError, match="nested deeper"):
        codec.recv_frame(_Bytes(struct.pack("<II", len(head), 0) + head))


def test_oversized_headers_are_refused_before_reading():
    with pytest.raises(codec.ProtocolError, match="too large"):
        codec.recv_frame(_Bytes(struct.pack("<II", codec.MAX_HEADER_BYTES + 1, 0)))


# --------------------------------------------------------------------------- notebooks

def _notebook_bytes() -> bytes:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Başlık"),
                                         nbformat.v4.new_code_cell("x = 1\nprint(x)"),
                                         nbformat.v4.new_code_cell("def f(a):\n    return a * 2")])
    return nbformat.writes(nb).encode()


def test_code_cells_keep_their_position_in_the_notebook(tmp_path):
    p = tmp_path / "nb.ipynb"
    p.write_bytes(_notebook_bytes())
    nb = read_notebook(p)
    assert [c.position for c in nb.cells] == [2, 3]
    assert nb.cells[1].first_line == "def f(a):"


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(_mutations)
def test_mutated_notebooks_give_only_invalid_notebook(tmp_path_factory, ops):
    p = tmp_path_factory.mktemp("nbfuzz") / "nb.ipynb"
    p.write_bytes(_mutate(_notebook_bytes(), ops))
    try:
        read_notebook(p)
    except InvalidNotebook:
        pass


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(_json)
def test_arbitrary_json_gives_a_notebook_or_invalid_notebook(tmp_path_factory, tree):
    p = tmp_path_factory.mktemp("nbjson") / "nb.ipynb"
    p.write_text(json.dumps(tree))
    try:
        read_notebook(p)
    except InvalidNotebook:
        pass


@pytest.mark.parametrize("limit,make,reason", [
    ("bytes", lambda: b" " * (2 * 1024 * 1024), "MB limit"),
    ("cells", lambda: json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                                  "cells": [{"cell_type": "raw", "source": "", "metadata": {}}] * 50}).encode(),
     "over the limit of 20"),
])
def test_limits_are_checked_before_parsing(tmp_path, limit, make, reason):
    p = tmp_path / "nb.ipynb"
    p.write_bytes(make())
    with pytest.raises(InvalidNotebook, match=reason):
        read_notebook(p, max_bytes=1024 * 1024, max_cells=20)


@pytest.mark.slow
@settings(max_examples=1, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(_mutations, min_size=6, max_size=6))
def test_a_batch_of_generated_hostile_notebooks_grades_the_correct_one_in_full(toy, tmp_path_factory, mutations):
    from autograder.batch import grade_batch

    course, build = toy
    d = tmp_path_factory.mktemp("fuzzbatch")
    sol = build.solution_notebook.read_bytes()
    for i, ops in enumerate(mutations):
        (d / f"hostile{i}.ipynb").write_bytes(_mutate(sol, ops))
    (d / "deep.ipynb").write_bytes(b"[" * 50_000)
    shutil.copy2(build.solution_notebook, d / "zz_correct.ipynb")
    out = d / "out"
    grade_batch(course, course.week("week01"), sorted(d.glob("*.ipynb")), out, jobs=1)
    rows = {r["student"]: r for r in __import__("autograder.results", fromlist=["x"]).load_results(out)}
    assert len(rows) == 8
    assert rows["zz_correct"]["status"] == "ok" and rows["zz_correct"]["score"] == 6.0
