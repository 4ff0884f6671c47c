"""Full `mkdocs build --strict` of a site against bare Material on the same docs/: the real site cold and warm,
and any copy of the project warm (the generated sites of bench/generated_site.py)."""

from __future__ import annotations

import os
import re
import resource
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

from tests.sitebuild import MKDOCS

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

# Markdown extensions that carry the site's own machinery rather than what the pages need to build.
MACHINERY_EXTENSIONS = {"pymdownx.superfences"}
# Where builds keep caches between runs (the diagram hook's results, Material's plugin caches).
CACHE_DIRS = (".cache",)
TEMPLATE_CACHE_HOOK = "hooks/template_cache.py"
# The site's hook that freezes the garbage collector's view of the build before its pages: it would speed bare
# Material's own share too, so the bench also times bare Material with it, to show what the site itself adds.
COLLECTOR_HOOK = "hooks/collector.py"
_FINDING = re.compile(r"^\w+\s+-\s+docs/\S+:\d+: ")
# hooks/diagrams.py's summary: how many diagrams a build drew and how many it read from the cache.
_DIAGRAMS_LINE = re.compile(r"diagrams: (\d+ checked, \d+ rendered, \d+ from cache)")


@dataclass(frozen=True)
class Timings:
    real: list[float]
    base: list[float]
    # The site with hooks/template_cache.py left out (warm builds only): what every other part costs.
    uncached: list[float] = field(default_factory=list)
    # CPU seconds of the same builds (measure_warm only): what other work on a shared machine changes least.
    real_cpu: list[float] = field(default_factory=list)
    base_cpu: list[float] = field(default_factory=list)
    # Bare Material with hooks/collector.py alone (warm builds only).
    frozen_base: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Median of the per-pair ratios: each pair ran back to back, under the same machine load."""
        return _median_ratio(self.real, self.base)

    @property
    def uncached_ratio(self) -> float:
        return _median_ratio(self.uncached, self.base)

    @property
    def cpu_ratio(self) -> float:
        return _median_ratio(self.real_cpu, self.base_cpu)

    @property
    def frozen_ratio(self) -> float:
        return _median_ratio(self.real, self.frozen_base)


def _median_ratio(times: list[float], base: list[float]) -> float:
    return statistics.median(t / b for t, b in zip(times, base, strict=True))


def baseline_config(project: Path) -> Path:
    """A config for bare Material on the project's docs/: no hooks, no extra plugins, no custom_dir."""
    from mkdocs.config import load_config

    real = load_config(str(project / "mkdocs.yml"))
    extensions = [
        {name: real["mdx_configs"].get(name, {})}
        for name in real["markdown_extensions"]
        if name not in MACHINERY_EXTENSIONS
    ]
    config = {
        "site_name": real["site_name"],
        "site_url": real["site_url"],
        "docs_dir": str(project / "docs"),
        "nav": real["nav"],
        "theme": {"name": "material"},
        "markdown_extensions": extensions,
        "plugins": ["search"],
    }
    path = project / "baseline.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def frozen_baseline_config(project: Path) -> Path:
    """Bare Material (baseline_config) with the site's hooks/collector.py as its one hook."""
    base = baseline_config(project)
    path = project / "baseline-frozen.yml"
    path.write_text(yaml.safe_dump({"INHERIT": base.name, "hooks": [COLLECTOR_HOOK]}, sort_keys=False), "utf-8")
    return path


def without_template_cache(project: Path) -> Path:
    """The real config with every hook but hooks/template_cache.py (MkDocs' INHERIT replaces the list)."""
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"))
    hooks = list(config["hooks"])  # as mkdocs.yml writes them, relative to it
    kept = [hook for hook in hooks if hook != TEMPLATE_CACHE_HOOK]
    if kept == hooks:
        raise RuntimeError(f"mkdocs.yml has no {TEMPLATE_CACHE_HOOK}; the bench's variant would be the site itself")
    path = project / "uncached.yml"
    path.write_text(yaml.safe_dump({"INHERIT": "mkdocs.yml", "hooks": kept}, sort_keys=False), "utf-8")
    return path


def clear_caches(project: Path) -> None:
    for name in CACHE_DIRS:
        shutil.rmtree(project / name, ignore_errors=True)


@dataclass(frozen=True)
class BuildRun:
    seconds: float  # wall time
    cpu_seconds: float  # user and system time of the build's process and every process it waited for
    log: str


def run_build(config: Path, dest: Path, *, env: dict[str, str] | None = None) -> BuildRun:
    """One `mkdocs build --strict` in a fresh process; raises when the build fails."""
    # No --quiet: under MkDocs 1.6 it drops warnings before --strict counts them, so a broken site would pass.
    # The log is captured instead, and shown when the build fails.
    cmd = [*MKDOCS, "build", "--strict", "--clean", "-f", str(config), "-d", str(dest)]
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=config.parent, env=full_env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise RuntimeError(f"build of {config.name} failed:\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return BuildRun(elapsed, cpu, result.stderr)


def timed_build(config: Path, dest: Path, *, env: dict[str, str] | None = None) -> float:
    return run_build(config, dest, env=env).seconds


def findings(log: str) -> list[str]:
    """Lines of a build's log that report a problem: warnings, and the hooks' `docs/<page>.md:<line>: …` notes
    at info level (an anchor missing from permalinks.lock), which do not fail a strict build."""
    return [line for line in log.splitlines() if line.startswith("WARNING") or _FINDING.search(line)]


def measure(project: Path, out: Path, *, rounds: int) -> tuple[Timings, Timings]:
    """(cold, warm) timings of the real site and the baseline, alternating within each round."""
    real_config, base_config = project / "mkdocs.yml", baseline_config(project)
    uncached_config, frozen_config = without_template_cache(project), frozen_baseline_config(project)
    cold = Timings([], [])
    for _ in range(rounds):
        clear_caches(project)
        cold.real.append(timed_build(real_config, out / "real"))
        clear_caches(project)
        cold.base.append(timed_build(base_config, out / "base"))
    # One unmeasured build of each fills the caches; every build after it is warm.
    timed_build(real_config, out / "real")
    timed_build(base_config, out / "base")
    timed_build(uncached_config, out / "uncached")
    timed_build(frozen_config, out / "frozen")
    warm = Timings([], [])
    for _ in range(rounds):
        warm.real.append(timed_build(real_config, out / "real"))
        warm.base.append(timed_build(base_config, out / "base"))
        warm.uncached.append(timed_build(uncached_config, out / "uncached"))
        warm.frozen_base.append(timed_build(frozen_config, out / "frozen"))
    return cold, warm


def measure_warm(project: Path, out: Path, *, rounds: int, progress: Callable[[str], None] | None = None) -> Timings:
    """Warm timings of the site and bare Material on the same docs/, alternating within each pair.

    One unmeasured build of each fills the caches first; the site's must report nothing at all, so that the
    timed builds do the work of a clean site, not of listing problems."""
    real_config, base_config = project / "mkdocs.yml", baseline_config(project)
    frozen_config = frozen_baseline_config(project)
    first = run_build(real_config, out / "real")
    if found := findings(first.log):
        raise RuntimeError(f"{project}: the build reports {len(found)} finding(s):\n" + "\n".join(found[:20]))
    first_base = timed_build(base_config, out / "base")
    timed_build(frozen_config, out / "frozen")
    if progress is not None:
        drawn = _DIAGRAMS_LINE.search(first.log)
        progress(
            f"first builds, to fill the caches: site {first.seconds:.1f} s"
            + (f" ({drawn[1]})" if drawn else "")
            + f", bare {first_base:.1f} s"
        )
    warm = Timings([], [])
    for pair in range(1, rounds + 1):
        for config, dest, wall, cpu in (
            (real_config, out / "real", warm.real, warm.real_cpu),
            (base_config, out / "base", warm.base, warm.base_cpu),
        ):
            run = run_build(config, dest)
            wall.append(run.seconds)
            cpu.append(run.cpu_seconds)
        warm.frozen_base.append(timed_build(frozen_config, out / "frozen"))
        if progress is not None:
            progress(
                f"pair {pair} of {rounds}: site {warm.real[-1]:.2f} s (CPU {warm.real_cpu[-1]:.2f} s), "
                f"bare {warm.base[-1]:.2f} s (CPU {warm.base_cpu[-1]:.2f} s)"
            )
    return warm
