from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

from tests.pages import built_path
from tests.sitebuild import copy_project

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser


def test_every_page_opens_without_errors_or_network(
    context: BrowserContext, site_url: str, nav_pages: list[str]
) -> None:
    page = context.new_page()
    for src in nav_pages:
        response = page.goto(site_url + built_path(src).removesuffix("index.html"))
        assert response is not None
        assert response.ok, src
        page.wait_for_load_state("load")
        assert page.locator("article h1").count() == 1, src
    # The footer's previous/next links walk the nav in order.
    page.goto(site_url)
    for _ in nav_pages[1:]:
        page.locator("a.md-footer__link--next").click()
        page.wait_for_load_state("load")
    assert page.url.endswith("/" + built_path(nav_pages[-1]).removesuffix("index.html"))


def test_palette_toggle_switches_scheme(context: BrowserContext, site_url: str) -> None:
    page = context.new_page()
    page.goto(site_url)
    before = page.get_attribute("body", "data-md-color-scheme")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    page.wait_for_function(f"document.body.dataset.mdColorScheme !== {before!r}")
    assert page.get_attribute("body", "data-md-color-scheme") != before


def test_unknown_url_serves_the_404_page(context: BrowserContext, site_url: str) -> None:
    # The stdlib server has no 404 page of its own, so open the built one, as a static host would.
    page = context.new_page()
    page.goto(site_url + "404.html")
    assert "404" in page.locator("article h1").inner_text()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_reloads_the_browser_after_an_edit(context: BrowserContext, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    page = context.new_page()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page.goto(f"http://127.0.0.1:{port}/ukraine/")
                break
            except Exception:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
        page.evaluate("window.__notReloaded = true")
        source = project / "docs" / "ukraine.md"
        source.write_text(source.read_text("utf-8") + "\nLive reload marker.\n", "utf-8")
        page.wait_for_function("!window.__notReloaded", timeout=30_000)
        page.wait_for_selector("text=Live reload marker.")
    finally:
        # Close the page first: its pending live-reload poll would fail as a console error.
        page.close()
        server.terminate()
        server.wait(timeout=10)
