"""The fork server inside the sandbox: imports numpy, torch and IPython once, then forks a fresh
kernel for every submission.

Started by the trusted side (``sandbox.forkserver``) as ``python zygote.py FD`` inside a
bubblewrap sandbox, as root with only the capabilities it needs to isolate its children. It never
runs student code. For each request (a channel fd, a uid and limits) it forks a child that gets
its own mount, pid, network, IPC and UTS namespaces; a fresh /proc, /tmp, /dev/shm and working
folder; the week's public files bound read-only; its rlimits; and an unprivileged uid with every
capability dropped; it joins the control groups the grader made for it (by writing to their
``cgroup.procs``, opened by the grader and passed with the channel) before any of that, and loads
the system-call filter (a BPF program libseccomp compiled in the grader, ``sandbox.seccomp``) after
it. Only then does the child become a kernel (``worker.Worker``) on its channel.
So each submission runs in a process nobody used before, and nothing one submission leaves
(globals, patched modules, files, background processes) exists for the next.
"""

from __future__ import annotations

import base64
import ctypes
import json
import os
import random
import resource
import socket
import sys

import codec
import worker

RUNTIME_DIR = "/opt/grader-rt"
PUBLIC_DIR = f"{RUNTIME_DIR}/public"
RUNTIMES_UNDER_TMP: list[str] = []  # Python runtimes the host found under /tmp or /dev/shm (argv[2])
WORKDIR = "/home/student/work"

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_CAPBSET_DROP, PR_SET_SECCOMP, PR_SET_NO_NEW_PRIVS = 24, 22, 38
SECCOMP_MODE_FILTER = 2
SYS_CAPSET = {"x86_64": 126, "aarch64": 91}[os.uname().machine]

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
_libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
_libc.unshare.argtypes = [ctypes.c_int]
_libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]


def _check(rc: int, what: str) -> None:
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(src: str | None, dst: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = lambda s: s.encode() if s is not None else None  # noqa: E731
    _check(_libc.mount(enc(src), dst.encode(), enc(fstype), flags, enc(data)), f"mount {dst}")


def _bind_ro(src: str, dst: str) -> None:
    _mount(src, dst, None, MS_BIND)
    _mount(None, dst, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def _clear_inheritable() -> None:
    """capset(2) with every set empty (bubblewrap leaves an inheritable set behind)."""
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this thread
    data = (ctypes.c_uint32 * 6)()
    _check(_libc.syscall(SYS_CAPSET, header, data), "capset")


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _load_seccomp(prog: bytes) -> None:
    """Install a compiled filter on this (single-threaded) process; no_new_privs is already set."""
    if not prog or len(prog) % 8:
        raise OSError(f"malformed seccomp program ({len(prog)} bytes)")
    buf = ctypes.create_string_buffer(prog, len(prog))
    fprog = _SockFprog(len(prog) // 8, ctypes.cast(buf, ctypes.c_void_p))
    _check(_libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0), "seccomp")


def _join_cgroups(fds: list[int]) -> None:
    """Move this process (and so every process it will start) into the kernel's control groups."""
    for fd in fds:
        try:
            os.write(fd, b"0")
        except OSError as e:
            raise OSError(e.errno, f"joining the kernel's cgroup: {e.strerror}") from None


def _isolate(req: dict) -> None:
    """In the child, still root: its own mounts, then an unprivileged uid without capabilities."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    tmpfs = f"mode=1777,size={int(req['scratch_bytes'])}"
    for d in ("/tmp", "/dev/shm", WORKDIR):
        _mount("tmpfs", d, "tmpfs", MS_NOSUID | MS_NODEV, tmpfs)
    for i, root in enumerate(RUNTIMES_UNDER_TMP):  # the fresh /tmp hid them: bind them back
        os.makedirs(root, mode=0o755)
        _bind_ro(f"{RUNTIME_DIR}/roots/{i}", root)
        _check(_libc.umount2(f"{RUNTIME_DIR}/roots/{i}".encode(), MNT_DETACH), "umount runtime copy")
    # /proc for the new pid namespace: the kernel sees itself and its own children only.
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for sub in ("sys", "sysrq-trigger", "irq", "bus"):
        if os.path.exists(f"/proc/{sub}"):
            _bind_ro(f"/proc/{sub}", f"/proc/{sub}")
    for name in sorted(os.listdir(PUBLIC_DIR)):
        dst = f"{WORKDIR}/{name}"
        if os.path.isdir(f"{PUBLIC_DIR}/{name}"):
            os.mkdir(dst)
        else:
            open(dst, "w").close()
        _bind_ro(f"{PUBLIC_DIR}/{name}", dst)
    _check(_libc.umount2(PUBLIC_DIR.encode(), MNT_DETACH), "umount public")

    lim = req["limits"]
    mem = int(lim["memory_mb"]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    resource.setrlimit(resource.RLIMIT_CPU, (int(lim["cpu_seconds"]), int(lim["cpu_seconds"]) + 5))
    fsz = int(lim["file_mb"]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsz, fsz))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NPROC, (int(lim["max_processes"]), int(lim["max_processes"])))

    uid = int(req["uid"])
    for cap in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break  # EINVAL past the last capability this kernel knows
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)  # from root to a plain uid: the permitted and effective sets are cleared
    _clear_inheritable()
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    with open("/proc/self/status") as fh:
        caps = {k: v.strip() for k, v in (line.split(":", 1) for line in fh) if k.startswith("Cap")}
    if any(int(caps[k], 16) for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb") if k in caps):
        raise OSError(f"capabilities left after the uid drop: {caps}")
    os.chdir(WORKDIR)


def _become_kernel(req: dict, chan_fd: int, cgroup_fds: list[int]) -> None:
    """The grandchild: pid 1 of its own namespace. Isolate, then serve one submission."""
    sock = socket.socket(fileno=chan_fd)
    try:
        _join_cgroups(cgroup_fds)  # first: everything below is already counted against its limits
        socket.sethostname("sandbox")
        _isolate(req)
        os.closerange(3, chan_fd)
        os.closerange(chan_fd + 1, 1 << 16)
        if req.get("seccomp"):
            # Last: the setup above needs mount and capset; nothing after it (student code) may.
            _load_seccomp(base64.b64decode(req["seccomp"]))
    except BaseException as e:  # noqa: BLE001 - tell the grader why instead of dying silently
        codec.send_frame(sock, {"ok": False, "ename": "SandboxSetupError", "evalue": str(e)[:2000]}, [])
        os._exit(71)
    # A fresh process would draw new seeds; the forked copies must not share the zygote's state.
    random.seed()
    sys.modules["numpy"].random.seed()
    worker.Worker(sock).serve()
    os._exit(0)


def _spawn(ctl: socket.socket, req: dict, chan_fd: int, cgroup_fds: list[int]) -> int:
    """Fork twice: the middle process enters the new namespaces, its child is their pid 1."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            ctl.close()
            _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS),
                   "unshare")
            kid = os.fork()
            if kid == 0:
                os.close(w)
                _become_kernel(req, chan_fd, cgroup_fds)
            os.write(w, str(kid).encode())
            os._exit(0)
        except BaseException as e:  # noqa: BLE001
            try:
                os.write(w, f"error: {e}".encode()[:500])
            finally:
                os._exit(72)
    os.close(w)
    try:
        answer = os.read(r, 600).decode()
    finally:
        os.close(r)
        os.waitpid(pid, 0)
    if not answer.isdigit():
        raise OSError(answer or "the child exited before it started the kernel")
    return int(answer)


def main() -> None:
    ctl = socket.socket(fileno=int(sys.argv[1]))
    RUNTIMES_UNDER_TMP.extend(json.loads(sys.argv[2]) if len(sys.argv) > 2 else [])
    os.umask(0o022)  # folders a child creates for itself are not writable by the student
    worker.prepare()
    import IPython.core.interactiveshell  # noqa: F401  (the kernel's shell, imported once for all)

    threads = len(os.listdir("/proc/self/task"))
    ctl.sendall(json.dumps({"ok": True, "threads": threads}).encode() + b"\n")
    while True:
        msg, fds, _flags, _addr = socket.recv_fds(ctl, 65536, 8)
        if not msg:
            os._exit(0)  # the grader closed the control channel
        try:
            if not fds:
                raise ValueError("expected a channel fd (then the kernel's cgroup.procs fds)")
            reply = {"ok": True, "pid": _spawn(ctl, json.loads(msg), fds[0], fds[1:])}
        except Exception as e:  # noqa: BLE001 - one failed spawn must not end the server
            reply = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        finally:
            for fd in fds:
                os.close(fd)
        ctl.sendall(json.dumps(reply).encode() + b"\n")


if __name__ == "__main__":
    main()
