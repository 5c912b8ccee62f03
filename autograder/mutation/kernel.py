"""Kernel-side half of the mutation run: record probe inputs, then tell equivalent mutants apart.

This file is never imported by the grader. Its source is sent into the sandboxed kernel that
holds the solution notebook, where it becomes the module ``_ag_mutation`` (in ``sys.modules``, so
the runner's snapshot/restore of the notebook's globals does not erase it). Everything here runs
inside the sandbox; what comes back is a small dict of plain data (``probe``'s verdict).

1. ``wrap(ns, names)`` replaces the question definitions in the notebook's globals by recorders
   (for a class: its own methods), which keep deep copies of the arguments of the first calls;
   the grader then runs every question's tests on the reference, so the probe inputs are exactly
   the inputs the tests (public and hidden) pass. ``unwrap(ns)`` puts the originals back.
2. ``reference(ns)`` calls the reference twice per recorded input with fixed seeds and keeps the
   inputs on which it is deterministic, with its outputs and the arguments' state afterwards.
3. ``probe(ns, source, names, mutated)`` executes a mutant's source in a copy of the globals and
   replays the recorded inputs on it. The mutant is *equivalent* when the mutated code ran on
   the probe (its code object was entered) and every output and argument state matched.
"""

import copy
import math
import random
import sys

MAX_RECORDS = 6
calls = {}       # name -> list of records: ("call", args, kwargs) | ("method", meth, self, args, kwargs)
originals = {}   # name -> object (function) | {method name: function} (class)
expected = {}    # name -> list of (record, outcome)


def _seed():
    random.seed(0)
    try:
        import numpy as np
        np.random.seed(0)
    except ImportError:
        pass
    try:
        import torch
        torch.manual_seed(0)
    except ImportError:
        pass


def _keep(name, record):
    lst = calls.setdefault(name, [])
    if len(lst) < MAX_RECORDS:
        try:
            lst.append(copy.deepcopy(record))
        except Exception:  # an argument that cannot be copied is not a probe input
            pass


def _function_recorder(name, fn):
    def recorder(*args, **kwargs):
        _keep(name, ("call", args, kwargs))
        return fn(*args, **kwargs)
    recorder.__wrapped__ = fn
    recorder.__name__, recorder.__qualname__, recorder.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
    return recorder


def _method_recorder(name, meth_name, fn):
    def recorder(self, *args, **kwargs):
        if meth_name == "__init__":
            _keep(name, ("call", args, kwargs))
        else:
            _keep(name, ("method", meth_name, self, args, kwargs))
        return fn(self, *args, **kwargs)
    recorder.__wrapped__ = fn
    recorder.__name__, recorder.__qualname__ = fn.__name__, fn.__qualname__
    return recorder


def wrap(ns, names):
    for name in names:
        obj = ns.get(name)
        if isinstance(obj, type):
            own = {k: v for k, v in vars(obj).items() if callable(v) and not isinstance(v, type)
                   and hasattr(v, "__code__")}
            originals[name] = own
            for k, v in own.items():
                setattr(obj, k, _method_recorder(name, k, v))
        elif callable(obj) and hasattr(obj, "__code__"):
            originals[name] = obj
            ns[name] = _function_recorder(name, obj)


def unwrap(ns):
    for name, orig in originals.items():
        if isinstance(orig, dict):
            for k, v in orig.items():
                setattr(ns[name], k, v)
        else:
            ns[name] = orig
    originals.clear()


def _state(obj, depth=0):
    """What an object's behaviour depends on, as comparable plain-ish data."""
    if depth > 3:
        return type(obj).__name__
    sd = getattr(obj, "state_dict", None)
    if callable(sd) and not isinstance(obj, type):
        try:
            return (type(obj).__name__, repr(obj) if hasattr(obj, "named_modules") else "", sd())
        except Exception:
            pass
    if hasattr(obj, "__dict__") and not callable(obj):
        return (type(obj).__name__, {k: _state(v, depth + 1) for k, v in vars(obj).items()})
    return obj


def same(a, b, depth=0):
    """Equal within float tolerance, recursively; objects by their state."""
    if depth > 8:
        return True
    if isinstance(a, BaseException) or isinstance(b, BaseException):
        return type(a) is type(b)
    try:
        import torch
        if isinstance(a, torch.Tensor) or isinstance(b, torch.Tensor):
            if not (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)):
                return False
            a, b = a.detach().cpu(), b.detach().cpu()
            if a.is_floating_point() and b.is_floating_point():
                # float32 against float64 is a precision choice, not a different answer (the tests
                # compare values too): compare the values in double precision
                if a.shape != b.shape:
                    return False
                return bool(torch.allclose(a.double(), b.double(), rtol=1e-5, atol=1e-7, equal_nan=True))
            if a.shape != b.shape or a.dtype != b.dtype:
                return False
            if a.is_complex():
                return bool(torch.allclose(a, b, rtol=1e-5, atol=1e-7, equal_nan=True))
            return bool(torch.equal(a, b))
    except ImportError:
        pass
    try:
        import numpy as np
        if isinstance(a, (np.ndarray, np.generic)) or isinstance(b, (np.ndarray, np.generic)):
            a2, b2 = np.asarray(a), np.asarray(b)
            if a2.shape != b2.shape:
                return False
            if a2.dtype.kind == "f" and b2.dtype.kind == "f":  # precision only, as for tensors
                return bool(np.allclose(a2.astype(float), b2.astype(float), rtol=1e-5, atol=1e-7, equal_nan=True))
            if a2.dtype != b2.dtype:
                return False
            if a2.dtype.kind in "fc":
                return bool(np.allclose(a2, b2, rtol=1e-5, atol=1e-7, equal_nan=True))
            return bool(np.array_equal(a2, b2))
    except ImportError:
        pass
    if type(a) is not type(b):
        # an instance of the mutant's class against one of the reference class: same name, compare state
        if type(a).__name__ != type(b).__name__ or not hasattr(a, "__dict__"):
            return False
        return same(_state(a), _state(b), depth + 1)
    if isinstance(a, float) or isinstance(a, complex):
        if isinstance(a, float) and math.isnan(a) and math.isnan(b):
            return True
        return abs(a - b) <= 1e-7 + 1e-5 * abs(b)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y, depth + 1) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], depth + 1) for k in a)
    if isinstance(a, (int, str, bytes, bool, type(None), set, frozenset, range)):
        return a == b
    if callable(a) and not hasattr(a, "state_dict"):
        return True  # functions returned by functions: their behaviour is not comparable here
    sa, sb = _state(a), _state(b)
    if sa is a:  # no state to compare: fall back on equality
        try:
            return bool(a == b)
        except Exception:
            return False
    return same(sa, sb, depth + 1)


def _run(ns, name, record):
    """Outcome of one recorded input under fixed seeds: (result or exception, argument state)."""
    record = copy.deepcopy(record)
    _seed()
    try:
        if record[0] == "call":
            _, args, kwargs = record
            out = ns[name](*args, **kwargs)
        else:
            _, meth, self, args, kwargs = record
            self.__class__ = ns[name]
            out = getattr(self, meth)(*args, **kwargs)
            args = (self, *args)
    except Exception as e:  # an exception is an outcome too
        out = e
    if record[0] == "call" and isinstance(ns.get(name), type) and not isinstance(out, BaseException):
        out = _state(out)
    return out, (args, kwargs)


def reference(ns):
    """Outcomes of the reference on every recorded input on which it is deterministic."""
    expected.clear()
    for name, records in calls.items():
        kept = []
        for r in records:
            first, second = _run(ns, name, r), _run(ns, name, r)
            if same(first, second):
                kept.append((r, first))
        expected[name] = kept
    return {name: len(v) for name, v in expected.items()}


def _codes(obj):
    """Code objects of a function or of a class's methods, nested code included."""
    roots = []
    if isinstance(obj, type):
        roots = [v.__code__ for v in vars(obj).values() if hasattr(v, "__code__")]
    elif hasattr(obj, "__code__"):
        roots = [obj.__code__]
    out, todo = set(), list(roots)
    while todo:
        c = todo.pop()
        out.add(c)
        todo += [k for k in c.co_consts if hasattr(k, "co_code")]
    return out


def probe(ns, source, names, mutated):
    """Does the mutant (``source`` defines ``names``, ``mutated`` is the changed one) behave like
    the reference on the recorded inputs? Returns {"equivalent": bool, "why": str}."""
    mns = dict(ns)
    try:
        exec(compile(source, "<mutant>", "exec"), mns)
    except Exception as e:
        return {"equivalent": False, "why": f"definition raised {type(e).__name__}"}
    for name in names:
        if not (callable(ns.get(name)) or isinstance(ns.get(name), type)):
            if not same(mns.get(name), ns.get(name)):
                return {"equivalent": False, "why": f"{name}: value differs"}
    targets = _codes(mns.get(mutated))
    if not targets:
        return {"equivalent": True, "why": "value equal"} if mutated in names else \
            {"equivalent": False, "why": "not probed"}
    hit = []

    def tracer(frame, event, arg):
        if frame.f_code in targets:
            hit.append(True)
            sys.settrace(None)
        return None

    for name in names:
        for record, outcome in expected.get(name, []):
            sys.settrace(tracer)
            try:
                got = _run(mns, name, record)
            finally:
                sys.settrace(None)
            if not same(got, outcome):
                return {"equivalent": False, "why": f"{name}: output differs on a probe input"}
    if not hit:
        return {"equivalent": False, "why": "mutated code not reached by the probe"}
    return {"equivalent": True, "why": "same outputs on every probe input"}
