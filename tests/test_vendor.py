from __future__ import annotations

import json
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from scripts import vendor
from tests.sitebuild import ROOT

if TYPE_CHECKING:
    from pathlib import Path

LOCK = json.loads((ROOT / "vendor.lock.json").read_text("utf-8"))


def test_lock_names_pinned_versions_and_npm_integrity() -> None:
    assert set(LOCK["packages"]) >= {"iframe-worker"}
    for entry in LOCK["packages"].values():
        assert entry["version"].count(".") == 2
        assert entry["integrity"].startswith("sha512-")
        assert any("iframe-worker" in spec["dest"] for spec in LOCK["packages"]["iframe-worker"]["files"].values())


def test_committed_files_match_recorded_integrity() -> None:
    assert vendor.check_files() == []


def test_one_changed_byte_is_caught(tmp_path: Path) -> None:
    shutil.copy2(ROOT / "vendor.lock.json", tmp_path / "vendor.lock.json")
    for entry in LOCK["packages"].values():
        for spec in entry["files"].values():
            (tmp_path / spec["dest"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / spec["dest"], tmp_path / spec["dest"])
    target = tmp_path / LOCK["packages"]["iframe-worker"]["files"]["package/shim/index.js"]["dest"]
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    problems = vendor.check_files(tmp_path)
    assert len(problems) == 1
    assert "shim.js: sha512 differs" in problems[0]


@pytest.mark.registry
def test_lock_matches_the_npm_registry() -> None:
    """Fetch every tarball again: npm's published integrity, the lock and the committed files must agree."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "vendor.py"), "--verify"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
