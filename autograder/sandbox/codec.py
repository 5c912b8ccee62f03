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
import collections
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


# Set by the kernel (worker.prepare): objects of classes the notebook defined cross as data (class
# name + attribute values) with a handle for their methods. The trusted side never sends these.
KERNEL_SIDE = False
MAX_ATTRS = 256
MAX_NAME = 200
_FACTORIES = {"int": int, "float": float, "list": list, "set": set, "dict": dict, "str": str}
_PANDAS_DTYPE = re.compile(r"^(object|string|str|category|bool|boolean|(u?int|float|complex)(8|16|32|64|128)|"
                           r"U?Int(8|16|32|64)|Float(32|64)|(datetime|timedelta)64\[(ns|us|ms|s)\])$")


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
    enc = _encode_collection(obj, blobs, to_handle, depth)
    if enc is not None:
        return enc
    enc = _encode_array(obj, blobs)
    if enc is not None:
        return enc
    enc = _encode_pandas(obj, blobs, to_handle, depth)
    if enc is not None:
        return enc
    if KERNEL_SIDE:
        enc = _encode_student_object(obj, blobs, to_handle, depth)
        if enc is not None:
            return enc
    return to_handle(obj)


def _encode_collection(obj: Any, blobs: list[bytes], to_handle: Callable[[Any], Any], depth: int) -> Any:
    """Counter, defaultdict (with a builtin factory) and deque cross by value."""
    t = type(obj)
    if t is collections.Counter or t is collections.defaultdict:
        items = [[encode(k, blobs, to_handle, depth + 1), encode(v, blobs, to_handle, depth + 1)]
                 for k, v in obj.items()]
        if t is collections.Counter:
            return {"t": "counter", "v": items}
        factory = getattr(obj.default_factory, "__name__", None)
        if obj.default_factory is not None and _FACTORIES.get(factory) is not obj.default_factory:
            return None  # a student-defined factory stays in the sandbox
        return {"t": "defaultdict", "v": items, "factory": factory}
    if t is collections.deque:
        return {"t": "deque", "v": [encode(v, blobs, to_handle, depth + 1) for v in obj], "maxlen": obj.maxlen}
    return None


def _pandas_column(values: Any, dtype: Any, blobs: list[bytes], to_handle: Callable[[Any], Any], depth: int) -> Any:
    import numpy as np

    arr = np.asarray(values) if not hasattr(values, "to_numpy") else values.to_numpy()
    if arr.dtype.kind in "mM":
        data = _encode_array(np.ascontiguousarray(arr.view("i8")), blobs)
    elif arr.dtype.name in NUMERIC_DTYPES and str(dtype) == arr.dtype.name:
        data = _encode_array(np.ascontiguousarray(arr), blobs)
    else:
        data = encode(list(values.tolist() if hasattr(values, "tolist") else arr.tolist()), blobs, to_handle, depth + 1)
    return {"dtype": str(dtype), "data": data}


def _pandas_index(idx: Any, blobs: list[bytes], to_handle: Callable[[Any], Any], depth: int) -> Any:
    import pandas as pd

    if type(idx) is pd.RangeIndex:
        return {"kind": "range", "start": int(idx.start), "stop": int(idx.stop), "step": int(idx.step),
                "name": encode(idx.name, blobs, to_handle, depth + 1)}
    if type(idx) is pd.MultiIndex:
        return {"kind": "multi", "v": encode([tuple(t) for t in idx.tolist()], blobs, to_handle, depth + 1),
                "names": encode(list(idx.names), blobs, to_handle, depth + 1)}
    return {"kind": "index", "col": _pandas_column(idx, idx.dtype, blobs, to_handle, depth),
            "name": encode(idx.name, blobs, to_handle, depth + 1)}


def _encode_pandas(obj: Any, blobs: list[bytes], to_handle: Callable[[Any], Any], depth: int) -> Any:
    """DataFrame, Series and Index cross as columns of plain values or numeric arrays, with their
    dtypes and index; the other side rebuilds them with its own pandas."""
    mod = type(obj).__module__
    if not mod.startswith("pandas"):
        return None
    import pandas as pd

    t = type(obj)
    try:
        if t is pd.DataFrame:
            if len(obj.columns) > 10_000:
                return None
            return {"t": "pandas", "kind": "frame",
                    "columns": _pandas_index(obj.columns, blobs, to_handle, depth),
                    "cols": [_pandas_column(obj.iloc[:, i], obj.dtypes.iloc[i], blobs, to_handle, depth)
                             for i in range(obj.shape[1])],
                    "index": _pandas_index(obj.index, blobs, to_handle, depth)}
        if t is pd.Series:
            return {"t": "pandas", "kind": "series", "col": _pandas_column(obj, obj.dtype, blobs, to_handle, depth),
                    "index": _pandas_index(obj.index, blobs, to_handle, depth),
                    "name": encode(obj.name, blobs, to_handle, depth + 1)}
        if t in (pd.Index, pd.RangeIndex, pd.MultiIndex):
            return {"t": "pandas", "kind": "index", "index": _pandas_index(obj, blobs, to_handle, depth)}
    except (TypeError, ValueError, AttributeError):
        return None
    return None


def _encode_student_object(obj: Any, blobs: list[bytes], to_handle: Callable[[Any], Any], depth: int) -> Any:
    """(Kernel side.) A class the notebook defined, or an instance of one whose state is a plain
    ``__dict__``: the class name and the attribute values cross, and a handle for the methods."""
    if isinstance(obj, type):
        if obj.__module__ != "__main__" or not isinstance(obj.__qualname__, str):
            return None
        return {"t": "class", "name": obj.__qualname__[:MAX_NAME], "ref": to_handle(obj)}
    t = type(obj)
    if t.__module__ != "__main__" or type(t) is not type:
        return None
    if any(b is not object and b.__module__ != "__main__" for b in t.__mro__[1:]):
        return None  # subclasses of library types (nn.Module, dict, Exception, …) stay handles
    state = getattr(obj, "__dict__", None)
    if type(state) is not dict or len(state) > MAX_ATTRS or not all(type(k) is str for k in state):
        return None
    return {"t": "instance", "cls": t.__qualname__[:MAX_NAME], "ref": to_handle(obj),
            # Without its own __eq__ (dataclasses have one) a class compares by identity, as in Python.
            "eq": t.__eq__ is not object.__eq__, "oid": id(obj),
            "attrs": [[k[:MAX_NAME], encode(v, blobs, to_handle, depth + 1)] for k, v in state.items()]}


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
        return dict(_decode_pairs(tree.get("v"), blobs, from_handle, depth, budget))
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
    if tag in ("counter", "defaultdict", "deque"):
        return _decode_collection(tree, blobs, from_handle, depth, budget)
    if tag == "pandas":
        return _decode_pandas(tree, blobs, from_handle, depth, budget)
    if tag in ("class", "instance"):
        return _decode_student_object(tree, blobs, from_handle, depth, budget)
    raise ProtocolError(f"unknown value tag {tag!r}")


def _decode_pairs(items: Any, blobs: list[bytes], from_handle: Callable[[dict], Any], depth: int,
                  budget: _Budget) -> list[tuple[Any, Any]]:
    _want(type(items) is list and all(type(p) is list and len(p) == 2 for p in items), "malformed mapping")
    out = []
    for k, v in items:
        key = decode(k, blobs, from_handle, depth + 1, budget)
        try:
            hash(key)
        except TypeError:
            raise ProtocolError("unhashable dict key") from None
        out.append((key, decode(v, blobs, from_handle, depth + 1, budget)))
    return out


def _decode_collection(tree: dict, blobs: list[bytes], from_handle: Callable[[dict], Any], depth: int,
                       budget: _Budget) -> Any:
    tag = tree["t"]
    if tag == "counter":
        return collections.Counter(dict(_decode_pairs(tree.get("v"), blobs, from_handle, depth, budget)))
    if tag == "defaultdict":
        factory = tree.get("factory")
        _want(factory is None or factory in _FACTORIES, "defaultdict factory not allowed")
        return collections.defaultdict(_FACTORIES.get(factory),
                                       _decode_pairs(tree.get("v"), blobs, from_handle, depth, budget))
    items, maxlen = tree.get("v"), tree.get("maxlen")
    _want(type(items) is list and (maxlen is None or (type(maxlen) is int and 0 <= maxlen)), "malformed deque")
    return collections.deque([decode(v, blobs, from_handle, depth + 1, budget) for v in items], maxlen)


def _decode_pandas_column(col: Any, blobs: list[bytes], from_handle: Callable[[dict], Any], depth: int,
                          budget: _Budget) -> tuple[Any, str]:
    _want(type(col) is dict and type(col.get("dtype")) is str and _PANDAS_DTYPE.match(col["dtype"]) is not None,
          "pandas dtype not allowed")
    data = col.get("data")
    if type(data) is dict and data.get("t") == "ndarray":
        values = _decode_array(data, blobs)
        _want(values.ndim == 1, "pandas column is not one-dimensional")
        if col["dtype"][:5] in ("datet", "timed"):
            values = values.view(col["dtype"])
    else:
        values = decode(data, blobs, from_handle, depth + 1, budget)
        _want(type(values) is list, "malformed pandas column")
    return values, col["dtype"]


def _decode_pandas_index(tree: Any, blobs: list[bytes], from_handle: Callable[[dict], Any], depth: int,
                         budget: _Budget) -> Any:
    import pandas as pd

    _want(type(tree) is dict, "malformed pandas index")
    kind = tree.get("kind")
    if kind == "range":
        args = [tree.get(k) for k in ("start", "stop", "step")]
        _want(all(type(a) is int for a in args) and args[2] != 0, "malformed range index")
        return pd.RangeIndex(*args, name=decode(tree.get("name"), blobs, from_handle, depth + 1, budget))
    if kind == "multi":
        tuples = decode(tree.get("v"), blobs, from_handle, depth + 1, budget)
        names = decode(tree.get("names"), blobs, from_handle, depth + 1, budget)
        _want(type(tuples) is list and all(type(t) is tuple for t in tuples) and type(names) is list,
              "malformed multi-index")
        return pd.MultiIndex.from_tuples(tuples, names=names) if tuples else pd.MultiIndex.from_arrays(
            [[] for _ in names], names=names)
    _want(kind == "index", "malformed pandas index")
    values, dtype = _decode_pandas_column(tree.get("col"), blobs, from_handle, depth, budget)
    return pd.Index(values, dtype=dtype, name=decode(tree.get("name"), blobs, from_handle, depth + 1, budget))


def _decode_pandas(tree: dict, blobs: list[bytes], from_handle: Callable[[dict], Any], depth: int,
                   budget: _Budget) -> Any:
    import pandas as pd

    kind = tree.get("kind")
    try:
        if kind == "index":
            return _decode_pandas_index(tree.get("index"), blobs, from_handle, depth, budget)
        index = _decode_pandas_index(tree.get("index"), blobs, from_handle, depth, budget)
        if kind == "series":
            values, dtype = _decode_pandas_column(tree.get("col"), blobs, from_handle, depth, budget)
            _want(len(values) == len(index), "series length does not match its index")
            return pd.Series(values, index=index, dtype=dtype,
                             name=decode(tree.get("name"), blobs, from_handle, depth + 1, budget))
        _want(kind == "frame", "unknown pandas kind")
        columns = _decode_pandas_index(tree.get("columns"), blobs, from_handle, depth, budget)
        cols = tree.get("cols")
        _want(type(cols) is list and len(cols) == len(columns), "frame columns do not match their labels")
        data = {}
        for i, col in enumerate(cols):
            values, dtype = _decode_pandas_column(col, blobs, from_handle, depth, budget)
            _want(len(values) == len(index), "frame column length does not match its index")
            data[i] = pd.Series(values, index=index, dtype=dtype)
        frame = pd.DataFrame(data, index=index)
        frame.columns = columns
        return frame
    except (TypeError, ValueError, OverflowError) as e:
        raise ProtocolError(f"malformed pandas value: {str(e)[:200]}") from None


def _decode_student_object(tree: dict, blobs: list[bytes], from_handle: Callable[[dict], Any], depth: int,
                           budget: _Budget) -> Any:
    """A stand-in for a student class or instance, made by ``from_handle`` (the trusted session):
    plain data and a handle, never the student's code."""
    ref = tree.get("ref")
    _want(type(ref) is dict and ref.get("t") == "handle", "student object without a handle")
    handle = from_handle(ref)
    if tree["t"] == "class":
        name = tree.get("name")
        _want(type(name) is str and 0 < len(name) <= MAX_NAME, "malformed class name")
        return from_handle({"t": "class", "name": name, "handle": handle})
    name, attrs = tree.get("cls"), tree.get("attrs")
    _want(type(name) is str and 0 < len(name) <= MAX_NAME, "malformed class name")
    _want(type(attrs) is list and len(attrs) <= MAX_ATTRS and all(
        type(p) is list and len(p) == 2 and type(p[0]) is str and len(p[0]) <= MAX_NAME for p in attrs),
        "malformed attributes")
    eq, oid = tree.get("eq", True), tree.get("oid", 0)
    _want(type(eq) is bool and type(oid) is int, "malformed instance")
    values = {k: decode(v, blobs, from_handle, depth + 1, budget) for k, v in attrs}
    return from_handle({"t": "instance", "name": name, "handle": handle, "attrs": values, "eq": eq, "oid": oid})


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
