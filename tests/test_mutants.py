"""Mutation scores: the operators, the equivalence probe, MUTATION.md, and one real run.

- Each operator family produces its intended change on a small function.
- The probe (``autograder/mutation/kernel.py``, run here in-process on our own toy functions;
  in production it runs in the sandbox) drops an equivalent mutant and keeps a changed one.
- assignments/MUTATION.md was computed from the current masters and references (hashes only,
  nothing is re-run) and meets the floor for deterministic questions.
- A real run on a copy of the toy course with an equivalent-prone reference and a weakened test:
  exact counts of killed, survived and equivalent mutants.
"""

from __future__ import annotations

import ast
import importlib.util
import shutil
import textwrap

import nbformat
import numpy as np
import pytest
from helpers import FIXTURES, ROOT

from autograder import config
from autograder.mutation import operators as ops
from autograder.mutation import report
from autograder.mutation.engine import MutationError, interleave, plan_week, question_definitions, run_week


def _mutants(src: str, op: ops.Operator) -> list[str]:
    node = ast.parse(textwrap.dedent(src)).body[0]
    return [m.source for m in ops.mutants_of(node, node.name, [op])]


def _bodies(src: str, op: ops.Operator) -> set[str]:
    """The mutated return/statement lines (the docstring-free last line of each mutant)."""
    return {m.splitlines()[-1].strip() for m in _mutants(src, op)}


def test_arithmetic_and_comparison_swaps():
    assert _bodies("def f(a, b):\n    return a + b * c", ops.ArithmeticSwap()) == {"return a - b * c", "return a + b / c"}
    assert _bodies("def f(a, b):\n    return a < b", ops.ComparisonSwap()) == {"return a <= b"}
    assert _bodies("def f(a, b):\n    return a is not None and b", ops.ComparisonSwap()) == {
        "return a is not None or b", "return a is None and b"}


def test_constants_change_but_not_docstrings_or_booleans():
    src = 'def f(x, flag=True):\n    """doc 3"""\n    return x * 3'
    assert _bodies(src, ops.ConstantChange()) == {"return x * 4", "return x * 2", "return x * 6", "return x * 0"}
    assert all('"""doc 3"""' in m for m in _mutants(src, ops.ConstantChange()))
    assert all("flag=True" in m for m in _mutants(src, ops.ConstantChange()))


def test_axis_swap_args_statement_term_detach_reduction_transpose_sign():
    assert _bodies("def f(x):\n    return x.sum(dim=0)", ops.AxisChange()) == {"return x.sum(dim=1)", "return x.sum(dim=-1)"}
    assert _bodies("def f(x):\n    return x.mean(1, keepdim=True)", ops.AxisChange()) == {
        "return x.mean(1, keepdim=False)", "return x.mean(0, keepdim=True)", "return x.mean(-1, keepdim=True)"}
    assert _bodies("def f(a, b):\n    return g(a, b)", ops.ArgumentSwap()) == {"return g(b, a)"}
    assert _bodies("def f(A, B):\n    return A @ B", ops.ArgumentSwap()) == {"return B @ A"}
    dropped = _mutants("def f(opt):\n    opt.zero_grad()\n    opt.step()", ops.StatementDrop())
    assert [m.splitlines()[1:] for m in dropped] == [["    pass", "    opt.step()"], ["    opt.zero_grad()", "    pass"]]
    assert _bodies("def f(x, w, b):\n    return x @ w + b", ops.TermDrop()) == {"return x @ w", "return b"}
    assert _bodies("def f(n):\n    return nn.Linear(n, 1, bias=True)", ops.TermDrop()) == {"return nn.Linear(n, 1, bias=False)"}
    assert _bodies("def f(w):\n    return w.detach()", ops.GradControlDrop()) == {"return w"}
    no_grad = _mutants("def f(w):\n    with torch.no_grad():\n        w.zero_()", ops.GradControlDrop())
    assert len(no_grad) == 1 and "no_grad" not in no_grad[0] and "w.zero_()" in no_grad[0]
    assert _bodies("def f(x):\n    return torch.mean(x)", ops.ReductionSwap()) == {"return torch.sum(x)"}
    assert _bodies("def f(x, A):\n    return x @ A.T", ops.TransposeChange()) == {"return x @ A"}
    assert _bodies("def f(x, A):\n    return x @ A", ops.TransposeChange()) == {"return x @ A.T"}
    assert _bodies("def f(x):\n    return -x", ops.SignDrop()) == {"return x"}


def test_mutant_carries_a_diff_and_duplicates_are_dropped():
    node = ast.parse("def f(x):\n    return x - 0\n").body[0]
    ms = list(ops.mutants_of(node, "f"))
    sources = [m.source for m in ms]
    assert len(sources) == len(set(sources)) and ast.unparse(node) not in sources
    m = next(m for m in ms if m.operator == "arithmetic")
    assert "-    return x - 0" in m.diff and "+    return x + 0" in m.diff and m.where.startswith("line 2:")


def test_interleave_round_robins_operator_families():
    node = ast.parse("def f(x):\n    return (x + 1) * 2 - x.sum(0)\n").body[0]
    order = [m.operator for m in interleave(list(ops.mutants_of(node, "f")))]
    first = order[: len(set(order))]
    assert len(set(first)) == len(first), order  # every family once before any family twice


@pytest.fixture
def probe_kernel():
    spec = importlib.util.spec_from_file_location("_ag_mutation_test", ROOT / "autograder/mutation/kernel.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_probe_drops_equivalent_and_keeps_changed_mutants(probe_kernel):
    k = probe_kernel
    ns = {"np": np}
    exec("def f(x):\n    return np.asarray(x) * 2 + 0\n", ns)
    k.wrap(ns, ["f"])
    ns["f"](np.arange(3.0))       # what a test would do on the reference: records the input
    ns["f"](x=np.ones((2, 2)))
    k.unwrap(ns)
    assert k.reference(ns) == {"f": 2}
    equivalent = k.probe(ns, "def f(x):\n    return np.asarray(x) * 2 - 0\n", ["f"], "f")
    changed = k.probe(ns, "def f(x):\n    return np.asarray(x) * 3 + 0\n", ["f"], "f")
    raises = k.probe(ns, "def f(x):\n    return np.asarray(x)[5]\n", ["f"], "f")
    assert equivalent["equivalent"] is True
    assert changed == {"equivalent": False, "why": "f: output differs on a probe input"}
    assert raises["equivalent"] is False
    as_float32 = k.probe(ns, "def f(x):\n    return (np.asarray(x) * 2 + 0).astype(np.float32)\n", ["f"], "f")
    as_int = k.probe(ns, "def f(x):\n    return (np.asarray(x) * 2 + 0).astype(int)\n", ["f"], "f")
    assert as_float32["equivalent"] is True and as_int["equivalent"] is False  # precision is not an answer


def test_probe_needs_the_mutated_code_to_run(probe_kernel):
    """A mutant of a helper the probe never reaches is kept (not proven equivalent)."""
    k = probe_kernel
    ns = {}
    exec("def helper(x):\n    return x + 1\n\ndef f(x):\n    return 2 * x\n", ns)
    k.wrap(ns, ["helper", "f"])
    ns["f"](3)
    k.unwrap(ns)
    k.reference(ns)
    src = "def helper(x):\n    return x - 1\n\ndef f(x):\n    return 2 * x\n"
    assert k.probe(ns, src, ["helper", "f"], "helper") == {"equivalent": False,
                                                          "why": "mutated code not reached by the probe"}


def test_probe_compares_classes_through_their_methods(probe_kernel):
    import torch

    k = probe_kernel
    ns = {"torch": torch, "nn": torch.nn}
    src = ("class Net(nn.Module):\n    def __init__(self, d):\n        super().__init__()\n"
           "        self.lin = nn.Linear(d, 2)\n\n    def forward(self, x):\n        return self.lin(x) {}\n")
    exec(src.format(""), ns)
    k.wrap(ns, ["Net"])
    ns["Net"](3)(torch.ones(4, 3))
    k.unwrap(ns)
    assert k.reference(ns) == {"Net": 2}  # the constructor call and the forward call
    assert k.probe(ns, src.format("* 1"), ["Net"], "Net")["equivalent"] is True
    assert k.probe(ns, src.format("* 2"), ["Net"], "Net")["equivalent"] is False


def test_question_definitions_follow_inject_lines():
    defs = question_definitions(ROOT / "assignments/week01/week01.ipynb")
    assert defs["q_w01_e1a"] == ["sigmoid", "perceptron"]
    plan = plan_week(ROOT / "assignments/week01/week01.ipynb", ROOT / "solutions/week01.py", ["q_w01_e1a"])
    assert plan.kinds == {"q_w01_e1a": "function"} and len(plan.candidates["q_w01_e1a"]) >= 4
    with pytest.raises(MutationError, match="no question named q_nope"):
        plan_week(ROOT / "assignments/week01/week01.ipynb", ROOT / "solutions/week01.py", ["q_nope"])


COURSE = config.load(ROOT / "course.yml")


@pytest.mark.parametrize("week_id", [w.id for w in COURSE.weeks])
def test_mutation_md_matches_the_current_masters(week_id):
    """A week's section of assignments/MUTATION.md must be recomputed (`autograder mutants weekNN`)
    when its master or reference changes. A week not computed yet is reported as skipped."""
    week = COURSE.week(week_id)
    rec = report.recorded(report.default_path(COURSE)).get(week_id)
    if rec is None:
        pytest.skip(f"{week_id}: no section in MUTATION.md yet (run `autograder mutants {week_id}`)")
    assert rec[0] == report.inputs_hash(COURSE, week), \
        f"MUTATION.md is out of date for {week_id}: run `autograder mutants {week_id}`"


def test_report_sections_round_trip(tmp_path):
    from autograder.mutation.engine import QuestionMutation

    path = tmp_path / "MUTATION.md"
    r = QuestionMutation("q1", "function", ["f"], killed=9)
    m = ops.Mutant("f", "constant", "line 2: 1 → 2", "def f(): return 2", "-1\n+2\n")
    r.survivors.append(m)
    t = QuestionMutation("q2", "training", ["train_f"], killed=3, survivors=[m], accepted={m.key: "yalnızca hız değişir"})
    report.write_week(path, report.render_week("week02", "a" * 64, 30, [r, t]), "week02")
    report.write_week(path, report.render_week("week01", "b" * 64, 30, []), "week01")
    text = path.read_text()
    assert text.index("## week01") < text.index("## week02") and "```diff\n-1\n+2\n```" in text
    assert f"`{m.key}` `constant` f, line 2: 1 → 2 — accepted: yalnızca hız değişir" in text
    assert report.recorded(path)["week02"] == ("a" * 64, {"q1": ("function", "90 %"), "q2": ("training", "75 %")})
    assert report.below_floor([r, t]) == []
    r.killed, t.accepted = 8, {}
    assert report.below_floor([r, t]) == [r, t]


def test_scores_only_while_the_inputs_match(tmp_path):
    root = tmp_path / "toy"
    shutil.copytree(FIXTURES / "toycourse", root, ignore=shutil.ignore_patterns("build"))
    course = config.load(root / "course.yml")
    week = course.week("week01")
    from autograder.mutation.engine import QuestionMutation

    section = report.render_week("week01", report.inputs_hash(course, week), 30,
                                 [QuestionMutation("q1", "function", ["square"], killed=1)])
    report.write_week(report.default_path(course), section, "week01")
    assert report.scores(course, week) == {"q1": "100 %"} and report.stale_weeks(course) == []
    sol = root / "solutions" / "week01.py"
    sol.write_text(sol.read_text() + "\n# edited\n")
    assert report.scores(course, week) == {} and report.stale_weeks(course) == ["week01"]


def test_accepted_survivors_are_read_from_the_question_cells(tmp_path):
    from autograder.mutation.engine import accepted_survivors

    master = tmp_path / "m.ipynb"
    nb = nbformat.read(FIXTURES / "toycourse/assignments/week01/week01.ipynb", as_version=4)
    i = next(i for i, c in enumerate(nb.cells) if "def test_scale_hidden" in c.source)
    nb.cells[i].source += "\n    # MUTANT OK 0123abcd: yalnızca eğitim hızı değişir"
    nbformat.write(nb, master)
    assert accepted_survivors(master) == {"q2": {"0123abcd": "yalnızca eğitim hızı değişir"}}


@pytest.mark.slow
def test_real_run_on_the_toy_course(tmp_path):
    """A copy of the toy course whose ``square`` has equivalent mutants and whose q2 tests only
    check the length: q1 kills all 4 non-equivalent mutants and drops 2 equivalent ones; q2's
    single mutant survives."""
    root = tmp_path / "toy"
    shutil.copytree(FIXTURES / "toycourse", root, ignore=shutil.ignore_patterns("build"))
    sol = root / "solutions" / "week01.py"
    sol.write_text(sol.read_text().replace("    return x * x\n", "    return x * x + 0\n"))
    master = root / "assignments" / "week01" / "week01.ipynb"
    nb = nbformat.read(master, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "def test_scale_" in cell.source:
            head = cell.source.split("def test_scale_")[0]
            name = "hidden" if "hidden: true" in head else "public"
            cell.source = f"{head}def test_scale_{name}(scale):\n    assert len(scale([1.0, 2.0, 3.0], 2.0)) == 3"
    nbformat.write(nb, master)
    course = config.load(root / "course.yml")
    results = {r.question: r for r in run_week(course, course.week("week01"), ["q1", "q2"], max_mutants=10)}
    q1, q2 = results["q1"], results["q2"]
    assert (q1.mutants, q1.killed, q1.equivalent, q1.invalid) == (4, 4, 2, 0)
    assert (q2.mutants, q2.killed, len(q2.survivors)) == (1, 0, 1)
    assert q2.survivors[0].operator == "arithmetic" and "/ a" in q2.survivors[0].diff
    assert q2.score == 0.0 and report.below_floor([q1, q2]) == [q2]
