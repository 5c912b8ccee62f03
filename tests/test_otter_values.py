"""Unit checks (no sandbox) for Otter-course grading: values that cross by value, the grader's own
modules for module names, all-or-nothing scores, intercell seeding and failure lines."""

from __future__ import annotations

import collections
import socket
import types

import numpy as np
import pandas as pd
import pytest

from autograder.remote import Handle, Session, StandIn
from autograder.results import QuestionResult, TestResult, question_output
from autograder.runner import seed_cells
from autograder.sandbox import codec
from autograder.testfiles import TestCase, failure_detail, load_test_file, run_case


def roundtrip(value, kernel_side=False, from_handle=None):
    blobs: list[bytes] = []
    codec.KERNEL_SIDE = kernel_side
    try:
        tree = codec.encode(value, blobs, lambda o: {"t": "handle", "id": id(o) % 1000, "type": "x.Y"})
    finally:
        codec.KERNEL_SIDE = False
    a, b = socket.socketpair()
    codec.send_frame(a, {"v": tree}, blobs)
    header, got = codec.recv_frame(b)
    return codec.decode(header["v"], got, from_handle or (lambda t: ("H", t.get("t"))))


def test_pandas_objects_cross_by_value():
    df = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", None], "c": [0.5, np.nan, 2.5],
                       "d": pd.to_datetime(["2027-01-01", "2027-01-02", "2027-01-03"]),
                       "e": pd.Categorical(["u", "v", "u"])}, index=pd.Index([10, 20, 30], name="k"))
    got = roundtrip(df)
    assert type(got) is pd.DataFrame
    pd.testing.assert_frame_equal(got, df)
    s = df.set_index(["a", "b"])["c"].rename("s")
    pd.testing.assert_series_equal(roundtrip(s), s)
    assert (roundtrip(pd.Series([1, 2])) > 0).all()
    pd.testing.assert_index_equal(roundtrip(pd.RangeIndex(2, 10, 3, name="r")), pd.RangeIndex(2, 10, 3, name="r"))


def test_collections_cross_by_value():
    c = roundtrip(collections.Counter("abracadabra"))
    assert type(c) is collections.Counter and c == {"a": 5, "b": 2, "r": 2, "c": 1, "d": 1}
    assert c.most_common(1) == [("a", 5)]
    d = roundtrip(collections.defaultdict(list, {"k": [1]}))
    assert type(d) is collections.defaultdict and d["new"] == [] and d["k"] == [1]
    q = roundtrip(collections.deque([1, 2, 3], maxlen=5))
    assert type(q) is collections.deque and q.maxlen == 5 and list(q) == [1, 2, 3]
    # A student-defined factory stays in the sandbox.
    assert roundtrip(collections.defaultdict(lambda: 7))[0] == "H"


@pytest.mark.parametrize("tree", [
    {"t": "defaultdict", "v": [], "factory": "eval"},
    {"t": "pandas", "kind": "series", "col": {"dtype": "object; import os", "data": {"t": "list", "v": []}},
     "index": {"kind": "range", "start": 0, "stop": 0, "step": 1, "name": None}},
    {"t": "pandas", "kind": "series", "col": {"dtype": "int64", "data": {"t": "list", "v": [1, 2]}},
     "index": {"kind": "range", "start": 0, "stop": 5, "step": 1, "name": None}},
    {"t": "pandas", "kind": "frame", "cols": [], "index": {"kind": "range", "start": 0, "stop": 1, "step": 0}},
    {"t": "instance", "cls": "P", "attrs": [], "ref": {"t": "ref", "id": 1}},
    {"t": "instance", "cls": "P" * 500, "attrs": [], "ref": {"t": "handle", "id": 1, "type": "a"}},
])
def test_malformed_new_values_are_rejected(tree):
    with pytest.raises(codec.ProtocolError):
        codec.decode(tree, [], lambda t: "H")


class FakeSession:
    """Session's stand-in machinery without a kernel: requests answer from a table."""

    def __init__(self):
        self.epoch = 0
        self._standins = {}
        self.requests = []

    def request(self, op, **kw):
        self.requests.append(op)
        return {"x": 1, "y": 2}

    _standin_type = Session._standin_type
    _make_handle = Session._make_handle


def test_student_objects_become_trusted_stand_ins():
    """Kernel-side encoding of a notebook class and instance; trusted-side stand-ins."""
    ns: dict = {"__name__": "__main__"}
    exec("class Point:\n    def __init__(self, x, y):\n        self.x, self.y = x, y\n", ns)
    s = FakeSession()

    def from_handle(tree):
        if tree.get("t") == "handle":
            return Handle(s, 1, tree["type"], True)
        return Session._make_handle(s, tree)

    originals = [ns["Point"](1, 2), ns["Point"](1, 3), ns["Point"](1, 2)]  # alive, as the kernel's handles keep them
    P = roundtrip(ns["Point"], kernel_side=True, from_handle=from_handle)
    p, q, p2 = (roundtrip(o, kernel_side=True, from_handle=from_handle) for o in originals)
    assert isinstance(p, P) and isinstance(p, StandIn) and P.__name__ == "Point"
    assert p.x == 1 and p.y == 2 and repr(p) == "Point(x=1, y=2)"
    assert p != q and p != p2  # no __eq__: identity, as in Python
    assert p == roundtrip(originals[0], kernel_side=True, from_handle=from_handle)  # the same object
    assert not s.requests  # attributes came with the value
    s.epoch += 1  # a call into student code happened: the state is re-read
    assert p.y == 2 and s.requests == ["getattr"]
    with pytest.raises(TypeError):
        p.x = 5
    exec("from dataclasses import dataclass\n@dataclass\nclass D:\n    x: int\n", ns)
    d1, d2, d3 = (roundtrip(ns["D"](v), kernel_side=True, from_handle=from_handle) for v in (1, 1, 2))
    assert d1 == d2 and d1 != d3  # a dataclass compares by value
    # Not a stand-in on the trusted side's own encoding (the flag is kernel-only).
    assert roundtrip(ns["Point"](1, 2))[0] == "H"


def test_module_names_are_the_graders_modules():
    forged = types.SimpleNamespace(allclose=lambda *a, **k: True)
    case = TestCase(name="q8 - 2", points=1, hidden=True, params=["np", "z"],
                    func=lambda np, z: (_ for _ in ()).throw(AssertionError()) if not np.allclose(z, [1.0]) else None)
    fetch = {"np": forged, "z": [0.0]}.__getitem__
    with pytest.raises(AssertionError):
        run_case(case, fetch, {"np", "z"})
    doc = TestCase(name="d", points=1, hidden=True, doctest=">>> np.allclose(z, [1.0])\nTrue\n")
    assert run_case(doc, fetch, {"np", "z"})[0] is False


def test_all_or_nothing_scores_zero_unless_every_test_passes():
    q = QuestionResult("q6", 4, all_or_nothing=True,
                       tests=[TestResult("a", False, 2, True), TestResult("b", True, 2, False)])
    assert q.score == 0 and q.part(hidden=False) == (0, 2)
    assert "all-or-nothing" in question_output(q, "en") and "ya hep ya hiç" in question_output(q)
    q.tests[1].passed = True
    assert q.score == 4


def test_seed_cells_follow_otter():
    cells = ["x = 1", "%%time\ny = 2", "   "]
    assert seed_cells(cells, {}) == cells
    assert seed_cells(cells, {"seed": 42, "seed_variable": "rng_seed"})[0] == "rng_seed = 42\nx = 1"
    seeded = seed_cells(cells, {"seed": 3, "seed_variable": None})
    assert "random.seed(3)" in seeded[0] and seeded[1] == cells[1] and seeded[2] == cells[2]


def test_failure_detail_names_the_line_and_values(tmp_path):
    p = tmp_path / "q3.py"
    p.write_text("from otter.test_files import test_case\n\nname = 'q3'\n\n@test_case()\n"
                 "def test_public(nine, square):\n    assert nine == 9\n")
    tf = load_test_file(p)
    case = tf.cases[0]
    try:
        run_case(case, {"nine": 8}.__getitem__, {"nine"})
    except AssertionError as e:
        text = failure_detail(case, e, "en")
    assert text.splitlines()[0] == "Error at line 7 in test q3:"
    assert "assert nine == 9" in text and "nine = 8" in text


def test_master_errors_name_the_cell_and_the_key():
    import nbformat

    from autograder.build import BuildError, assignment_config, parse_questions

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("```otter\n# ASSIGNMENT CONFIG\nname: hw\n```"),
        nbformat.v4.new_markdown_cell("```otter\n# BEGIN QUESTION\nname: q1\n```"),
        nbformat.v4.new_raw_cell("# BEGIN QUESTION\nname: q2\npoints: 3")])
    assert assignment_config(nb) == (0, {"name": "hw"})
    assert [(q.name, q.points) for q in parse_questions(nb)] == [("q1", None), ("q2", 3.0)]
    nb.cells[2].source = "# BEGIN QUESTION\npoints: [1, x"
    with pytest.raises(BuildError, match=r"master cell 3 \(# BEGIN QUESTION\): not valid YAML"):
        parse_questions(nb)
    nb.cells[2].source = "# BEGIN QUESTION\npoints: 2"
    with pytest.raises(BuildError, match=r"master cell 3 \(# BEGIN QUESTION\): key 'name' is missing"):
        parse_questions(nb)
    nb.cells[2].source = "# BEGIN QUESTION\nname: q2\npoints: lots"
    with pytest.raises(BuildError, match="key 'points' must be a number"):
        parse_questions(nb)
