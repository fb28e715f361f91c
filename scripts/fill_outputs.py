#!/usr/bin/env python3
"""Fill the ```output blocks of nnlearn lessons from real PyTorch, and verify exercises.

A dev tool for lesson authors (tests never run it). Run it with the Python that has
PyTorch installed:

    /tmp/torch/bin/python scripts/fill_outputs.py                # every lesson, en + zh
    /tmp/torch/bin/python scripts/fill_outputs.py lessons/en/03-losses.md
    /tmp/torch/bin/python scripts/fill_outputs.py --check        # report, write nothing

For each lesson it runs the ```python cells in order in one namespace, after
`torch.manual_seed(0)` (as nnlearn starts every lesson), with stand-ins for the
nnlearn extensions: `plot` records nothing and `graph` prints `<graph>`.

Output convention
- a cell already followed by an ```output block gets that block rewritten with what
  the cell printed (and loses it if the cell printed nothing);
- a cell that prints and has no block gets one, unless it calls `plot(` or `graph(`:
  live-chart cells and graph drawings keep their output out of the lesson (it is
  long, or drawn by nnlearn itself). A `graph(` cell never has a block (one is removed).

Exercises: the unedited exercise followed by its check must raise; the solution
followed by the check must not. Both run in a copy of the session (the random state is
restored afterwards). In nnlearn they run in the lesson's own session, so an exercise,
its check and its solution may only set names that no later cell reads, and the lesson
is run a second time with each solution applied after its exercise: every cell must
print the same, so that a learner's answer never changes what later cells show.

Finally the English and Chinese versions of each lesson must hold the same code:
only comments and string literals may differ.
"""

import ast
import contextlib
import io
import re
import sys
import tokenize
import traceback
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^(`{3,})(.*)$")


class Block:
    """A fenced block: `kind` is the first word of the info string."""

    def __init__(self, info, body):
        self.info = info.strip()
        self.kind = self.info.split()[0] if self.info else ""
        self.body = body

    def text(self):
        return "```" + self.info + "\n" + self.body + ("\n" if self.body else "") + "```\n"

    @property
    def is_exercise(self):
        return self.kind == "python" and "exercise" in self.info.split()[1:]

    @property
    def is_cell(self):
        return self.kind == "python" and not self.is_exercise


def parse(text):
    """Split a lesson into a list of str (plain markdown lines) and Block."""
    parts, lines, i = [], text.splitlines(keepends=True), 0
    while i < len(lines):
        m = FENCE.match(lines[i].rstrip("\n"))
        if not m:
            parts.append(lines[i])
            i += 1
            continue
        ticks, info = m.group(1), m.group(2)
        body, i = [], i + 1
        while i < len(lines) and lines[i].rstrip("\n").strip() != ticks:
            body.append(lines[i].rstrip("\n"))
            i += 1
        if i == len(lines):
            raise SystemExit(f"unclosed fence: {ticks}{info}")
        i += 1
        parts.append(Block(info, "\n".join(body)))
    return parts


def render(parts):
    return "".join(p if isinstance(p, str) else p.text() for p in parts)


def blocks(parts):
    return [p for p in parts if isinstance(p, Block)]


def fresh_session():
    torch.manual_seed(0)

    def plot(value, label="loss"):
        pass

    def graph(t):
        print("<graph>")

    return {"torch": torch, "nn": nn, "F": F, "optim": optim, "plot": plot, "graph": graph,
            "__name__": "__lesson__"}


def run(code, ns, where):
    """Run code in ns; return (stdout, error text or None)."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, where, "exec"), ns)
    except Exception:  # noqa: BLE001 - report any failure of a lesson cell
        return out.getvalue(), traceback.format_exc(limit=-1).strip().splitlines()[-1]
    return out.getvalue(), None


def attempt(code, check, ns, where):
    """Run code then check in a copy of ns; return the error line or None."""
    state = torch.get_rng_state()
    trial = dict(ns)
    _, err = run(code, trial, where)
    if err is None:
        _, err = run(check, trial, where + " check")
    torch.set_rng_state(state)
    return err


def exercise_parts(bs, i):
    """The check, hints and solution that follow exercise bs[i]."""
    check, hints, solution = None, [], None
    for b in bs[i + 1:]:
        if b.kind == "check":
            check = b.body
        elif b.kind == "hint":
            hints.append(b.body)
        elif b.kind == "solution":
            solution = b.body
        else:
            break
    return check, hints, solution


def execute(path, parts, apply_solutions, problems):
    """Run every cell of a lesson; return the list of each cell's stdout."""
    ns, outputs, bs = fresh_session(), [], blocks(parts)
    for i, b in enumerate(bs):
        where = f"{path.name} block {i + 1}"
        if b.is_cell:
            out, err = run(b.body, ns, where)
            if err:
                problems.append(f"{where}: cell raised {err}")
            outputs.append(out)
        elif b.is_exercise:
            check, hints, solution = exercise_parts(bs, i)
            if apply_solutions:
                if solution is not None:
                    run(solution, ns, where + " solution")
                continue
            ident = b.info
            if check is None or solution is None or not hints:
                problems.append(f"{where}: {ident} needs a check, a hint and a solution")
                continue
            if attempt(b.body, check, ns, where) is None:
                problems.append(f"{where}: unedited {ident} passes its check")
            err = attempt(solution, check, ns, where)
            if err is not None:
                problems.append(f"{where}: solution of {ident} fails its check: {err}")
    return outputs


def fill(parts, outputs):
    """Rewrite, add or drop the output blocks after the cells."""
    result, cells, i = [], iter(outputs), 0
    while i < len(parts):
        p = parts[i]
        result.append(p)
        i += 1
        if not (isinstance(p, Block) and p.is_cell):
            continue
        out = next(cells).rstrip("\n")
        j = i
        while j < len(parts) and isinstance(parts[j], str) and parts[j].strip() == "":
            j += 1
        has_block = j < len(parts) and isinstance(parts[j], Block) and parts[j].kind == "output"
        shows_output = "graph(" not in p.body and out != ""
        if has_block:
            if shows_output:
                parts[j].body = out
            else:
                del parts[i:j + 1]
        elif shows_output and "plot(" not in p.body:
            result.append(Block("output", out))
    return result


def code_shape(code):
    """The code with comments dropped and every string literal replaced by a marker."""
    toks = []
    try:
        for t in tokenize.generate_tokens(io.StringIO(code + "\n").readline):
            if t.type == tokenize.COMMENT or t.type in (tokenize.NL, tokenize.INDENT, tokenize.DEDENT):
                continue
            toks.append("<str>" if t.type == tokenize.STRING else t.string)
    except (tokenize.TokenError, SyntaxError):
        return code
    return " ".join(toks)


def compare_languages(en, zh, problems):
    be = [b for b in blocks(parse(en.read_text())) if b.kind in ("python", "check", "solution")]
    bz = [b for b in blocks(parse(zh.read_text())) if b.kind in ("python", "check", "solution")]
    if len(be) != len(bz):
        problems.append(f"{zh}: {len(bz)} code blocks, English has {len(be)}")
        return
    for n, (a, b) in enumerate(zip(be, bz)):
        if a.info != b.info or code_shape(a.body) != code_shape(b.body):
            problems.append(f"{zh.name}: code block {n + 1} differs from English ({a.info})")


def names(code, kinds):
    """Names in code whose context is one of kinds (ast.Store, ast.Load), and defined functions."""
    found = set()
    for n in ast.walk(ast.parse(code)):
        if isinstance(n, ast.Name) and isinstance(n.ctx, kinds):
            found.add(n.id)
        elif isinstance(n, ast.FunctionDef) and ast.Store in kinds:
            found.add(n.name)
    return found


def isolation(path, parts, problems):
    """An exercise (edited or not) must not set a name that a later cell reads."""
    bs = blocks(parts)
    for i, b in enumerate(bs):
        if not b.is_exercise:
            continue
        check, _, solution = exercise_parts(bs, i)
        written = set()
        for code in (b.body, check or "", solution or ""):
            written |= names(code, (ast.Store,))
        read = set()
        for later in bs[i + 1:]:
            if later.is_cell:
                read |= names(later.body, (ast.Load,))
        if written & read:
            problems.append(f"{path.name}: {b.info} sets {sorted(written & read)}, read by later cells")


def curriculum(path, parts, problems):
    bs = blocks(parts)
    if not parts or parts[0].strip() != "---":
        problems.append(f"{path.name}: no front matter")
    if path.name.startswith("00"):
        return
    if sum(b.is_exercise for b in bs) < 2:
        problems.append(f"{path.name}: fewer than two exercises")
    if not any(b.is_cell and "plot(" in b.body for b in bs):
        problems.append(f"{path.name}: no cell plots")


def main(argv):
    write = "--check" not in argv
    paths = [Path(a) for a in argv if not a.startswith("--")]
    if not paths:
        paths = sorted((ROOT / "lessons").glob("*/*.md"))
    problems = []
    for path in paths:
        parts = parse(path.read_text())
        curriculum(path, parts, problems)
        isolation(path, parts, problems)
        outputs = execute(path, parts, False, problems)
        with_solutions = execute(path, parts, True, [])
        for n, (a, b) in enumerate(zip(outputs, with_solutions)):
            if a != b:
                problems.append(f"{path.name}: cell {n + 1} prints otherwise once solutions ran")
        new = render(fill(parts, outputs))
        if write and new != path.read_text():
            path.write_text(new)
            print(f"updated {path}")
        elif new != path.read_text():
            problems.append(f"{path}: outputs are not up to date")
    for en in sorted((ROOT / "lessons" / "en").glob("*.md")):
        zh = ROOT / "lessons" / "zh" / en.name
        if zh.exists():
            compare_languages(en, zh, problems)
        else:
            problems.append(f"{zh}: missing")
    for p in problems:
        print("PROBLEM:", p)
    print(f"{len(paths)} lessons, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
