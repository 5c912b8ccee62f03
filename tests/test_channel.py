"""The channel: strict decoding of untrusted replies, and handles that cannot impersonate data."""

from __future__ import annotations

import socket

import numpy as np
import pytest
import torch

from autograder.remote import Handle
from autograder.sandbox import codec


def roundtrip(value):
    blobs: list[bytes] = []
    tree = codec.encode(value, blobs, lambda o: {"t": "handle", "id": 1, "type": type(o).__qualname__})
    a, b = socket.socketpair()
    codec.send_frame(a, {"v": tree}, blobs)
    header, got = codec.recv_frame(b)
    return codec.decode(header["v"], got, lambda t: ("H", t["type"]))


@pytest.mark.parametrize("value", [
    None, True, 3, -2**70, 1.5, float("inf"), "şğü", b"\x00\x01", (1, [2, {"a": 3}]), {1, 2}, Ellipsis, 2 + 3j,
])
def test_plain_values_roundtrip(value):
    assert roundtrip(value) == value


def test_arrays_and_tensors_cross_by_value():
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    got = roundtrip({"a": a, "t": torch.ones(2, 3, requires_grad=True) * 2, "s": np.float64(2.5),
                     "p": torch.nn.Parameter(torch.zeros(2)), "bf": torch.ones(2, dtype=torch.bfloat16)})
    assert isinstance(got["a"], np.ndarray) and got["a"].dtype == np.float32 and (got["a"] == a).all()
    assert isinstance(got["t"], torch.Tensor) and type(got["t"]) is torch.Tensor and got["t"].sum() == 12
    assert got["s"] == 2.5 and isinstance(got["s"], np.float64)
    assert type(got["p"]) is torch.Tensor
    assert got["bf"].dtype == torch.float32


def test_objects_become_handles():
    class Evil(int):
        def __eq__(self, other):
            return True
    assert roundtrip(Evil(3)) == ("H", "test_objects_become_handles.<locals>.Evil")
    assert roundtrip(np.array([object()], dtype=object))[0] == "H"


@pytest.mark.parametrize("tree,blobs", [
    ({"t": "ndarray", "dtype": "object", "shape": [1], "i": 0}, [b"x" * 8]),
    ({"t": "ndarray", "dtype": "float64", "shape": [3], "i": 0}, [b"x" * 8]),
    ({"t": "ndarray", "dtype": "float64", "shape": [-1], "i": 0}, [b""]),
    ({"t": "ndarray", "dtype": "float64", "shape": [1], "i": 5}, []),
    ({"t": "pickle", "v": "gASV"}, []),
    ({"t": "dict", "v": [[{"t": "list", "v": []}, 1]]}, []),
    ({"t": "float", "v": "1e400"}, []),
    (["raw", "json", "list"], []),
])
def test_malformed_values_are_rejected(tree, blobs):
    with pytest.raises(codec.ProtocolError):
        codec.decode(tree, blobs, lambda t: None)


def test_frame_size_limit():
    a, b = socket.socketpair()
    codec.send_frame(a, {"x": 1}, [b"y" * 1000])
    with pytest.raises(codec.ProtocolError):
        codec.recv_frame(b, max_bytes=100)


class FakeSession:
    def request(self, op, **kw):
        raise AssertionError("must not be called")


def test_handles_refuse_to_act_as_data():
    h = Handle(FakeSession(), 1, "mod.Yes", False)
    with pytest.raises(TypeError):
        bool(h)
    assert (h == h) and not (h == 1) and h != 1
    with pytest.raises(TypeError):
        np.asarray(h, dtype=float)
    with pytest.raises(TypeError):
        float(h)
    with pytest.raises(TypeError):
        h + 1
    with pytest.raises(TypeError):
        h.x = 1
    assert "mod.Yes" in repr(h)
