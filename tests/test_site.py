from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from tests.browser import is_local
from tests.pages import built_path, loads_nothing, soup
from tests.sitebuild import ROOT

if TYPE_CHECKING:
    from pathlib import Path


def _essay_headings() -> list[str]:
    """Lines of the essay that are headings: the ones that do not end a sentence."""
    lines = (ROOT / "source" / "essay.txt").read_text("utf-8").splitlines()
    return [line for line in lines if any(c.isalpha() for c in line) and not line.endswith((".", "?", "!"))]


def test_every_nav_page_is_built(site_dir: Path, nav_pages: list[str]) -> None:
    assert nav_pages[0] == "index.md"
    assert len(nav_pages) == 8
    for page in nav_pages:
        assert (site_dir / built_path(page)).is_file(), page
    assert (site_dir / "404.html").is_file()


def test_section_pages_carry_the_essays_headings_in_order(site_dir: Path, nav_pages: list[str]) -> None:
    h1s = [soup(site_dir, page).select_one("article h1") for page in nav_pages[1:]]
    texts = [h1.get_text().removesuffix("¶").strip() for h1 in h1s if h1]
    assert texts == _essay_headings()


def test_titles_name_the_page_and_the_site(site_dir: Path, nav_pages: list[str]) -> None:
    from mkdocs.config import load_config

    site_name = load_config(str(ROOT / "mkdocs.yml"))["site_name"]
    assert soup(site_dir, "index.md").title.string == site_name
    for page in nav_pages[1:]:
        doc = soup(site_dir, page)
        h1 = doc.select_one("article h1").get_text().removesuffix("¶").strip()
        assert doc.title.string == f"{h1} - {site_name}", page


def test_every_heading_has_a_permalink(site_dir: Path, nav_pages: list[str]) -> None:
    checked = 0
    for page in nav_pages:
        for heading in soup(site_dir, page).select("article :is(h1, h2, h3, h4)"):
            assert heading.get("id"), f"{page}: heading without id: {heading}"
            link = heading.select_one("a.headerlink")
            assert link is not None, f"{page}: heading without permalink: {heading}"
            assert link["href"] == f"#{heading['id']}"
            checked += 1
    assert checked >= len(nav_pages)


def test_nothing_loads_from_another_host(site_dir: Path) -> None:
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) >= 9
    offenders = []
    for path in pages:
        doc = BeautifulSoup(path.read_text("utf-8"), "lxml")
        for tag in doc.select("script[src], img[src], iframe[src], link[href]"):
            if loads_nothing(tag):
                continue
            url = tag.get("src") or tag.get("href")
            if urlsplit(url).scheme and not is_local(url):
                offenders.append(f"{path.relative_to(site_dir)}: <{tag.name}> {url}")
    assert not offenders, "\n".join(offenders)


def test_config_is_strict_and_offline_safe() -> None:
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    assert config["strict"] is True
    assert config["theme"]["font"] is False
    assert config["site_url"].startswith("https://")
    # hooks/model.py reports a nav entry that names no page, with its line (tests/test_bad_input.py);
    # every other check MkDocs can make warns, so that --strict fails on it.
    for group in ("nav", "links"):
        for key, level in config["validation"][group].items():
            expected = logging.INFO if (group, key) == ("nav", "not_found") else logging.WARNING
            assert level == expected, f"validation.{group}.{key}"
