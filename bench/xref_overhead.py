"""What hooks/xref.py adds to a full `mkdocs build --strict` of the real site.

Builds the site with the project's mkdocs.yml and with a temporary config that INHERITs it minus the xref
hook, alternating the two, and prints the median wall and CPU times and their ratio. Budget: 1.10.
On a busy machine the times are noisy: `--instructions` also counts the instructions of one build of each
with valgrind's callgrind, which gives the same count whatever else the machine is doing.

    .venv/bin/python bench/xref_overhead.py [--runs 7] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOOK = "hooks/xref.py"
BUDGET = 1.10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="builds of each variant (default 7)")
    parser.add_argument("--instructions", action="store_true", help="also count instructions with callgrind")
    args = parser.parse_args()
    without = ROOT / ".bench-xref-off.yml"
    without.write_text(_config_without_hook(), "utf-8")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            variants = {"with xref": ROOT / "mkdocs.yml", "without xref": without}
            times: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
            for config in variants.values():  # warm-up: imports and disk caches
                _build(config, Path(tmp) / "site")
            counts = {name: _instructions(c, Path(tmp)) for name, c in variants.items()} if args.instructions else {}
            for run in range(args.runs):
                # ABBA order: neither variant always runs first, right after the other's writes.
                for name, config in sorted(variants.items(), reverse=run % 2 == 1):
                    times[name].append(_build(config, Path(tmp) / "site"))
                    wall, cpu = times[name][-1]
                    print(f"  {name:13} wall {wall:.3f} s  cpu {cpu:.3f} s", flush=True)
    finally:
        without.unlink()
    wall = {name: statistics.median(w for w, _ in runs) for name, runs in times.items()}
    cpu = {name: statistics.median(c for _, c in runs) for name, runs in times.items()}
    for name in times:
        print(f"{name:13} median wall {wall[name]:.3f} s   median cpu {cpu[name]:.3f} s   ({args.runs} builds)")
    ratio = wall["with xref"] / wall["without xref"]
    cpu_ratio = cpu["with xref"] / cpu["without xref"]
    added_ms = (wall["with xref"] - wall["without xref"]) * 1000
    print(f"ratio (wall) {ratio:.3f}   ratio (cpu) {cpu_ratio:.3f}   added {added_ms:.0f} ms   budget {BUDGET:.2f}")
    if counts:
        print(f"instructions: with {counts['with xref']:,}  without {counts['without xref']:,}", end="   ")
        print(f"ratio {counts['with xref'] / counts['without xref']:.3f}")
    return 0 if ratio <= BUDGET else 1


def _config_without_hook() -> str:
    from mkdocs.config import load_config

    hooks = [name for name in load_config(str(ROOT / "mkdocs.yml"))["hooks"] if name != HOOK]
    # INHERIT replaces lists, so this keeps every other hook and setting of mkdocs.yml.
    listed = "".join(f"\n  - {name}" for name in hooks) if hooks else " []"
    return f"INHERIT: mkdocs.yml\nhooks:{listed}\n"


def _instructions(config: Path, tmp: Path) -> int:
    """Instructions of one build under callgrind."""
    out = tmp / "callgrind.out"
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-m", "mkdocs", "build"]
    # No --quiet (here or in _build): MkDocs 1.6 drops warnings before --strict counts them; output is captured.
    cmd += ["--strict", "--clean", "-f", str(config), "-d", str(tmp / "site")]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    match = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode != 0 or match is None:
        sys.exit(f"callgrind build with {config.name} failed:\n{result.stderr}")
    return int(match.group(1))


def _build(config: Path, site: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one full build in a fresh process."""
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--clean",
        "-f",
        str(config),
        "-d",
        str(site),
    ]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"build with {config.name} failed:\n{result.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


if __name__ == "__main__":
    sys.exit(main())
