"""Build the site (or a copy of it) the way the Makefile does, for tests and benchmarks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]
# What a copy of the project needs in order to build. `.cache` (diagram renders, keyed by source) keeps a
# copy's build from re-rendering every Mermaid diagram; a diagram a test changes is still rendered afresh.
PROJECT_ITEMS = ("docs", "overrides", "hooks", "mkdocs.yml", "CITATION.cff", "permalinks.lock", "source", ".cache")


def build(
    dest: Path,
    *,
    project: Path = ROOT,
    env: dict[str, str] | None = None,
    strict: bool = True,
    extra_args: list[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build` for `project` into `dest`; never raises on a failed build."""
    cmd = [*MKDOCS, "build", "--clean", "-f", str(project / "mkdocs.yml"), "-d", str(dest), *(extra_args or [])]
    if strict:
        cmd.append("--strict")
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(cmd, cwd=project, env=full_env, capture_output=True, text=True, check=False)


def copy_project(dest: Path) -> Path:
    """Copy what a build needs into `dest`, so a test can break it without touching the real docs."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_ITEMS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest
