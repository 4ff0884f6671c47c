"""The books' share of a build: the PDF typeset and the EPUB packed (cold), or both copied from .cache/books (warm).

    .venv/bin/python -m bench.books [--runs N]

Builds a copy of the project (never the real docs/) with `mkdocs build --strict`, N times with the books' cache
emptied before each build and N times with it full, and reads the time hooks/books.py logs for its step
(`books: … in 1.23 s`), with each whole build's wall time beside it. The diagrams come from their cache in
every run, as in any build after the first. `rows()` gives the table rows for `python -m bench`.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.table import Row, render
from tests.sitebuild import build, copy_project

HOOK_LINE = re.compile(r"books: (?P<what>.+) in (?P<seconds>[\d.]+) s")


def measure(project: Path, out: Path, *, runs: int) -> dict[str, list[tuple[float, float]]]:
    """{"cold": [(hook seconds, build seconds)], "warm": [...]}, `runs` builds each."""
    found: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": []}
    for state in ("cold", "warm"):
        for _ in range(runs):
            if state == "cold":
                shutil.rmtree(project / ".cache" / "books", ignore_errors=True)
            started = time.perf_counter()
            result = build(out, project=project)
            wall = time.perf_counter() - started
            if result.returncode != 0:
                raise SystemExit(f"build failed:\n{result.stderr}")
            line = HOOK_LINE.search(result.stderr)
            if line is None:
                raise SystemExit(f"no books line in the build's log:\n{result.stderr}")
            expected = "typeset" if state == "cold" else "from cache"
            if expected not in line["what"]:
                raise SystemExit(f"a {state} build said: {line[0]}")
            found[state].append((float(line["seconds"]), wall))
    return found


def rows(found: dict[str, list[tuple[float, float]]]) -> list[Row]:
    labels = {"cold": "PDF typeset, EPUB packed", "warm": "both copied from .cache/books"}
    table = []
    for state, timings in found.items():
        hook = statistics.median(t[0] for t in timings)
        wall = statistics.median(t[1] for t in timings)
        table.append(
            Row(
                f"books {state}: {labels[state]}, median of {len(timings)}",
                f"{hook:.2f} s (whole build {wall:.2f} s)",
            )
        )
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-books-") as tmp:
        project = copy_project(Path(tmp) / "project")
        found = measure(project, Path(tmp) / "site", runs=max(1, args.runs))
    print(render(rows(found)))


if __name__ == "__main__":
    main()
