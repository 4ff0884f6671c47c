"""The offline zip, unpacked and opened from disk with every network request blocked: does each page work?"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit
from urllib.request import url2pathname, urlopen

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Error as PlaywrightError

from tests.drawings import DRAWING, diagram_count
from tests.fidelity import page_text
from tests.offline import distinct_words, link_problem
from tests.pages import built_path, load_nav, nav_sources

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Download, Locator, Page

pytestmark = pytest.mark.browser


PAGES = [built_path(src, directory_urls=False) for src in nav_sources(load_nav())]

# Each link's target as the browser resolves it (SVG links keep theirs in href or xlink:href).
RESOLVED_HREF = "el => new URL(el.getAttribute('href') ?? el.getAttribute('xlink:href'), document.baseURI).href"
IN_VIEW = """id => {
  const el = document.getElementById(id);
  if (!el) return false;
  const box = el.getBoundingClientRect();
  return box.bottom > 0 && box.top < innerHeight;
}"""


@pytest.fixture(scope="module")
def search_words(offline_dir: Path) -> dict[str, str]:
    # A drawing's labels are the essay's words, already in the text and the text version; search leaves it out.
    texts = {name: page_text((offline_dir / name).read_text("utf-8"), skip=DRAWING) for name in PAGES}
    words = distinct_words(texts)
    assert set(words) == set(PAGES), f"no word of its own to search for on {set(PAGES) - set(words)}"
    return words


def test_the_zip_holds_exactly_the_nav_pages(offline_dir: Path) -> None:
    assert sorted(p.relative_to(offline_dir).as_posix() for p in offline_dir.rglob("*.html")) == sorted(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_page_works_from_disk(
    disk_context: BrowserContext, offline_dir: Path, search_words: dict[str, str], name: str
) -> None:
    page = disk_context.new_page()
    url = (offline_dir / name).as_uri()
    page.goto(url)
    assert page.locator("article h1").count() == 1

    # Every link on the page, chrome included, leads to a file in the folder (and an anchor in it).
    links = page.locator("a[href]")
    problems = [
        p for href in links.evaluate_all(f"els => els.map({RESOLVED_HREF})") if (p := _local_problem(href, offline_dir))
    ]
    assert not problems, "\n".join(problems)

    # Previous/next lead to the neighbours in nav order (none before the first page, none after the last).
    here = PAGES.index(name)
    for kind, neighbour in (("prev", here - 1), ("next", here + 1)):
        footer = page.locator(f"a.md-footer__link--{kind}").evaluate_all(f"els => els.map({RESOLVED_HREF})")
        expected = [(offline_dir / PAGES[neighbour]).as_uri()] if 0 <= neighbour < len(PAGES) else []
        assert footer == expected, kind

    # Navigation: sidebar, table of contents, previous/next, heading permalinks and links in the text.
    clickable = (
        "nav.md-nav--primary a.md-nav__link, nav.md-nav--secondary a.md-nav__link, a.md-footer__link, article a[href]"
    )
    clicked = _click_each(page, url, page.locator(clickable).filter(visible=True))
    assert clicked >= len(PAGES), f"only {clicked} links clicked"
    assert page.locator("article a.headerlink").count() >= 1

    # Downloads (a cite box's BibTeX, RIS, CSL-JSON, the PDF and the EPUB; a diagram's SVG) deliver the file in the
    # zip. Counted on the page under test: the clicks above may have left it on another page with downloads.
    _back_to(page, url)
    for index in range(page.locator("a[download]").count()):
        _check_download(page, url, page.locator("a[download]").nth(index))

    _check_diagrams(page, url, offline_dir, name)
    _check_palette_toggle(page, offline_dir, name)
    _check_search(page, offline_dir, search_words)


def _local_problem(href: str, root: Path) -> str | None:
    scheme = urlsplit(href).scheme
    if scheme in {"http", "https", "mailto"}:
        return None  # a link out (the canonical hosted URL in a cite box) loads nothing until followed
    if scheme == "data":
        return None  # a file carried by the link itself (a page's BibTeX in its cite box), checked as a download
    return link_problem(href, root)


def _click_each(page: Page, url: str, links: Locator) -> int:
    """Click every link in turn from `url`; each must land on its page and bring its anchor into view."""
    hrefs = links.evaluate_all(f"els => els.map({RESOLVED_HREF})")
    clicked = 0
    for index, href in enumerate(hrefs):
        if urlsplit(href).scheme != "file" or not urlsplit(href).path.endswith(".html"):
            continue  # links out, and files that download, are checked above
        _back_to(page, url)
        links.nth(index).click()
        _expect_at(page, href)
        clicked += 1
    return clicked


def _document(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(query="", fragment=""))


def _back_to(page: Page, url: str) -> None:
    """Back to the page under test after a link left it; the back-forward cache makes that cheap."""
    if _document(page.url) != _document(url):
        # Going back from a file Chromium opened in the tab (an SVG, JSON) can swap the renderer while
        # Playwright asks for the history ("Not attached to an active page"); loading the page again is the
        # same return, only slower.
        with contextlib.suppress(PlaywrightError):
            page.go_back()
    if _document(page.url) != _document(url):
        page.goto(url)


def _expect_at(page: Page, href: str) -> None:
    """On the document `href` names, with its anchor in view. Only the document is compared, because
    navigation.tracking rewrites the URL's fragment to the section in view as the page scrolls."""
    parts = urlsplit(href)
    page.wait_for_function("doc => location.href.split(/[?#]/)[0] === doc", arg=_document(href))
    page.wait_for_load_state("load")
    if parts.fragment:
        page.wait_for_function(IN_VIEW, arg=parts.fragment)


OPEN_ENCLOSING_DETAILS = """link => {
  for (let box = link.closest("details"); box; box = box.parentElement && box.parentElement.closest("details")) {
    box.open = true;
  }
}"""


def _check_download(page: Page, url: str, link: Locator) -> None:
    """From disk a file is its own origin, so Chromium honours `download` only for types it cannot show;
    the others (plain text, JSON, SVG) open in the tab. Either way the reader gets the file in the zip."""
    _back_to(page, url)
    link.evaluate(OPEN_ENCLOSING_DETAILS)  # as a reader expands the cite box before choosing a format
    href = link.evaluate(RESOLVED_HREF)
    downloads: list[Download] = []

    def on_download(download: Download) -> None:
        downloads.append(download)

    page.on("download", on_download)
    link.click()
    deadline = time.monotonic() + 15
    while not downloads and page.url != href and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    page.remove_listener("download", on_download)
    if urlsplit(href).scheme == "data":
        # The link carries the file itself (a page's BibTeX): `download` saves it, whatever its type.
        assert downloads, f"{href[:60]}…: not downloaded"
        with urlopen(href) as carried:
            assert Path(downloads[0].path()).read_bytes() == carried.read(), f"{href[:60]}…: downloaded bytes differ"
        assert downloads[0].suggested_filename == link.get_attribute("download")
        return
    target = Path(url2pathname(urlsplit(href).path))
    if downloads:
        assert Path(downloads[0].path()).read_bytes() == target.read_bytes(), f"{href}: downloaded bytes differ"
    else:
        assert page.url == href, f"{href}: neither downloaded nor opened"


def _diagram_count(root: Path, name: str) -> int:
    return len(BeautifulSoup((root / name).read_text("utf-8"), "lxml").select(f"{DRAWING} > svg"))


def _check_diagrams(page: Page, url: str, root: Path, name: str) -> None:
    """Each diagram is shown, and each link in it navigates; nothing to do without one."""
    count = _diagram_count(root, name)
    if not count:
        return
    page.goto(url)
    assert diagram_count(page) == count, f"{name}: a diagram is not shown"
    links = page.locator(f"{DRAWING} svg a")
    problems = [p for href in links.evaluate_all(f"els => els.map({RESOLVED_HREF})") if (p := link_problem(href, root))]
    assert not problems, "\n".join(problems)
    for index, href in enumerate(links.evaluate_all(f"els => els.map({RESOLVED_HREF})")):
        _back_to(page, url)
        links.nth(index).click()
        _expect_at(page, href)


def _check_palette_toggle(page: Page, root: Path, name: str) -> None:
    page.goto((root / name).as_uri())
    before = page.get_attribute("body", "data-md-color-scheme")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    page.wait_for_function(f"document.body.dataset.mdColorScheme !== {before!r}")
    assert diagram_count(page) == _diagram_count(root, name), f"{name}: a diagram went missing on the toggle"


def _check_search(page: Page, root: Path, words: dict[str, str]) -> None:
    """Search for a word only the next page has (the first page, from the last); its result opens that page."""
    here = PAGES.index(Path(urlsplit(page.url).path).name)
    target_name = PAGES[(here + 1) % len(PAGES)]
    target = (root / target_name).as_uri()
    search = page.locator("input.md-search__input")
    search.click()
    # Material reads the query on keyup, so type it as a reader does.
    search.press_sequentially(words[target_name], delay=20)
    result = page.locator(f"a.md-search-result__link[href^='{target}']").first
    result.wait_for(timeout=15_000)
    result.click()
    _expect_at(page, target)
    assert page.locator("article h1").count() == 1
