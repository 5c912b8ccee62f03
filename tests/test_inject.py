"""Solution injection: solutions/weekNN.py is the single source of solution code."""

from __future__ import annotations

import pytest

from autograder.inject import InjectError, inject_cell

SRC = '''
import numpy as np


def f(x, y=2):
    """Türkçe açıklama."""
    # a comment that belongs to the solution
    z = x + y
    return z


class Net:
    """Bir sınıf."""
    size = 3

    def __init__(self, n):
        self.n = n

    def forward(self, x):
        """İleri geçiş."""
        return x * self.n


answer = "B"
etas = {
    0.1,
    0.5,
}
'''


def test_function_body_is_hidden_but_signature_and_docstring_stay():
    out = inject_cell("# INJECT SOLUTION: f", SRC, "w")
    assert out.splitlines() == [
        "def f(x, y=2):", '    """Türkçe açıklama."""', "    # BEGIN SOLUTION",
        "    # a comment that belongs to the solution", "    z = x + y", "    return z", "    # END SOLUTION"]


def test_class_methods_are_hidden_one_by_one():
    out = inject_cell("# INJECT SOLUTION: Net", SRC, "w")
    assert "class Net:" in out and "size = 3" in out
    assert out.count("# BEGIN SOLUTION") == 2
    assert "    def forward(self, x):\n        \"\"\"İleri geçiş.\"\"\"\n        # BEGIN SOLUTION" in out


def test_assignments():
    out = inject_cell("# INJECT SOLUTION: answer, etas", SRC, "w")
    assert 'answer = "B"  # SOLUTION' in out
    assert "etas = ...\n# BEGIN SOLUTION NO PROMPT" in out


def test_cells_without_directive_are_left_alone():
    assert inject_cell("x = 1", SRC, "w") is None


def test_unknown_name_is_an_error():
    with pytest.raises(InjectError, match="no top-level definition named 'g'"):
        inject_cell("# INJECT SOLUTION: g", SRC, "week01 (master cell 3)")
