"""hooks/offline.py: the offline build keeps the hosted canonical URLs."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree import ElementTree

import pytest

from tests.pages import soup

if TYPE_CHECKING:
    from pathlib import Path

from hooks.offline import hosted_url

SITE = "https://essay.example.org/"


@pytest.mark.parametrize(
    ("src", "site_url", "directory_urls", "expected"),
    [
        ("index.md", SITE, True, "https://essay.example.org/"),
        ("ukraine.md", SITE, True, "https://essay.example.org/ukraine/"),
        ("part/index.md", SITE, True, "https://essay.example.org/part/"),
        ("part/a b.md", SITE, True, "https://essay.example.org/part/a%20b/"),
        ("ukraine.md", "https://host.example.org/essay/", True, "https://host.example.org/essay/ukraine/"),
        ("ukraine.md", "https://host.example.org/essay", True, "https://host.example.org/essay/ukraine/"),
        ("ukraine.md", SITE, False, "https://essay.example.org/ukraine.html"),
        ("index.md", SITE, False, "https://essay.example.org/index.html"),
    ],
)
def test_hosted_url(src: str, site_url: str, directory_urls: bool, expected: str) -> None:
    assert hosted_url(src, site_url, directory_urls=directory_urls) == expected


def _canonical(site: Path, src: str, *, directory_urls: bool) -> str:
    link = soup(site, src, directory_urls=directory_urls).select_one("link[rel=canonical]")
    assert link is not None, src
    return link["href"]


def test_offline_pages_name_their_hosted_url(site_dir: Path, offline_dir: Path, nav_pages: list[str]) -> None:
    for src in nav_pages:
        hosted = _canonical(site_dir, src, directory_urls=True)
        assert _canonical(offline_dir, src, directory_urls=False) == hosted, src


def _sitemap_locations(site: Path) -> list[str]:
    tree = ElementTree.parse(site / "sitemap.xml")
    return [loc.text or "" for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]


def test_offline_sitemap_lists_the_hosted_urls(site_dir: Path, offline_dir: Path) -> None:
    assert _sitemap_locations(offline_dir) == _sitemap_locations(site_dir)
    assert len(_sitemap_locations(site_dir)) >= 8
