"""Lighthouse (npm CLI, pinned in bench/package-lock.json), desktop preset, on pages served from 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.browser import CHROMIUM, CHROMIUM_ARGS

BENCH = Path(__file__).resolve().parent
CLI = BENCH / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Chromium must not reach the network; Lighthouse may try (it fetches nothing the audits need).
CHROME_FLAGS = [
    "--headless=new",
    *(flag for flag in CHROMIUM_ARGS if flag != "--allow-file-access-from-files"),
    "--proxy-server=127.0.0.1:9",  # anything not on this machine goes to a closed port
    "--proxy-bypass-list=127.0.0.1;localhost",
]


def scores(url: str, report: Path) -> dict[str, int]:
    """Each category's score, 0–100, for one page."""
    if not CLI.exists():
        raise RuntimeError(f"{CLI} is missing: run `npm ci` in bench/ (make bench does)")
    cmd = [
        str(CLI),
        url,
        "--preset=desktop",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False, timeout=300)
    if result.returncode != 0 or not report.exists():
        raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    categories = json.loads(report.read_text("utf-8"))["categories"]
    return {name: round((categories[name]["score"] or 0) * 100) for name in CATEGORIES}


def failing_audits(report: Path, category: str) -> list[str]:
    """Audits below full marks in one category, to say why a score fell short."""
    data = json.loads(report.read_text("utf-8"))
    refs = data["categories"][category]["auditRefs"]
    audits = data["audits"]
    return [
        f"{ref['id']}: {audits[ref['id']]['title']}"
        for ref in refs
        if ref.get("weight") and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1
    ]
