"""Where each source page lands in a built site, and how to read it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bs4 import BeautifulSoup

if TYPE_CHECKING:
    from pathlib import Path

    from bs4 import Tag


def nav_sources(nav: list[object]) -> list[str]:
    """Every page of a `nav:` setting, sections flattened, in reading order."""
    pages: list[str] = []
    for item in nav:
        value = item if isinstance(item, str) else next(iter(item.values()))  # type: ignore[union-attr]
        if isinstance(value, str):
            pages.append(value)
        else:
            pages.extend(nav_sources(value))
    return pages


def essay_sources(nav: list[object]) -> list[str]:
    """The essay's pages: the nav's top-level pages (its sections hold site pages such as How to cite)."""
    return [item for item in nav if isinstance(item, str)]


def load_nav() -> list[object]:
    from mkdocs.config import load_config

    from tests.sitebuild import ROOT

    return load_config(str(ROOT / "mkdocs.yml"))["nav"]


# <link rel> values that only describe the page; they load nothing. schema.DC names the Dublin Core
# vocabulary that reference managers read the DC.* meta tags by; the RFC 5829 relations name the page's editions.
NON_LOADING_RELS = {
    "canonical",
    "alternate",
    "license",
    "author",
    "cite-as",
    "describedby",
    "schema.dc",
    "version-history",
    "latest-version",
    "predecessor-version",
    "successor-version",
}


def loads_nothing(tag: Tag) -> bool:
    """Whether a <link> only describes the page, so its URL may point anywhere."""
    rels = {rel.lower() for rel in tag.get("rel", [])}
    return tag.name == "link" and bool(rels) and rels <= NON_LOADING_RELS


def built_path(src: str, *, directory_urls: bool = True) -> str:
    """The output path of a Markdown page, the way MkDocs computes it."""
    stem = src[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + ("/index.html" if directory_urls else ".html")


def soup(site: Path, src: str, *, directory_urls: bool = True) -> BeautifulSoup:
    return BeautifulSoup((site / built_path(src, directory_urls=directory_urls)).read_text("utf-8"), "lxml")
