"""A seeded mutation fuzz of the example project (the repository root).

Each run copies the example's own files (report.yaml, content/, data/), mutates one or
a few of them (lines deleted, duplicated or swapped, numbers made huge, hostile text
inserted, files cut short), runs `reportgen validate` and, when that finds no error,
`reportgen build --html-only`. The only outcomes allowed are a result or diagnostics:
no exit 2, no traceback, and every diagnostic has a file and a line (CSV: a row).

The test suite runs a few fixed seeds (tests/test_fuzz.py); a longer run:

    make fuzz RUNS=500 SEED=7
    .venv/bin/python -m tests.fuzz --runs 500 --seed 7
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from typer.testing import CliRunner

from reportgen.cli import app
from tests.conftest import copy_project

# Text the mutations insert: each format's special characters, references, hostile
# characters and numbers at the edges of what the types hold.
HOSTILE = [
    "",
    " ",
    "\t",
    ":",
    ": ",
    "- ",
    "#",
    "'",
    '"',
    "[",
    "]",
    "{",
    "}",
    ",",
    "|",
    ">",
    "&a",
    "*a",
    "!!python/object:os.system",
    "~",
    "null",
    "NO",
    "yes",
    "1e309",
    ".nan",
    "-1",
    "0",
    "-0",
    "0.5",
    "9" * 5000,
    "1" * 30,
    "£1,234",
    "45%",
    "N/A",
    "2024-02-30",
    "1900-01-01",
    "9999-12-31",
    "TBC",
    "$x$",
    "Spend $5k vs $10k",
    r"$\frac{1}{0}$",
    r"$\undefinedcommand$",
    "{{",
    "}}",
    "{{ }}",
    "{{{ indicator.cp_plans }}}",
    "{{ indicator.x",
    "{{x}",
    "{{ table budget.income }}",
    "{{ chart nothing.here }}",
    "{% raw %}",
    "<script>alert(1)</script>",
    "](javascript:alert(1))",
    "![](/etc/passwd)",
    "\x00",
    "\x1b",
    "\x7f",
    "\x02",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\r",
    "\r\n",
    "\U0001f600",
    "\u202e",
]


# The kinds of mutation, some more often than others.
MUTATIONS = [
    *("delete", "duplicate", "swap", "cut", "char", "number", "indent", "blank"),
    *("insert", "insert", "insert", "value", "value"),
]


@dataclass
class Finding:
    """One run that broke a rule: how to replay it and what went wrong."""

    seed: int
    mutations: list[str]
    problem: str


@dataclass
class FuzzResult:
    runs: int = 0
    built: int = 0  # runs that validated and went on to build
    findings: list[Finding] = field(default_factory=list)


def copy_example(target: Path) -> Path:
    return copy_project(target / "project")


def _files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.suffix in (".yaml", ".yml", ".csv", ".md") and "build" not in p.parts
    )


def mutate(root: Path, rng: random.Random) -> str:
    """Change one file of the project at `root`; say what was done."""
    path = rng.choice(_files(root))
    rel = path.relative_to(root).as_posix()
    text = path.read_bytes().decode("utf-8", errors="surrogateescape")
    lines = text.split("\n")
    kind = rng.choice(MUTATIONS)
    n = rng.randrange(len(lines))
    if kind == "delete":
        del lines[n]
    elif kind == "duplicate":
        lines.insert(n, lines[n])
    elif kind == "swap":
        m = rng.randrange(len(lines))
        lines[n], lines[m] = lines[m], lines[n]
    elif kind == "insert":
        token = rng.choice(HOSTILE)
        col = rng.randint(0, len(lines[n]))
        lines[n] = lines[n][:col] + token + lines[n][col:]
        kind = f"insert {token[:20]!r} at {n + 1}:{col + 1}"
    elif kind == "number":
        digits = [i for i, c in enumerate(text) if c.isdigit()]
        if digits:
            at = rng.choice(digits)
            token = rng.choice(["9" * 5000, "0", "-5", "1" * 25, "3", "0.0001", "99999999"])
            text = text[:at] + token + text[at + 1 :]
            lines = text.split("\n")
            kind = f"number {token[:10]!r} at offset {at}"
    elif kind == "cut":
        text = "\n".join(lines)
        at = rng.randrange(len(text) + 1)
        lines = text[:at].split("\n")
        kind = f"cut at offset {at}"
    elif kind == "value":
        # A whole value replaced: after a YAML key, or one CSV cell.
        token = rng.choice(HOSTILE)
        line = lines[n]
        if ": " in line:
            lines[n] = line[: line.index(": ") + 2] + token
        elif "," in line:
            cells = line.split(",")
            cells[rng.randrange(len(cells))] = token
            lines[n] = ",".join(cells)
        else:
            lines[n] = token
        kind = f"value {token[:20]!r} on line {n + 1}"
    elif kind == "indent":
        shift = rng.choice([-4, -2, -1, 1, 2, 4])
        line = lines[n]
        lines[n] = " " * shift + line if shift > 0 else line[-shift:]
        kind = f"indent {shift:+d} on line {n + 1}"
    elif kind == "blank":
        lines.insert(n, rng.choice(["", " ", ",,,", ",", "-", "  -"]))
        kind = f"blank line at {n + 1}"
    else:
        line = lines[n]
        if line:
            col = rng.randrange(len(line))
            char = chr(rng.choice([0x20, 0x2C, 0x3A, 0x22, 0x7B, 0x7D, 0x2D, 0x30, 0x41, 0xA0]))
            lines[n] = line[:col] + char + line[col + 1 :]
            kind = f"char {char!r} at {n + 1}:{col + 1}"
    path.write_bytes("\n".join(lines).encode("utf-8", errors="surrogateescape"))
    return f"{rel}: {kind}"


def _unlocated(document: dict[str, object]) -> list[str]:
    out: list[str] = []
    for d in document.get("diagnostics", []):  # type: ignore[attr-defined]
        loc = d.get("location") or {}
        if not loc.get("path") or (loc.get("line") is None and loc.get("row") is None):
            out.append(f"{d['code']} at {loc}: {d['message'][:120]}")
    return out


def check_project(root: Path, runner: CliRunner) -> str | None:
    """Validate (and build, if valid) the project; the broken rule, or None."""
    done = runner.invoke(app, ["validate", str(root), "--format", "json"])
    if done.exit_code not in (0, 1):
        return f"validate exit {done.exit_code}: {done.output[-600:]}"
    if "Traceback" in done.output:
        return f"validate printed a traceback: {done.output[-600:]}"
    try:
        document = json.loads(done.stdout)
    except ValueError:
        return f"validate --format json printed no JSON: {done.output[-600:]}"
    unlocated = _unlocated(document)
    if unlocated:
        return "diagnostics without file and line: " + "; ".join(unlocated[:5])
    if done.exit_code == 0:
        built = runner.invoke(app, ["build", str(root), "--html-only", "--format", "json"])
        if built.exit_code != 0 or "Traceback" in built.output:
            return (
                f"validate passed, build --html-only exit {built.exit_code}: {built.output[-600:]}"
            )
    return None


def run_one(seed: int, runner: CliRunner) -> tuple[Finding | None, bool]:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="reportgen-fuzz-") as tmp:
        root = copy_example(Path(tmp))
        mutations = [mutate(root, rng) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
        try:
            problem = check_project(root, runner)
        except Exception as exc:  # the runner itself: report it as a finding
            problem = f"{type(exc).__name__}: {exc}"
        valid = problem is None and (root / "build").is_dir()
    return (Finding(seed, mutations, problem) if problem else None), valid


def fuzz(
    seeds: Iterator[int],
    *,
    runs: int,
    seconds: float | None = None,
    min_runs: int = 1,
    report: Callable[[str], None] | None = None,
) -> FuzzResult:
    """Run `runs` mutated projects (or, when `seconds` pass first, at least `min_runs`)."""
    runner = CliRunner()
    result = FuzzResult()
    started = time.monotonic()
    for seed in seeds:
        late = seconds is not None and time.monotonic() - started > seconds
        if result.runs >= runs or (late and result.runs >= min_runs):
            break
        finding, built = run_one(seed, runner)
        result.runs += 1
        result.built += built
        if finding is not None:
            result.findings.append(finding)
            if report is not None:
                report(f"seed {seed}: {' | '.join(finding.mutations)}\n    {finding.problem}\n")
        if report is not None and result.runs % 50 == 0:
            report(f"... {result.runs} runs, {len(result.findings)} findings")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument(
        "--seed", type=int, default=1, help="first seed; runs use seed, seed+1, ..."
    )
    args = parser.parse_args(argv)
    result = fuzz(
        iter(range(args.seed, args.seed + args.runs)),
        runs=args.runs,
        report=lambda line: print(line, flush=True),
    )
    print(
        f"{result.runs} runs (seeds {args.seed}..{args.seed + args.runs - 1}), "
        f"{result.built} validated and built, {len(result.findings)} findings"
    )
    return 1 if result.findings else 0


if __name__ == "__main__":
    sys.exit(main())
