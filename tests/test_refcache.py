"""The reference-result cache (autograder/refcache.py): stored only while the build grades its
own solution, read-only when grading; keyed by build, function, argument values and random
state; copies out; anything that is not plain data bypasses it."""

from __future__ import annotations

import random
import types

import numpy as np
import pytest
import torch

from autograder import refcache


def _seed(n: int) -> None:
    np.random.seed(n)
    torch.manual_seed(n)


def _module(calls: list) -> types.ModuleType:
    m = types.ModuleType("_ag_build_test.solutions.weekXX")

    def reference(x, scale=1.0):  # noqa: ANN001, ANN202
        calls.append("reference")
        return {"y": np.asarray(x) * scale + np.random.randn(3), "t": torch.randn(2)}

    def mutate(a):  # noqa: ANN001, ANN202
        calls.append("mutate")
        a += 1
        return float(a.sum())

    def model(seed):  # noqa: ANN001, ANN202
        calls.append("model")
        torch.manual_seed(seed)
        return torch.nn.Linear(2, 1)

    for f in (reference, mutate, model):
        f.__module__ = m.__name__
        setattr(m, f.__name__, f)
    m._private = reference
    return m


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    monkeypatch.setattr(refcache, "_memory", {})
    monkeypatch.delenv("AUTOGRADER_REFCACHE", raising=False)
    calls: list = []
    m = _module(calls)
    refcache.wrap_module(m, "build-A", tmp_path / "refcache")
    return m, calls, tmp_path / "refcache"


def test_recorded_at_build_then_hit_with_the_same_random_stream(fresh):
    m, calls, folder = fresh
    _seed(0)
    first = refcache.recording(m.reference, [1.0, 2.0, 3.0], scale=2.0)
    after_first = (np.random.rand(), torch.rand(1).item())
    assert calls == ["reference"] and len(list(folder.glob("*.pkl"))) == 1
    _seed(0)
    again = m.reference([1.0, 2.0, 3.0], scale=2.0)  # grading: a hit
    assert calls == ["reference"]
    np.testing.assert_array_equal(again["y"], first["y"])
    assert torch.equal(again["t"], first["t"])
    assert (np.random.rand(), torch.rand(1).item()) == after_first  # the random state moved on as if called


def test_every_hit_is_a_fresh_copy(fresh):
    m, calls, _ = fresh
    _seed(1)
    refcache.recording(m.reference, [1.0, 2.0, 3.0])
    _seed(1)
    a = m.reference([1.0, 2.0, 3.0])
    a["y"][:] = 99
    _seed(1)
    b = m.reference([1.0, 2.0, 3.0])
    assert not np.any(b["y"] == 99) and calls == ["reference"]


def test_grading_never_stores(fresh):
    m, calls, folder = fresh
    _seed(2)
    m.reference([5.0, 6.0, 7.0])  # e.g. a student's output passed to the reference: computed, not kept
    _seed(2)
    m.reference([5.0, 6.0, 7.0])
    assert calls == ["reference", "reference"] and not folder.exists()


def test_key_includes_values_random_state_and_build(fresh, tmp_path):
    m, calls, folder = fresh
    _seed(3)
    refcache.recording(m.reference, [1.0, 2.0, 3.0])
    _seed(3)
    m.reference([1.0, 2.0, 3.5])  # other values
    _seed(4)
    m.reference([1.0, 2.0, 3.0])  # other random state
    assert calls == ["reference"] * 3
    other: list = []
    rebuilt = _module(other)
    refcache.wrap_module(rebuilt, "build-B", folder)  # a rebuild: same folder, other digest
    _seed(3)
    rebuilt.reference([1.0, 2.0, 3.0])
    assert other == ["reference"]


def test_not_plain_data_and_mutation_bypass(fresh):
    m, calls, folder = fresh
    a = np.zeros(3)
    assert refcache.recording(m.mutate, a) == 3.0 and refcache.recording(m.mutate, a) == 6.0  # never cached
    lin = refcache.recording(m.model, 0)
    assert isinstance(lin, torch.nn.Linear)
    refcache.recording(m.model, 0)  # the result is not plain data: not stored
    obj = object()
    with pytest.raises(TypeError):
        refcache.recording(m.reference, obj)  # an argument that is not plain data: the real call
    assert calls == ["mutate", "mutate", "model", "model", "reference"]
    assert not folder.exists()
    assert m._private.__name__ == "reference" and not hasattr(m._private, "__wrapped_reference__")


def test_off_switch(fresh, monkeypatch):
    m, calls, _ = fresh
    random.seed(0)
    monkeypatch.setenv("AUTOGRADER_REFCACHE", "0")
    refcache.recording(m.reference, [1.0])
    refcache.recording(m.reference, [1.0])
    assert calls == ["reference", "reference"]
