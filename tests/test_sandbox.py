"""The bubblewrap command line: what the kernel can see, and in what order mounts are stacked."""

from __future__ import annotations

from pathlib import Path

from autograder.sandbox import launcher


def test_python_under_tmp_is_not_hidden_by_the_tmpfs(tmp_path, monkeypatch):
    """A clone (and its venv) under /tmp must stay visible: /tmp's tmpfs is mounted before the binds."""
    (tmp_path / "dlsp_utils.py").write_text("")
    monkeypatch.setattr(launcher, "_python_roots", lambda: ["/tmp/clone/.venv", "/opt/py"])
    argv = launcher._bwrap_argv(tmp_path, 61000, "/tmp/clone/.venv/bin/python", 5, 64)
    tmpfs_tmp = max(i for i, a in enumerate(argv) if a == "/tmp" and argv[i - 1] == "--tmpfs")
    venv_bind = argv.index("/tmp/clone/.venv", argv.index("--ro-bind", tmpfs_tmp))
    assert tmpfs_tmp < venv_bind
    # Only the allow-list is mounted: runtime, worker, public files; never the repository.
    repo = str(Path(launcher.__file__).resolve().parents[2])
    sources = [argv[i + 1] for i, a in enumerate(argv) if a in ("--ro-bind", "--bind")]
    assert not any(s == repo or s.startswith(repo + "/tests") or "/solutions" in s for s in sources)
    assert "--unshare-net" in argv and "--unshare-pid" in argv and "setpriv" in argv
    assert argv[-2:] == [f"{launcher.RUNTIME_DIR}/worker.py", "5"]
