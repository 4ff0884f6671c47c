"""Checks for the unpacked offline site: where a link lands on disk, and words that find one page by search."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from bs4 import BeautifulSoup

WORD = re.compile(r"[a-z]+")
# Punctuation that may cling to a word in running text.
CLINGING = ".,;:!?()[]\"'“”‘’«»—–-…¶"


@functools.cache
def ids_in(path: Path) -> frozenset[str]:
    """Every fragment a link may point at in an HTML file: its ids (and legacy <a name>)."""
    doc = BeautifulSoup(path.read_text("utf-8"), "lxml")
    return frozenset(str(tag.get("id") or tag.get("name")) for tag in doc.select("[id], a[name]"))


def link_problem(url: str, root: Path) -> str | None:
    """Why an absolute file:// URL does not lead to a file (and anchor) inside `root`; None when it does."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        return f"{url}: not a file:// link"
    target = Path(url2pathname(unquote(parts.path)))
    if not target.resolve().is_relative_to(root.resolve()):
        return f"{url}: leaves the unpacked folder"
    if not target.is_file():
        return f"{url}: {'a folder, not a file' if target.is_dir() else 'no such file'}"
    fragment = unquote(parts.fragment)
    if fragment and target.suffix == ".html" and fragment not in ids_in(target):
        return f"{url}: no id {fragment!r} in {target.name}"
    return None


def distinct_words(texts: dict[str, str], *, min_length: int = 7) -> dict[str, str]:
    """For each page, a word of its text that no other page has (the longest, then the first alphabetically)."""
    words = {page: _words(text) for page, text in texts.items()}
    chosen = {}
    for page, own in words.items():
        others = set().union(*(w for p, w in words.items() if p != page))
        candidates = sorted((w for w in own - others if len(w) >= min_length), key=lambda w: (-len(w), w))
        if candidates:
            chosen[page] = candidates[0]
    return chosen


def _words(text: str) -> set[str]:
    """Whole plain words only: a fragment of `Russia's` or of an accented word is not what a reader types."""
    tokens = (token.strip(CLINGING) for token in text.lower().split())
    return {token for token in tokens if WORD.fullmatch(token)}
