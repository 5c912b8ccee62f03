"""The sandbox: where student code runs, and what keeps it there.

Theory of operation
===================

Three actors, in the style of isolate.c's keeper / proxy / inside:

**grader** (trusted; ``autograder.remote``, ``runner``, ``launcher``, ``forkserver``, ``cgroups``,
``seccomp``). Holds the tests, the reference solutions and the results; root in production. It
never runs student code and never unpickles anything from a kernel: it talks to each kernel over
one socket carrying plain data by value (``codec``) and opaque handles. It makes each kernel's
control group, compiles the system-call filter once (libseccomp), starts kernels, enforces
wall-clock limits (it kills a kernel that does not answer in time), and kills what is left of a
kernel and removes its group when the kernel ends.

**zygote** (``zygote.py``; local backend with the fork server). A Python process inside
bubblewrap (its own mount, pid, network, IPC, UTS and cgroup namespaces; a root file system of
read-only binds: the Python runtime, the worker, the week's public files), root there with only
CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID and CAP_SETPCAP. It imports numpy, torch and IPython once and
never runs student code. It talks to the grader over a control socket: a request (uid, limits,
the filter's bytes) plus file descriptors (the kernel's channel and its groups' ``cgroup.procs``),
answered by a pid. It may touch nothing else.

**kernel** (``worker.py``; one per submission, forked by the zygote or started afresh by
bubblewrap, or a Docker container). Runs the student's cells and answers channel requests. May
touch: its channel, its own tmpfs folders (working folder, /tmp, /dev/shm; size-limited), the
public files (read-only), the read-only runtime. Nothing of the grader: no tests, solutions,
other submissions or build folder exist in its mount namespace.

Promises and the mechanism that enforces each
---------------------------------------------

============================================== ===========================================================
promise                                         mechanism (where)
============================================== ===========================================================
cannot see tests, solutions, other submissions  mount namespace built from an allow-list (bubblewrap
                                                ``_bwrap_argv``; zygote ``_isolate``: fresh tmpfs, binds)
cannot reach the network                        network namespace with only a down loopback
cannot signal or see the grader's processes     pid namespace (kernel is pid 1 of its own); IPC/UTS ns
is not root, has no capabilities                uid drop to the slot's uid (``slots``; setpriv or
                                                ``setresuid``), bounding/inheritable sets cleared,
                                                ``no_new_privs``
cannot use keyring, ptrace, process_vm_*,       seccomp filter (``seccomp``): deny-list, EPERM (clone3:
bpf, perf, userfaultfd, io_uring, mount,        ENOSYS); bubblewrap ``--seccomp`` or the zygote's child
namespaces (incl. CLONE_NEWUSER), modules,      after its uid drop, before any student code; Docker:
kexec                                           the same policy as a profile
memory and processes limited per submission     cgroup per kernel (``cgroups``): memory = memory_mb with no
(the whole tree), CPU cannot starve grader      swap, pids = max_processes, one process's CPU weight; v1, v2
memory / CPU time / file size per process       rlimits (AS, CPU, FSIZE, CORE, NPROC per slot uid)
wall-clock limits per cell, test, submission    the grader's socket timeouts; it kills the kernel
nothing survives the submission                 killing the slot uid's processes and the cgroup's
                                                tasks; tmpfs folders vanish with the mount namespace
verdict cannot be forged                        tests run in the grader; the channel is by value
                                                (``codec``), handles refuse implicit operations
============================================== ===========================================================

Each layer reports whether it is on (``launcher.Protections``); a result lists the ones that were
off (e.g. ``cgroup`` when the grader is not root, ``seccomp`` without libseccomp).
"""
