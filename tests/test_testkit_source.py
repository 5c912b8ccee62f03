"""testkit's static-check helpers: the student's source as the trusted side read it."""

from __future__ import annotations

from autograder import testkit

CELLS = [
    "import torch\n%matplotlib inline",  # a magic: does not parse, skipped
    "def grad(x):\n    x = torch.tensor(x, requires_grad=True)\n    (x ** 2).backward()\n    return x.grad",
    "y = 3",
    "def grad(x):\n    return 2 * x  # redefined later: this one counts\n",
    "def conv(x, w):\n    return [sum(x[i + j] * w[j] for j in range(len(w))) for i in range(len(x) - len(w) + 1)]",
]


def test_student_source_takes_the_last_definition():
    token = testkit.current_cells.set(CELLS)
    try:
        assert testkit.student_source("grad").startswith("def grad(x):\n    return 2 * x")
        assert testkit.student_source("y") == "y = 3"
        assert testkit.student_source("missing") is None
    finally:
        testkit.current_cells.reset(token)
    assert testkit.student_source("grad") is None  # no submission known (Otter compatibility mode)


def test_source_uses_and_loops():
    src = CELLS[1]
    assert testkit.source_uses(src, attributes=["backward", "grad"]) == ["backward", "grad"]
    assert testkit.source_uses(src, calls=["torch.autograd.grad"], attributes=["requires_grad="]) == ["requires_grad="]
    assert testkit.source_uses("g = torch.autograd.grad(y, x)", calls=["autograd.grad"]) == ["autograd.grad"]
    assert testkit.source_uses(CELLS[3], attributes=["backward"]) == []
    assert testkit.has_loop(CELLS[4]) and not testkit.has_loop(CELLS[3])
