"""Full `mkdocs build --strict` of the real site against bare Material on the same docs/, cold and warm."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml

from tests.sitebuild import MKDOCS

if TYPE_CHECKING:
    from pathlib import Path

# Markdown extensions that carry the site's own machinery rather than what the pages need to build.
MACHINERY_EXTENSIONS = {"pymdownx.superfences"}
# Where builds keep caches between runs (the diagram hook's results, Material's plugin caches).
CACHE_DIRS = (".cache",)


@dataclass(frozen=True)
class Timings:
    real: list[float]
    base: list[float]

    @property
    def ratio(self) -> float:
        """Median of the per-pair ratios: each pair ran back to back, under the same machine load."""
        return statistics.median(r / b for r, b in zip(self.real, self.base, strict=True))


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


def clear_caches(project: Path) -> None:
    for name in CACHE_DIRS:
        shutil.rmtree(project / name, ignore_errors=True)


def timed_build(config: Path, dest: Path, *, env: dict[str, str] | None = None) -> float:
    cmd = [*MKDOCS, "build", "--strict", "--clean", "-q", "-f", str(config), "-d", str(dest)]
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=config.parent, env=full_env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"build of {config.name} failed:\n{result.stderr}")
    return elapsed


def measure(project: Path, out: Path, *, rounds: int) -> tuple[Timings, Timings]:
    """(cold, warm) timings of the real site and the baseline, alternating within each round."""
    real_config, base_config = project / "mkdocs.yml", baseline_config(project)
    cold = Timings([], [])
    for _ in range(rounds):
        clear_caches(project)
        cold.real.append(timed_build(real_config, out / "real"))
        clear_caches(project)
        cold.base.append(timed_build(base_config, out / "base"))
    # One unmeasured build of each fills the caches; every build after it is warm.
    timed_build(real_config, out / "real")
    timed_build(base_config, out / "base")
    warm = Timings([], [])
    for _ in range(rounds):
        warm.real.append(timed_build(real_config, out / "real"))
        warm.base.append(timed_build(base_config, out / "base"))
    return cold, warm
