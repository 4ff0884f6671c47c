"""Cold vs warm cost of the diagram check: build a copy of the project with an empty diagram cache, then again.

    .venv/bin/python bench/diagram_cache.py [--warm-runs N]

Prints the hook's own time (its log line) and the whole build's wall time for each run.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.sitebuild import build, copy_project

HOOK_LINE = re.compile(r"diagrams: (\d+) checked, (\d+) rendered, (\d+) from cache, in ([\d.]+) s")


def run(project: Path, dest: Path, label: str) -> None:
    started = time.perf_counter()
    result = build(dest, project=project)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(result.stderr)
    checked, rendered, cached, seconds = HOOK_LINE.search(result.stderr).groups()
    print(
        f"{label:>6}: {checked} diagrams, {rendered} rendered, {cached} from cache; "
        f"hook {float(seconds):.3f} s; whole build {wall:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warm-runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "project")
        shutil.rmtree(project / ".cache", ignore_errors=True)
        run(project, Path(tmp) / "site", "cold")
        for n in range(args.warm_runs):
            run(project, Path(tmp) / "site", f"warm{n + 1}")


if __name__ == "__main__":
    main()
