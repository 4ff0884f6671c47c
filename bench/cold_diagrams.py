"""Cold diagram drawing on every core against one: the generated site's distinct diagrams drawn into an empty
cache with hooks/diagram_render.py's `DiagramCache(dir).render_all(sources, workers=…)`.

Each run is a fresh Python process, as a cold build is: it pays for starting its V8 engines, and no engine is
left over from the other run. Only the `render_all` call is timed (not Python's imports).

    .venv/bin/python -m bench.cold_diagrams [--count 100]   # both runs, one core first; prints the speed-up
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import hook_module
from bench.generated_site import diagram_sources

ROOT = Path(__file__).resolve().parent.parent
DIAGRAMS = 100


@dataclass(frozen=True)
class ColdDrawing:
    count: int
    cores: int
    all_cores: float  # seconds, workers=None
    one_core: float  # seconds, workers=1

    @property
    def ratio(self) -> float:
        """All cores' time over one core's: below 1 when the cores help."""
        return self.all_cores / self.one_core

    @property
    def speedup(self) -> float:
        return self.one_core / self.all_cores


def measure(cache_dir: Path, *, count: int = DIAGRAMS) -> ColdDrawing:
    """Draw `count` distinct diagrams cold on one core, then on every core (into `cache_dir`, kept afterwards)."""
    one_core = _run(cache_dir.with_name(cache_dir.name + "-one-core"), count, workers=1)
    all_cores = _run(cache_dir, count, workers=None)
    return ColdDrawing(count, os.cpu_count() or 1, all_cores=all_cores, one_core=one_core)


def _run(cache_dir: Path, count: int, *, workers: int | None) -> float:
    """Seconds one fresh process takes to draw the diagrams into the empty `cache_dir`."""
    if cache_dir.exists() and any(cache_dir.iterdir()):
        raise RuntimeError(f"{cache_dir} is not empty: the drawing would not be cold")
    cmd = [sys.executable, "-m", "bench.cold_diagrams", "--draw", str(cache_dir), "--count", str(count)]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"cold drawing (workers={workers}) failed:\n{result.stderr}")
    return float(json.loads(result.stdout.splitlines()[-1])["seconds"])


def draw(cache_dir: Path, count: int, workers: int | None) -> float:
    """Draw the first `count` generated diagrams into `cache_dir`; check that each was drawn, and cached whole."""
    sources = diagram_sources(count)
    cache = hook_module("diagram_render").DiagramCache(cache_dir)
    started = time.perf_counter()
    results = cache.render_all(sources, workers=workers)
    seconds = time.perf_counter() - started
    failed = [source.split("\n")[1] for source, (outcome, _) in results.items() if outcome.svg is None]
    from_cache = sum(not drawn for _, drawn in results.values())
    entries = sorted(path.name for path in cache_dir.iterdir())
    if failed or from_cache or len(results) != count:
        raise RuntimeError(f"{len(results)} drawn, {from_cache} from cache, failed: {failed}")
    # The cache is written by rename: one whole entry per diagram, no temporary file left behind.
    if len(entries) != count or not all(name.endswith(".json") for name in entries):
        raise RuntimeError(f"cache holds {entries[:5]}… ({len(entries)} files), not {count} entries")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=DIAGRAMS, help="distinct diagrams (default 100)")
    parser.add_argument("--draw", type=Path, help="(internal) draw once into this empty cache directory")
    parser.add_argument("--workers", type=int, default=None, help="(with --draw) engines; default one per core")
    args = parser.parse_args()
    if args.draw is not None:
        print(json.dumps({"seconds": draw(args.draw, args.count, args.workers)}))
        return
    with tempfile.TemporaryDirectory(prefix="cold-diagrams-") as tmp:
        result = measure(Path(tmp) / "cache", count=args.count)
    print(f"{result.count} diagrams cold: one core {result.one_core:.1f} s, all {result.cores} cores ", end="")
    print(f"{result.all_cores:.1f} s: ratio {result.ratio:.2f}×, speed-up {result.speedup:.2f}×")


if __name__ == "__main__":
    main()
