from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, DISK_CHROMIUM_ARGS, DiskGuard, Guard, new_guarded_context
from tests.localserver import serve_directory
from tests.pages import essay_sources, load_nav, nav_sources
from tests.sitebuild import ROOT, build

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, BrowserContext


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test run with `--strict`."""
    dest = tmp_path_factory.mktemp("site")
    result = build(dest)
    assert result.returncode == 0, result.stderr
    return dest


@pytest.fixture(scope="session")
def nav_pages() -> list[str]:
    """Source paths of the essay's pages, in nav order."""
    return essay_sources(load_nav())


@pytest.fixture(scope="session")
def site_pages() -> list[str]:
    """Source paths of every page in the nav (the essay's and the site's own), in reading order."""
    return nav_sources(load_nav())


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """The real site served on 127.0.0.1."""
    yield from serve_directory(site_dir)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def guard() -> Guard:
    return Guard()


@pytest.fixture
def context(browser: Browser, guard: Guard) -> Iterator[BrowserContext]:
    """A browser context that blocks and records every request off this machine; the test fails on any."""
    ctx = new_guarded_context(browser, guard)
    yield ctx
    ctx.close()
    guard.assert_clean()


@pytest.fixture(scope="session")
def offline_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline zip, built once per test run by the script `make offline` runs."""
    out = tmp_path_factory.mktemp("offline")
    script = ROOT / "scripts" / "offline_zip.py"
    cmd = [sys.executable, str(script), "--dist", str(out / "dist"), "--site-dir", str(out / "site")]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = (out / "dist").glob("*-offline.zip")
    return built


@pytest.fixture(scope="session")
def offline_dir(offline_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zip unpacked as a reader would: the one folder it holds, with index.html inside."""
    dest = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(offline_zip) as archive:
        archive.extractall(dest)
    (folder,) = dest.iterdir()
    return folder


@pytest.fixture(scope="session")
def disk_browser(browser: Browser) -> Iterator[Browser]:
    """Chromium as a reader runs it on files from disk: without --allow-file-access-from-files."""
    plain = browser.browser_type.launch(executable_path=CHROMIUM, args=DISK_CHROMIUM_ARGS)
    yield plain
    plain.close()


@pytest.fixture
def disk_guard() -> DiskGuard:
    return DiskGuard()


@pytest.fixture
def disk_context(disk_browser: Browser, disk_guard: DiskGuard) -> Iterator[BrowserContext]:
    """A context for pages opened from disk: every request not to file:// is aborted, recorded, and fails the test."""
    ctx = new_guarded_context(disk_browser, disk_guard)
    yield ctx
    ctx.close()
    disk_guard.assert_clean()
