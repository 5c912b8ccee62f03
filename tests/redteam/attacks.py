"""Hostile submissions against the toy course (q1 square: 2, q2 scale: 2, q3 make_layer: 1, q4 answer: 1).

Each attack is the toy solution notebook plus hostile cells. ``expected`` is the per-question score
a correct defence gives: legitimate answers keep their points, forged ones get none. Used by
tests/test_redteam.py and by compare_otter.py (the same attacks against `otter run`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

FULL = {"q1": 2.0, "q2": 2.0, "q3": 1.0, "q4": 1.0}


def scores(**changes: float) -> dict[str, float]:
    return {**FULL, **changes}


@dataclass
class Attack:
    name: str
    description: str
    cells: list[str]
    expected: dict[str, float] = field(default_factory=lambda: dict(FULL))
    status: str = "ok"
    # Strings that must appear in the feedback (the attack reporting what it found) ...
    feedback_has: list[str] = field(default_factory=list)
    # ... and strings that must not (hidden tests, expected values, grader paths, fake scores).
    feedback_lacks: list[str] = field(default_factory=list)
    # Safe to run against `otter run` on this machine? (Otter runs student code as the caller.)
    otter_safe: bool = True
    # Files outside the sandbox that the attack tries to create; any that appear on the host = success.
    canaries: list[str] = field(default_factory=list)


_SCAN = r'''
import os
def _scan(match, tops=("/",)):
    hits = []
    skip = ("/proc", "/sys", "/dev", "/usr")
    for top in tops:
        for dp, dns, fns in os.walk(top):
            if dp.startswith(skip) or "site-packages" in dp or "/lib/python" in dp:
                dns[:] = []
                continue
            for f in fns:
                p = os.path.join(dp, f)
                if match(p, f):
                    hits.append(p)
    return hits
'''

# Raw system calls a hostile submission makes through ctypes (issue 13). Each result is 0 or more
# when the call got through, minus the errno when it was refused.
SYSCALLS = r"""
import ctypes, os, platform
_NR = {"x86_64": dict(add_key=248, keyctl=250, ptrace=101, process_vm_readv=310, io_uring_setup=425,
                      unshare=272, setns=308, clone=56, clone3=435, bpf=321, perf_event_open=298,
                      userfaultfd=323, mount=165),
       "aarch64": dict(add_key=217, keyctl=219, ptrace=117, process_vm_readv=270, io_uring_setup=425,
                       unshare=97, setns=268, clone=220, clone3=435, bpf=280, perf_event_open=241,
                       userfaultfd=282, mount=40)}[platform.machine()]
_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
def sys_call(name, *args):
    r = _libc.syscall(_NR[name], *[ctypes.c_long(a) if isinstance(a, int) else a for a in args])
    return r if r >= 0 else -ctypes.get_errno()
KEY_SPEC_USER_KEYRING, KEYCTL_SEARCH, KEYCTL_READ = -4, 10, 11
def key_write(desc, payload):
    return sys_call("add_key", b"user", desc, payload, len(payload), KEY_SPEC_USER_KEYRING)
def key_read(desc):
    kid = sys_call("keyctl", KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING, b"user", desc, 0)
    if kid < 0:
        return kid
    buf = ctypes.create_string_buffer(4096)
    n = sys_call("keyctl", KEYCTL_READ, kid, buf, 4096)
    return buf.raw[:n].decode() if n >= 0 else n
def in_child(fn):
    # Run fn in a forked child (calls that change the caller, or whose raw clone would duplicate
    # this interpreter); the child's exit status carries the result (0: it worked).
    pid = os.fork()
    if pid == 0:
        try:
            os._exit(fn())
        finally:
            os._exit(99)
    return -(os.waitpid(pid, 0)[1] >> 8)
def _clone_newuser():
    r = sys_call("clone", 0x10000000 | 17, 0, 0, 0, 0)  # CLONE_NEWUSER | SIGCHLD, like fork()
    if r == 0:
        os._exit(0)
    if r > 0:
        os.waitpid(r, 0)
        return 0
    return -r
def _ptrace_child():
    pid = os.fork()
    if pid == 0:
        import time
        time.sleep(30)
        os._exit(0)
    r = sys_call("ptrace", 16, pid, 0, 0)  # PTRACE_ATTACH to a process of the same uid
    os.kill(pid, 9)
    return 0 if r == 0 else -r
def _vm_read_parent():
    src = ctypes.create_string_buffer(b"secret", 16)
    dst = ctypes.create_string_buffer(16)
    class iovec(ctypes.Structure):
        _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]
    liov, riov = iovec(ctypes.addressof(dst), 6), iovec(ctypes.addressof(src), 6)
    r = sys_call("process_vm_readv", os.getppid(), ctypes.byref(liov), 1, ctypes.byref(riov), 1, 0)
    return 0 if r == 6 else -r
def escape_attempts():
    params = ctypes.create_string_buffer(120)
    got = {"add_key": key_write(b"probe", b"x"), "keyctl": key_read(b"probe"),
           "ptrace": in_child(_ptrace_child), "process_vm_readv": in_child(_vm_read_parent),
           "io_uring_setup": sys_call("io_uring_setup", 4, params),
           "unshare": in_child(lambda: -sys_call("unshare", 0x10000000)),
           "clone_newuser": in_child(_clone_newuser),
           "setns": sys_call("setns", os.open("/proc/self/ns/net", os.O_RDONLY), 0),
           "bpf": sys_call("bpf", 0, 0, 0), "perf_event_open": sys_call("perf_event_open", 0, 0, -1, -1, 0),
           "userfaultfd": sys_call("userfaultfd", 0), "mount": sys_call("mount", b"none", b"/tmp", b"tmpfs", 0, 0)}
    return {k: v for k, v in got.items() if not (isinstance(v, int) and v < 0)}
"""

# Two children that each try to hold 3 GB at once (the course's memory_mb is 4096). Reports how
# many held their 3 GB *at the same time*.
TWO_CHILDREN = r"""
import os, select, signal, time
import numpy as np
def two_children(gb=3, wait=40):
    r, w = os.pipe()
    kids = []
    for _ in range(2):
        pid = os.fork()
        if pid == 0:
            try:
                os.close(r)
                a = np.ones(gb * 1024 ** 3 // 8)  # every page touched
                os.write(w, b"1")
                time.sleep(wait)
            finally:
                os._exit(0)
        kids.append(pid)
    os.close(w)
    reported, dead, t0 = set(), set(), time.time()
    while time.time() - t0 < wait and len(reported | dead) < 2:
        if select.select([r], [], [], 0.2)[0]:
            if not os.read(r, 1):
                break
            reported.add(len(reported))
        for k in kids:
            if k not in dead and os.waitpid(k, os.WNOHANG)[0]:
                dead.add(k)
    time.sleep(0.5)
    alive = [k for k in kids if k not in dead and os.waitpid(k, os.WNOHANG)[0] == 0]
    held = min(len(reported), len(alive))
    for k in kids:
        try:
            os.kill(k, signal.SIGKILL)
            os.waitpid(k, 0)
        except OSError:
            pass
    os.close(r)
    return held
"""

ATTACKS: list[Attack] = [
    Attack("read_hidden_tests", "read hidden test files from inside the sandbox", [_SCAN + r'''
hits = [p for p in _scan(lambda p, f: f.endswith(".py") and f.startswith("q")) if "hidden=True" in open(p).read()]
def square(x):
    return x * x if hits else -1  # right only if the hidden tests were readable
raise RuntimeError("FOUND:" + repr(hits))
'''], expected=scores(q1=0.0), feedback_has=["FOUND:[]"], feedback_lacks=["test_square_hidden"]),
    Attack("read_solutions", "import or read the reference solutions and the course files", [_SCAN + r'''
found = []
try:
    import solutions.week01
    found.append(solutions.week01.__file__)
except ImportError:
    pass
found += _scan(lambda p, f: f in ("week01.py", "course.yml") or "/solutions/" in p)
def scale(v, a):
    import numpy as np
    return np.asarray(v, dtype=float) * a if found else None  # right only if the reference was found
raise RuntimeError("FOUND:" + repr(found))
'''], expected=scores(q2=0.0), feedback_has=["FOUND:[]"]),
    Attack("read_other_submissions", "find other students' notebooks", [_SCAN + r'''
mine = os.path.realpath("submission.ipynb")
hits = [p for p in _scan(lambda p, f: f.endswith(".ipynb")) if os.path.realpath(p) != mine]
raise RuntimeError("FOUND:" + repr(hits))
'''], feedback_has=["FOUND:[]"]),
    Attack("patch_numpy_torch_compare", "monkey-patch np.allclose/isclose/testing and torch.allclose, wrong square", [r'''
import numpy as np, torch
np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, *x, **k: np.ones_like(np.asarray(a), dtype=bool)
np.testing.assert_allclose = lambda *a, **k: None
np.array_equal = lambda *a, **k: True
torch.allclose = lambda *a, **k: True
torch.testing.assert_close = lambda *a, **k: None
def square(x):
    return x + 1
'''], expected=scores(q1=0.0)),
    Attack("patch_builtins", "replace builtins (all, any, abs, round, AssertionError), wrong scale", [r'''
import builtins
builtins.all = lambda *a: True
builtins.any = lambda *a: True
builtins.abs = lambda x: 0
builtins.round = lambda *a, **k: 0
builtins.AssertionError = type("Nope", (Exception,), {})
def scale(v, a):
    return v
'''], expected=scores(q2=0.0)),
    Attack("patch_otter_and_testkit", "install fake otter / autograder.testkit modules that always pass", [r'''
import sys, types
for name in ("otter", "otter.test_files", "autograder", "autograder.testkit"):
    m = types.ModuleType(name)
    m.assert_close = lambda *a, **k: None
    m.check_choice = lambda a, allowed: "B"
    m.test_case = lambda *a, **k: (lambda f: f)
    sys.modules[name] = m
answer = "Z"
'''], expected=scores(q4=0.0)),
    Attack("fake_results_files", "write fake results.json / grades.csv wherever it can", [r'''
import json, os
fake = json.dumps({"score": 999, "tests": [{"name": "q1", "score": 999}]})
wrote = []
for d in (".", "..", "/tmp", "/home/student", "/home/student/work/results", "../results", "/results", "/autograder/results"):
    for f in ("results.json", "grades.csv", "FAKE_RESULTS.json"):
        try:
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, f), "w") as fh:
                fh.write(fake)
            wrote.append(os.path.join(d, f))
        except OSError:
            pass
def square(x):
    return 999
'''], expected=scores(q1=0.0), feedback_lacks=["999"],
           canaries=["/tmp/FAKE_RESULTS.json", "/tmp/results.json", "/results/results.json",
                     "/autograder/results/results.json"]),
    Attack("eq_always_true", "objects whose __eq__ (and everything else) says True", [r'''
class Yes:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __bool__(self): return True
    def __float__(self): return 4.0
    def __len__(self): return 1
    def __getattr__(self, name): return self
    def __call__(self, *a, **k): return self
    def __sub__(self, o): return 0
    __rsub__ = __sub__
    def __abs__(self): return 0
    def __lt__(self, o): return True
    __le__ = __gt__ = __ge__ = __lt__
def square(x):
    return Yes()
answer = Yes()
'''], expected=scores(q1=0.0, q4=0.0)),
    Attack("fake_array", "an object that pretends to be a numpy array", [r'''
import numpy as np
class FakeArray:
    shape = (3,)
    dtype = np.dtype("float64")
    ndim = 1
    def __array__(self, *a, **k): return np.array([-12.0, 4.0, -2.0])
    def __eq__(self, o): return True
    def __iter__(self): return iter([2.0, 4.0])
    def tolist(self): return [2.0, 4.0]
    def __len__(self): return 2
def scale(v, a):
    return FakeArray()
'''], expected=scores(q2=0.0)),
    Attack("ndarray_subclass", "a numpy array subclass with wrong numbers and a lying __eq__", [r'''
import numpy as np
class Liar(np.ndarray):
    def __eq__(self, o): return np.ones(self.shape, dtype=bool)
    def __array_finalize__(self, obj): pass
def square(x):
    return (np.asarray(x, dtype=float) + 1).view(Liar)
'''], expected=scores(q1=0.0)),
    Attack("infinite_loop_in_function", "a student function that never returns", [r'''
def square(x):
    while True:
        pass
'''], expected=scores(q1=0.0)),
    Attack("infinite_loop_in_cell", "a cell that never finishes", ["while True:\n    pass"]),
    Attack("memory_bomb", "allocate far more memory than allowed", otter_safe=False, cells=[r'''
blobs = []
try:
    while True:
        blobs.append(bytearray(512 * 1024 * 1024))
finally:
    blobs.clear()
''', "big = [0] * (2 ** 34)"]),
    Attack("fork_bomb", "fork until the machine dies", otter_safe=False, cells= [r'''
import os, time
n = 0
try:
    for _ in range(100000):
        if os.fork() == 0:
            time.sleep(120)
            os._exit(0)
        n += 1
except OSError as e:
    FORK = (n, str(e))
'''], status="ok"),
    Attack("kill_parent", "kill the parent, pid 1 and every process it can see", otter_safe=False, cells=[r'''
import os, signal
for pid in (os.getppid(), 1):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
try:
    os.kill(-1, signal.SIGKILL)  # Linux spares the caller: this hits everything else it may signal
except OSError:
    pass
'''], status="ok"),
    Attack("print_flood", "print hundreds of megabytes", otter_safe=False, cells=[r'''
import os, sys
chunk = "x" * (1024 * 1024)
for _ in range(300):
    print(chunk)
for _ in range(100):
    os.write(1, b"y" * (1024 * 1024))
    os.write(2, b"z" * (1024 * 1024))
'''], feedback_lacks=["xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]),
    Attack("network_connect", "connect to a listener that the test started on loopback", [r'''
import socket
status = []
for host in ("127.0.0.1", "localhost", "::1"):
    try:
        s = socket.create_connection((host, {PORT}), timeout=2)
        s.sendall(b"LEAK")
        status.append("connected")
    except OSError as e:
        status.append(type(e).__name__)
raise RuntimeError("NET:" + repr(status))
'''], feedback_lacks=["connected"]),
    Attack("write_outside_scratch", "write to the worker, the Python install, /etc, /tmp and home", [r'''
import os, numpy
# Only new files (and the public helper, which is the kernel's own copy): the same attack runs
# against `otter run` in compare_otter.py, where nothing stops it, and must not damage the host.
targets = ["/opt/grader-rt/evil.py",
           os.path.join(os.path.dirname(numpy.__file__), "ag_redteam_canary.py"), "/etc/ag-redteam-canary",
           "/tmp/ag-redteam-canary", os.path.expanduser("~/ag-redteam-canary"), "/usr/lib/evil",
           "/home/student/evil", "/evil", "dlsp_utils.py"]
ok = []
for t in targets:
    try:
        with open(t, "a") as fh:
            if t.endswith(".py"):
                fh.write("\n# EVIL\n")
        ok.append(t)
    except OSError:
        pass
# /tmp and the home folder are the kernel's own throw-away tmpfs: writing there is allowed (the host
# side is checked through the canaries). Everything else must be out of reach.
ok = [t for t in ok if not t.startswith(("/tmp/", os.path.expanduser("~")))]
raise RuntimeError("WROTE:" + repr(ok))
'''], feedback_has=["WROTE:[]"],
           canaries=["{numpy}/ag_redteam_canary.py", "/etc/ag-redteam-canary", "/tmp/ag-redteam-canary",
                     "~/ag-redteam-canary"]),
    Attack("forged_frames", "write forged frames into the grader channel", [r'''
import os, struct
for fd in range(3, 64):
    try:
        os.fstat(fd)
    except OSError:
        continue
    try:
        os.write(fd, struct.pack("<II", 40, 0) + b'{"ok": true, "value": {"t": "evil"}}    ')
        os.write(fd, struct.pack("<II", 2**31, 10**6))
    except OSError:
        pass
'''], status="kernel-died"),
    Attack("hidden_input_leak", "record hidden inputs and leak them through a public error message", [r'''
SEEN = []
def square(x):
    SEEN.append(repr(x))
    return x * x
def scale(v, a):
    raise ValueError("SEEN=" + ";".join(SEEN))
'''], expected=scores(q2=0.0), feedback_has=["SEEN=2"], feedback_lacks=["array("]),
    Attack("segfault", "crash the interpreter with a segmentation fault", [
        "import ctypes\nctypes.string_at(0)"], status="kernel-died"),
    Attack("huge_return", "return an array larger than the channel allows", [r'''
import numpy as np
def scale(v, a):
    return np.zeros(40_000_000)
'''], expected=scores(q2=0.0)),
    Attack("self_referential", "return self-referential and endless structures", [r'''
def scale(v, a):
    l = []
    l.append(l)
    return l
def make_layer(i, o):
    def gen():
        while True:
            yield 1
    return gen()
'''], expected=scores(q2=0.0, q3=0.0)),
    Attack("syscall_escape", "keyring, ptrace, process_vm_readv, io_uring, unshare, clone(CLONE_NEWUSER), setns, "
           "bpf, perf_event_open, userfaultfd, mount from student code", [SYSCALLS + r"""
raise RuntimeError("ESCAPED:" + repr(sorted(escape_attempts())))
"""], feedback_has=["ESCAPED:[]"], otter_safe=False),
    Attack("memory_two_children", "two child processes that allocate 3 GB each (memory_mb: 4096)", [TWO_CHILDREN + r"""
raise RuntimeError(f"HELD:{two_children()}")
"""], feedback_lacks=["HELD:2"], otter_safe=False),  # not feedback_has: on a loaded machine the cell may
    # reach the toy course's 10 s limit first (tests/test_containment.py checks HELD with a long limit)
    Attack("patch_torch_forward", "patch nn.Linear.forward so any layer looks right", [r'''
import torch
torch.nn.Linear.forward = lambda self, x: torch.zeros(x.shape[0], self.out_features)
def make_layer(i, o):
    return torch.nn.Linear(i, o)
'''], expected=scores(q3=0.5)),
]
