"""The system-call filter every sandboxed kernel runs under (local backend, forked or fresh, and
the docker backend's profile).

The policy is a deny-list over a default of *allow*, at least as strict as Docker's default
profile for what matters to a grader: the calls below fail with an errno (EPERM; ENOSYS for
``clone3``) instead of killing the process, so ordinary libraries that probe for a feature (torch,
numpy, glibc) degrade gracefully. Denied:

- the kernel keyring (``add_key``, ``keyctl``, ``request_key``): keys are per uid and outlive the
  process, so they were a channel from one submission to the next on the same slot;
- other processes' memory and tracing (``ptrace``, ``process_vm_readv/writev``, ``kcmp``,
  ``pidfd_getfd``, ``process_madvise``);
- kernel attack surface that student code never needs (``bpf``, ``perf_event_open``,
  ``userfaultfd``, ``io_uring_*``);
- mounts, namespaces and root changes (``mount``, the new mount API, ``unshare``, ``setns``,
  ``clone`` with any ``CLONE_NEW*`` flag, ``clone3`` which cannot be argument-filtered and so
  returns ENOSYS to make glibc fall back to ``clone`` — Docker does the same);
- modules, kexec, reboot, swap, clocks, accounting, quotas, handles, NUMA policy and the other
  administrative calls Docker's profile refuses to unprivileged containers.

The filter is built with libseccomp through ``pyseccomp`` (a ctypes binding with the API of
libseccomp's own Python bindings, which Debian ships only for the system Python): libseccomp
compiles it to a BPF program once, in the trusted grader. That program is what the sandbox loads:
bubblewrap's ``--seccomp FD`` for a fresh kernel, and the fork server's child loads the same bytes
with ``seccomp(2)`` after its uid drop and before any student code (``zygote.py``). Neither the
zygote nor the kernel needs libseccomp or this module. :func:`docker_profile` renders the same
policy as a Docker seccomp profile, so both backends enforce one list.

Syscalls of other ABIs (i386 ``int 0x80``, x32) do not match the native architecture and are
killed by libseccomp's bad-architecture action: student code never makes them.
"""

from __future__ import annotations

import errno
import functools
import os
import tempfile
from dataclasses import dataclass

# Namespace flags of clone(2): any one of them makes a new namespace (CLONE_NEWUSER included).
CLONE_NEWTIME, CLONE_NEWNS, CLONE_NEWCGROUP = 0x00000080, 0x00020000, 0x02000000
CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER = 0x04000000, 0x08000000, 0x10000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
NAMESPACE_FLAGS = (CLONE_NEWTIME, CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
                   CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET)

DENIED: dict[str, tuple[str, ...]] = {
    "keyring": ("add_key", "keyctl", "request_key"),
    "tracing": ("ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
                "process_madvise"),
    "kernel interfaces": ("bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter",
                          "io_uring_register", "fanotify_init", "lookup_dcookie"),
    "mounts and namespaces": ("mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "fsopen",
                              "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr"),
    "modules and kexec": ("init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load"),
    "administration": ("reboot", "swapon", "swapoff", "acct", "quotactl", "quotactl_fd", "settimeofday",
                       "clock_settime", "clock_adjtime", "syslog", "vhangup", "uselib", "ustat", "sysfs",
                       "_sysctl", "nfsservctl", "iopl", "ioperm", "open_by_handle_at", "name_to_handle_at",
                       "mbind", "set_mempolicy", "get_mempolicy", "move_pages", "migrate_pages"),
}


@dataclass(frozen=True)
class Rule:
    """One refusal: ``syscall`` fails with ``errno``, when ``flag`` is given only if clone's first
    argument has that bit set."""

    syscall: str
    errno: int = errno.EPERM
    flag: int | None = None


def rules() -> list[Rule]:
    out = [Rule(name) for group in DENIED.values() for name in group]
    out += [Rule("clone", flag=f) for f in NAMESPACE_FLAGS]
    out.append(Rule("clone3", errno.ENOSYS))
    return out


class SeccompUnavailable(RuntimeError):
    """libseccomp or its binding is missing: kernels run without the filter (reported as off)."""


def _build():  # -> pyseccomp.SyscallFilter
    try:
        import pyseccomp as sc
    except (ImportError, RuntimeError) as e:  # RuntimeError: the binding found no libseccomp
        raise SeccompUnavailable(f"libseccomp is not usable: {e}") from None
    f = sc.SyscallFilter(sc.ALLOW)
    for r in rules():
        try:
            nr = sc.resolve_syscall(sc.Arch.NATIVE, r.syscall)
        except Exception:  # noqa: BLE001 - a name this libseccomp does not know
            continue
        if nr < 0:
            continue  # not a syscall on this architecture (e.g. ioperm on aarch64)
        if r.flag is None:
            f.add_rule(sc.ERRNO(r.errno), r.syscall)
        else:
            f.add_rule(sc.ERRNO(r.errno), r.syscall, sc.Arg(0, sc.MASKED_EQ, r.flag, r.flag))
    return f


@functools.cache
def bpf_program() -> bytes:
    """The filter compiled by libseccomp: a ``struct sock_filter[]``, as bubblewrap's ``--seccomp``
    and ``seccomp(SECCOMP_SET_MODE_FILTER)`` take it. Raises SeccompUnavailable."""
    f = _build()
    with tempfile.TemporaryFile() as fh:
        f.export_bpf(fh)
        fh.seek(0)
        prog = fh.read()
    if not prog or len(prog) % 8:
        raise SeccompUnavailable(f"libseccomp exported a malformed program ({len(prog)} bytes)")
    return prog


def available() -> bool:
    try:
        bpf_program()
    except SeccompUnavailable:
        return False
    return os.environ.get("AUTOGRADER_NO_SECCOMP") != "1"


def program_fd() -> int:
    """A readable fd holding the program from its start (for bubblewrap's ``--seccomp FD``);
    the caller closes it."""
    prog = bpf_program()
    fd = os.memfd_create("autograder-seccomp", 0)
    os.write(fd, prog)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def load_in_this_process() -> None:
    """Install the filter on the calling process (libseccomp sets no_new_privs first). Used by the
    fallback launch without bubblewrap, in the child between fork and exec."""
    _build().load()


def docker_profile() -> dict:
    """The same policy as a Docker seccomp profile (``--security-opt seccomp=FILE``)."""
    by_errno: dict[int, list[str]] = {}
    syscalls: list[dict] = []
    for r in rules():
        if r.flag is None:
            by_errno.setdefault(r.errno, []).append(r.syscall)
        else:
            syscalls.append({"names": [r.syscall], "action": "SCMP_ACT_ERRNO", "errnoRet": r.errno,
                             "args": [{"index": 0, "value": r.flag, "valueTwo": r.flag, "op": "SCMP_CMP_MASKED_EQ"}]})
    for err, names in sorted(by_errno.items()):
        syscalls.insert(0, {"names": sorted(names), "action": "SCMP_ACT_ERRNO", "errnoRet": err})
    return {"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": errno.EPERM, "syscalls": syscalls}
