"""Wire format of the channel between the trusted grader and the sandboxed kernel.

A message is one frame: ``<u32 header length><u32 blob count><header JSON>`` followed by each blob
as ``<u64 length><bytes>``. Values inside the header are tagged JSON objects; array data travels in
blobs. There is no pickle anywhere: the trusted side decodes only the types below, checks every
field, and turns anything else into an opaque handle. This file runs on both sides (it is copied
into the sandbox next to the worker), so it imports only the standard library; numpy and torch
are imported lazily.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import struct
from typing import Any, Callable

MAX_DEPTH = 64
MAX_NODES = 2_000_000
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
MAX_HEADER_BYTES = 64 * 1024 * 1024  # array data travels in blobs; a header is tags, numbers and text
MAX_HEADER_DEPTH = 2 * MAX_DEPTH + 8  # each value level is two JSON levels ({"t":…, "v": [...]})
MAX_DIM = 2 ** 40  # per axis; the total is bounded by the blob's length

# numpy dtype strings that may cross; everything is sent little-endian.
NUMERIC_DTYPES = {
    "bool": "|b1", "int8": "|i1", "int16": "<i2", "int32": "<i4", "int64": "<i8",
    "uint8": "|u1", "uint16": "<u2", "uint32": "<u4", "uint64": "<u8",
    "float16": "<f2", "float32": "<f4", "float64": "<f8",
    "complex64": "<c8", "complex128": "<c16",
}


class ProtocolError(Exception):
    """The peer sent something that is not a well-formed message."""


# --------------------------------------------------------------------------- framing

def _recv_exact(sock, n: int) -> bytes:
    chunks, got = [], 0
    while got < n:
        chunk = sock.recv(min(n - got, 1 << 20))
        if not chunk:
            raise EOFError("channel closed")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def send_frame(sock, header: Any, blobs: list[bytes]) -> None:
    head = json.dumps(header, separators=(",", ":"), allow_nan=False).encode()
    parts = [struct.pack("<II", len(head), len(blobs)), head]
    for b in blobs:
        parts.append(struct.pack("<Q", len(b)))
        parts.append(b)
    sock.sendall(b"".join(parts))


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")
_STEP = {0x5B: 1, 0x7B: 1, 0x5D: -1, 0x7D: -1}


def json_depth(data: bytes) -> int:
    """The deepest nesting of ``[``/``{`` in JSON text, strings skipped; without recursion, so a
    hostile text cannot exhaust the stack before it is refused. (An unterminated string counts
    its brackets: that can only overestimate, and such text is not JSON anyway.)"""
    brackets = _JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    return max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0)


def recv_frame(sock, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Any, list[bytes]]:
    head_len, n_blobs = struct.unpack("<II", _recv_exact(sock, 8))
    if head_len > min(max_bytes, MAX_HEADER_BYTES) or n_blobs > MAX_NODES:
        raise ProtocolError("message too large")
    total = head_len
    raw = _recv_exact(sock, head_len)
    if json_depth(raw) > MAX_HEADER_DEPTH:
        raise ProtocolError(f"header nested deeper than {MAX_HEADER_DEPTH} levels")
    try:
        header = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        raise ProtocolError(f"bad header: {str(e)[:200]}") from None
    blobs = []
    for _ in range(n_blobs):
        (blen,) = struct.unpack("<Q", _recv_exact(sock, 8))
        total += blen
        if total > max_bytes:
            raise ProtocolError(f"message larger than {max_bytes} bytes")
        blobs.append(_recv_exact(sock, blen))
    return header, blobs


# --------------------------------------------------------------------------- encoding

def _float(x: float) -> Any:
    if math.isfinite(x):
        return x
    return {"t": "float", "v": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}


def encode(obj: Any, blobs: list[bytes], to_handle: Callable[[Any], Any], depth: int = 0) -> Any:
    """Encode ``obj``; anything that is not plain data goes through ``to_handle``."""
    if depth > MAX_DEPTH:
        return to_handle(obj)
    t = type(obj)
    if obj is None or t is bool or t is str:
        return obj
    if t is int:
        return obj if abs(obj) < 2**63 else {"t": "bigint", "v": str(obj)}
    if t is float:
        return _float(obj)
    if t is complex:
        return {"t": "complex", "re": _float(obj.real), "im": _float(obj.imag)}
    if t is bytes or t is bytearray:
        blobs.append(bytes(obj))
        return {"t": "bytes", "i": len(blobs) - 1}
    if obj is Ellipsis:
        return {"t": "ellipsis"}
    if t is list or t is tuple:
        return {"t": t.__name__, "v": [encode(v, blobs, to_handle, depth + 1) for v in obj]}
    if t is set or t is frozenset:
        return {"t": "set", "v": [encode(v, blobs, to_handle, depth + 1) for v in obj]}
    if t is dict or _is_plain_mapping(t):
        return {"t": "dict", "v": [[encode(k, blobs, to_handle, depth + 1), encode(v, blobs, to_handle, depth + 1)]
                                   for k, v in obj.items()]}
    enc = _encode_array(obj, blobs)
    if enc is not None:
        return enc
    return to_handle(obj)


def _is_plain_mapping(t: type) -> bool:
    return t.__module__ == "collections" and t.__name__ == "OrderedDict"


def _encode_array(obj: Any, blobs: list[bytes]) -> Any:
    mod = type(obj).__module__
    if mod == "numpy" or mod.startswith("numpy."):
        import numpy as np

        if isinstance(obj, np.ndarray) or isinstance(obj, np.generic):
            arr = np.asarray(obj)
            name = arr.dtype.name
            if name not in NUMERIC_DTYPES:
                return None
            data = np.ascontiguousarray(arr, dtype=NUMERIC_DTYPES[name])
            blobs.append(data.tobytes())
            kind = "ndarray" if isinstance(obj, np.ndarray) else "npscalar"
            return {"t": kind, "dtype": name, "shape": list(arr.shape), "i": len(blobs) - 1}
        return None
    if mod.startswith("torch"):
        import torch

        if isinstance(obj, torch.Tensor):
            t = obj.detach()
            if t.is_sparse or t.layout != torch.strided:
                t = t.to_dense()
            t = t.cpu()
            if t.dtype == torch.bfloat16:
                t = t.float()
            arr = t.contiguous().numpy()
            name = arr.dtype.name
            if name not in NUMERIC_DTYPES:
                return None
            blobs.append(arr.astype(NUMERIC_DTYPES[name], copy=False).tobytes())
            return {"t": "tensor", "dtype": name, "shape": list(arr.shape), "i": len(blobs) - 1}
        if isinstance(obj, torch.dtype):
            return {"t": "tdtype", "v": str(obj).removeprefix("torch.")}
        if isinstance(obj, torch.Size):
            return {"t": "tuple", "v": [int(v) for v in obj]}
    return None


# --------------------------------------------------------------------------- decoding

class _Budget:
    def __init__(self) -> None:
        self.nodes = 0

    def tick(self) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ProtocolError("too many values in one message")


def _want(cond: bool, what: str) -> None:
    if not cond:
        raise ProtocolError(what)


def decode(tree: Any, blobs: list[bytes], from_handle: Callable[[dict], Any],
           depth: int = 0, budget: _Budget | None = None) -> Any:
    """Strictly decode a tagged value. Unknown tags or inconsistent fields raise ProtocolError."""
    budget = budget or _Budget()
    budget.tick()
    _want(depth <= MAX_DEPTH + 1, "nesting too deep")
    if tree is None or type(tree) in (bool, str):
        return tree
    if type(tree) is int:
        return tree
    if type(tree) is float:
        return tree
    _want(type(tree) is dict and type(tree.get("t")) is str, "malformed value")
    tag = tree["t"]
    if tag in ("list", "tuple", "set"):
        items = tree.get("v")
        _want(type(items) is list, "malformed sequence")
        vals = [decode(v, blobs, from_handle, depth + 1, budget) for v in items]
        if tag == "list":
            return vals
        if tag == "tuple":
            return tuple(vals)
        try:
            return set(vals)
        except TypeError:
            raise ProtocolError("unhashable set element") from None
    if tag == "dict":
        items = tree.get("v")
        _want(type(items) is list and all(type(p) is list and len(p) == 2 for p in items), "malformed dict")
        out = {}
        for k, v in items:
            key = decode(k, blobs, from_handle, depth + 1, budget)
            try:
                hash(key)
            except TypeError:
                raise ProtocolError("unhashable dict key") from None
            out[key] = decode(v, blobs, from_handle, depth + 1, budget)
        return out
    if tag == "float":
        _want(tree.get("v") in ("nan", "inf", "-inf"), "malformed float")
        return float(tree["v"])
    if tag == "bigint":
        _want(type(tree.get("v")) is str and len(tree["v"]) < 4000, "malformed int")
        try:
            return int(tree["v"])
        except ValueError:
            raise ProtocolError("malformed int") from None
    if tag == "complex":
        re_, im_ = (decode(tree.get(k), blobs, from_handle, depth + 1, budget) for k in ("re", "im"))
        _want(type(re_) is float and type(im_) is float, "malformed complex")
        return complex(re_, im_)
    if tag == "ellipsis":
        return Ellipsis
    if tag == "bytes":
        return _blob(tree, blobs)
    if tag in ("ndarray", "npscalar", "tensor"):
        return _decode_array(tree, blobs)
    if tag == "tdtype":
        import torch

        name = tree.get("v")
        _want(type(name) is str and isinstance(getattr(torch, name, None), torch.dtype), "bad torch dtype")
        return getattr(torch, name)
    if tag in ("handle", "ref"):
        return from_handle(tree)
    raise ProtocolError(f"unknown value tag {tag!r}")


def _blob(tree: dict, blobs: list[bytes]) -> bytes:
    i = tree.get("i")
    _want(type(i) is int and 0 <= i < len(blobs), "bad blob index")
    return blobs[i]


def _decode_array(tree: dict, blobs: list[bytes]) -> Any:
    import numpy as np

    name, shape = tree.get("dtype"), tree.get("shape")
    _want(name in NUMERIC_DTYPES, "array dtype not allowed")
    _want(type(shape) is list and len(shape) <= 32 and all(type(s) is int and 0 <= s <= MAX_DIM for s in shape),
          "bad shape")
    dt = np.dtype(NUMERIC_DTYPES[name])
    data = _blob(tree, blobs)
    n = math.prod(shape)
    _want(n * dt.itemsize == len(data), "array size does not match its data")
    # An empty array may still claim absurd axes ([0, 2**40, 2**40]); numpy refuses shapes whose
    # nominal size overflows, so bound what the shape would address, not only its data.
    _want(math.prod(max(s, 1) for s in shape) * dt.itemsize <= 2 ** 62, "array shape too large")
    try:
        arr = np.frombuffer(data, dtype=dt).reshape(shape).astype(dt.newbyteorder("="), copy=True)
    except (ValueError, MemoryError) as e:
        raise ProtocolError(f"bad array: {str(e)[:100]}") from None
    if tree["t"] == "npscalar":
        _want(shape == [], "scalar with a shape")
        return arr[()]
    if tree["t"] == "tensor":
        import torch

        return torch.from_numpy(arr)
    return arr
