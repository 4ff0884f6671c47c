"""The site model (hooks/site_model.py, built by hooks/model.py): where each page lives, in every build."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree import ElementTree

import pytest
from site_model import place

from tests.pages import soup

if TYPE_CHECKING:
    from pathlib import Path

SITE = "https://essay.example.org/"


@pytest.mark.parametrize(
    ("src", "url", "dest", "site_url", "directory_urls", "hosted"),
    [
        ("index.md", "./", "index.html", SITE, True, "https://essay.example.org/"),
        ("ukraine.md", "ukraine/", "ukraine/index.html", SITE, True, "https://essay.example.org/ukraine/"),
        ("part/index.md", "part/", "part/index.html", SITE, True, "https://essay.example.org/part/"),
        ("part/a b.md", "part/a%20b/", "part/a b/index.html", SITE, True, "https://essay.example.org/part/a%20b/"),
        (
            "ukraine.md",
            "ukraine/",
            "ukraine/index.html",
            "https://host.example.org/essay/",
            True,
            "https://host.example.org/essay/ukraine/",
        ),
        # The offline build writes flat pages; the hosted address keeps the hosted site's style.
        ("ukraine.md", "ukraine.html", "ukraine.html", SITE, True, "https://essay.example.org/ukraine/"),
        ("index.md", "index.html", "index.html", SITE, True, "https://essay.example.org/"),
        # A site hosted without directory URLs.
        ("ukraine.md", "ukraine.html", "ukraine.html", SITE, False, "https://essay.example.org/ukraine.html"),
    ],
)
def test_place(src: str, url: str, dest: str, site_url: str, directory_urls: bool, hosted: str) -> None:
    where = place(src, url, dest, site_url=site_url, hosted_directory_urls=directory_urls)
    assert (where.src, where.url, where.dest, where.hosted) == (src, url, dest, hosted)


@pytest.mark.parametrize(
    ("url", "base", "anchor", "expected"),
    [
        ("ukraine/", "./", "p1", "ukraine/#p1"),
        ("./", "ukraine/", "", "../"),
        ("ukraine/", "ukraine/", "p1", "./#p1"),
        ("ukraine.html", "part/a.html", "", "../ukraine.html"),
        ("index.html", "ukraine.html", "p2", "index.html#p2"),
    ],
)
def test_link_from(url: str, base: str, anchor: str, expected: str) -> None:
    target = place("t.md", url, "", site_url=SITE, hosted_directory_urls=True)
    origin = place("o.md", base, "", site_url=SITE, hosted_directory_urls=True)
    assert target.link_from(origin, anchor) == expected


def _canonical(site: Path, src: str, *, directory_urls: bool) -> str:
    link = soup(site, src, directory_urls=directory_urls).select_one("link[rel=canonical]")
    assert link is not None, src
    return link["href"]


def test_offline_pages_name_their_hosted_url(site_dir: Path, offline_dir: Path, nav_pages: list[str]) -> None:
    for src in nav_pages:
        hosted = _canonical(site_dir, src, directory_urls=True)
        assert hosted.endswith("/"), hosted
        assert _canonical(offline_dir, src, directory_urls=False) == hosted, src


def _sitemap_locations(site: Path) -> list[str]:
    tree = ElementTree.parse(site / "sitemap.xml")
    return [loc.text or "" for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]


def test_offline_sitemap_lists_the_hosted_urls(site_dir: Path, offline_dir: Path, site_pages: list[str]) -> None:
    hosted = _sitemap_locations(site_dir)
    assert _sitemap_locations(offline_dir) == hosted
    assert len(hosted) == len(site_pages)
    assert all(url.endswith("/") for url in hosted), hosted
