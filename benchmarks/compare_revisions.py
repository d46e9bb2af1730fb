"""Benchmarks of two revisions in one run, alternating, so that both meet the same machine load:
each revision's own scripts run from a temporary ``git worktree`` of it, ``--runs`` times each,
before and after in turn. Prints the median of every timed line of a script's output and the
ratio after/before, for a change that must not cost speed (a restructuring: within 10%).

    python benchmarks/compare_revisions.py --before 36c91c8 "replay_speed.py --skip-reference" \
        contract_parsing.py

A script's options go with it, in quotes.

``--after`` defaults to the working tree as it is (uncommitted changes included). A timed line
is one with a figure in seconds or milliseconds; its label is the text before the figure.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIGURE = re.compile(r"(\d[\d,]*\.?\d*)\s*(ms|s)\b")


def timed_lines(output: str) -> dict[str, float]:
    """Seconds by label: the first figure in s or ms on each line, its label the text before."""
    found: dict[str, float] = {}
    for line in output.splitlines():
        match = FIGURE.search(line)
        if match is None:
            continue
        label = line[: match.start()].strip().rstrip(":").strip()
        if not label or label in found:
            continue
        value = float(match.group(1).replace(",", ""))
        found[label] = value / 1000 if match.group(2) == "ms" else value
    return found


def run(tree: Path, script: str) -> dict[str, float]:
    name, *options = shlex.split(script)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, str(tree / "benchmarks" / name), *options],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{script} in {tree} failed:\n{out.stderr[-2000:]}")
    return timed_lines(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "scripts", nargs="+", help="benchmark scripts in benchmarks/, each with its options"
    )
    parser.add_argument("--before", required=True, help="the revision to compare against")
    parser.add_argument("--after", help="a revision (default: the working tree as it is)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        trees = {}
        for name, rev in (("before", args.before), ("after", args.after)):
            if rev is None:
                trees[name] = REPO
                continue
            tree = Path(scratch) / name
            subprocess.run(["git", "worktree", "add", "-q", "--detach", str(tree), rev], check=True)
            trees[name] = tree
        shared = REPO.parent / "shared"  # the real incident data, found at ../shared
        for tree in trees.values():
            if tree != REPO and shared.exists() and not (tree.parent / "shared").exists():
                (tree.parent / "shared").symlink_to(shared)
        try:
            for script in args.scripts:
                times: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
                for _ in range(args.runs):
                    for name, tree in trees.items():
                        for label, value in run(tree, script).items():
                            times[label][name].append(value)
                print(f"{script} ({args.runs} runs each, alternating; {os.cpu_count()} cores)")
                for label, by in times.items():
                    if len(by) < 2:
                        continue
                    before, after = (statistics.median(by[n]) for n in ("before", "after"))
                    ratio = after / before if before else float("nan")
                    print(f"  {label[:60]:60} {before:10.4g} s {after:10.4g} s  {ratio:5.2f}x")
        finally:
            for tree in trees.values():
                if tree != REPO:
                    subprocess.run(["git", "worktree", "remove", "--force", str(tree)], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
