"""Where each source page lands in a built site, and how to read it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bs4 import BeautifulSoup

if TYPE_CHECKING:
    from pathlib import Path


def built_path(src: str, *, directory_urls: bool = True) -> str:
    """The output path of a Markdown page, the way MkDocs computes it."""
    stem = src[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + ("/index.html" if directory_urls else ".html")


def soup(site: Path, src: str, *, directory_urls: bool = True) -> BeautifulSoup:
    return BeautifulSoup((site / built_path(src, directory_urls=directory_urls)).read_text("utf-8"), "lxml")
