"""Every diagram shows in Debian's chromium, served from 127.0.0.1 and opened from disk; its links lead somewhere."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import pytest

from tests.drawings import DRAWING, diagram_sources
from tests.pages import built_path
from tests.sitebuild import ROOT, build, copy_project

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser

# The offline build's URL layout (use_directory_urls: false) for pages opened with file://. The base
# config's plugins are replaced, not merged: search is left out because it needs the offline variant's own
# set-up (issue 5) to work from disk, and would fail these tests for its own reasons.
FILE_CONFIG = """INHERIT: base.yml
use_directory_urls: false
plugins: []
"""
ACC_TITLE = re.compile(r"^\s*accTitle:\s*(.+)$", re.MULTILINE)


@pytest.fixture(scope="session")
def file_site(tmp_path_factory: pytest.TempPathFactory, site_dir: Path) -> Path:
    """The site built for opening from disk; `site_dir` first, so the diagram cache it copies is warm."""
    project = copy_project(tmp_path_factory.mktemp("file-project"))
    (project / "mkdocs.yml").rename(project / "base.yml")
    (project / "mkdocs.yml").write_text(FILE_CONFIG, "utf-8")
    dest = tmp_path_factory.mktemp("file-site")
    result = build(dest, project=project)
    assert result.returncode == 0, result.stderr
    return dest


@pytest.fixture(params=["served", "file"])
def mode(request: pytest.FixtureRequest) -> tuple[str, Path, bool]:
    """(base URL, site folder, use_directory_urls) for the hosted site and for the site opened from disk."""
    if request.param == "served":
        return request.getfixturevalue("site_url"), request.getfixturevalue("site_dir"), True
    site = request.getfixturevalue("file_site")
    return site.as_uri() + "/", site, False


def _url(base: str, src: str, directory_urls: bool) -> str:
    path = built_path(src, directory_urls=directory_urls)
    return base + (path.removesuffix("index.html") if directory_urls else path)


def _sources(src: str) -> list[str]:
    return diagram_sources(ROOT / "docs" / src)


def test_every_diagram_is_shown_as_an_svg(
    context: BrowserContext, mode: tuple[str, Path, bool], nav_pages: list[str]
) -> None:
    base, _, directory_urls = mode
    page = context.new_page()
    total = 0
    for src in nav_pages:
        sources = _sources(src)
        if not sources:
            continue
        page.goto(_url(base, src, directory_urls))
        svgs = page.locator(f"article {DRAWING} > svg")
        assert svgs.count() == len(sources), f"{src}: one drawing per ```mermaid fence"
        for i, source in enumerate(sources):
            svg = svgs.nth(i)
            assert svg.get_attribute("aria-roledescription") == "flowchart-v2", src  # not Mermaid's "error"
            assert svg.locator("g.node").count() >= 3, src
            assert svg.locator("title").first.text_content() == ACC_TITLE.search(source)[1].strip(), src
            assert "Syntax error" not in svg.text_content(), src
            box = svg.bounding_box()
            assert box is not None, f"{src}: the drawing is not displayed"
            assert box["width"] > 100, f"{src}: drawn at {box}"
            assert box["height"] > 100, f"{src}: drawn at {box}"
        total += len(sources)
    assert total >= 7


def test_every_click_link_reaches_a_page_and_anchor_that_exist(
    context: BrowserContext, mode: tuple[str, Path, bool], nav_pages: list[str]
) -> None:
    base, _, directory_urls = mode
    page = context.new_page()
    followed = 0
    for src in nav_pages:
        clicks = sum(len(re.findall(r"^\s*click ", source, re.MULTILINE)) for source in _sources(src))
        if not clicks:
            continue
        here = _url(base, src, directory_urls)
        page.goto(here)
        links = page.locator(f"article {DRAWING} svg a")
        assert links.count() == clicks, f"{src}: each click line is a link in the drawing"
        hrefs = [links.nth(i).get_attribute("xlink:href") or links.nth(i).get_attribute("href") for i in range(clicks)]
        for href in dict.fromkeys(hrefs):  # each distinct target once, clicked the way a reader does
            page.goto(here)
            page.locator(f"article {DRAWING} svg a").nth(hrefs.index(href)).click()
            target = urljoin(here, href)
            page.wait_for_url(target)
            fragment = urlsplit(target).fragment
            assert page.locator("article h1").count() == 1, target
            assert page.evaluate("id => document.getElementById(id) !== null", fragment), f"{src}: {href}"
            followed += 1
    assert followed >= len(nav_pages)


def test_diagram_follows_the_palette_without_a_reload(context: BrowserContext, site_url: str) -> None:
    page = context.new_page()
    page.goto(site_url + "ukraine/")
    # The SVG's colours are Material's palette variables: the label text (SVG text, filled) turns light on dark,
    # and the boxes change with it.
    label = page.locator(f"article {DRAWING} svg g.node text").first
    box = page.locator(f"article {DRAWING} svg g.node rect").first
    before = [label.evaluate("el => getComputedStyle(el).fill"), box.evaluate("el => getComputedStyle(el).stroke")]
    scheme = page.get_attribute("body", "data-md-color-scheme")
    page.evaluate("window.__notReloaded = true")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    page.wait_for_function(f"document.body.dataset.mdColorScheme !== {scheme!r}")
    after = [label.evaluate("el => getComputedStyle(el).fill"), box.evaluate("el => getComputedStyle(el).stroke")]
    assert page.evaluate("window.__notReloaded === true")
    assert after[0] != before[0], "the label colour did not change with the palette"
    assert "rgb(0, 0, 0)" not in after + before, "a colour fell back to black: a palette variable is missing"
