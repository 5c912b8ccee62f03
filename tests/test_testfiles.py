"""Test files import their own build's helpers, even when one process loads several builds."""

from __future__ import annotations

import sys
from pathlib import Path

from autograder.testfiles import load_tests, run_case

TEST_FILE = '''from otter.test_files import test_case

name = "q1"
points = 1


@test_case()
def test_value(expected):
    import dlsp_utils
    from solutions.week01 import reference
    assert dlsp_utils.VALUE == expected, dlsp_utils.VALUE
    assert reference() == expected
'''


def make_build(root: Path, value: int) -> Path:
    """An autograder folder whose helper module and reference solution both say ``value``."""
    (root / "tests").mkdir(parents=True)
    (root / "solutions").mkdir()
    (root / "dlsp_utils.py").write_text(f"VALUE = {value}\n")
    (root / "solutions" / "__init__.py").write_text("")
    (root / "solutions" / "week01.py").write_text("import dlsp_utils\n\ndef reference():\n    return dlsp_utils.VALUE\n")
    (root / "tests" / "q1.py").write_text(TEST_FILE)
    return root


def passes(root: Path, expected: int) -> bool:
    case = load_tests(root / "tests")["q1"].cases[0]
    ok, _ = run_case(case, lambda n: expected, {"expected"})
    return ok


def test_two_builds_in_one_process_each_import_their_own_helpers(tmp_path):
    a, b = make_build(tmp_path / "a", 1), make_build(tmp_path / "b", 2)
    assert passes(a, 1)
    assert passes(b, 2)  # a cached `dlsp_utils` from build a would make this 1
    assert passes(a, 1)
    assert "dlsp_utils" not in sys.modules and "solutions" not in sys.modules


def test_a_rebuild_in_place_is_not_served_from_the_cache(tmp_path):
    root = make_build(tmp_path / "w", 1)
    assert passes(root, 1)
    (root / "dlsp_utils.py").write_text("VALUE = 3\n")
    assert passes(root, 3)
