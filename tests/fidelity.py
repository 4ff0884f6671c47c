"""Does the built site contain every sentence of the essay, verbatim and in order?"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pysbd
from bs4 import BeautifulSoup

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class Missing:
    sentence: str
    nearest: str

    def __str__(self) -> str:
        return f"missing or altered: {self.sentence!r}\n    nearest in the site: {self.nearest!r}"


def essay_sentences(text: str) -> list[str]:
    """The essay's sentences (headings are lines of their own, so they count as sentences too)."""
    segmenter = pysbd.Segmenter(language="en", clean=False)
    return [" ".join(s.split()) for line in text.splitlines() for s in segmenter.segment(line) if s.strip()]


def page_text(html: str, *, skip: str | None = None) -> str:
    """The text of a built page's article, whitespace folded, without theme chrome (nor what `skip` selects)."""
    soup = BeautifulSoup(html, "lxml")
    article = soup.select_one("article.md-content__inner")
    if article is None:
        raise ValueError("no <article class='md-content__inner'> in page")
    for element in article.select(skip) if skip else ():
        element.decompose()
    return " ".join(article.get_text().split())


def site_text(site: Path, pages: list[Path]) -> str:
    return " ".join(page_text((site / page).read_text(encoding="utf-8")) for page in pages)


def find_missing(sentences: list[str], text: str) -> list[Missing]:
    """Each sentence must occur in `text` after the previous one; report those that do not."""
    missing: list[Missing] = []
    position = 0
    for sentence in sentences:
        found = text.find(sentence, position)
        if found < 0:
            missing.append(Missing(sentence, _nearest(sentence, text)))
        else:
            position = found + len(sentence)
    return missing


def _nearest(sentence: str, text: str) -> str:
    words = text.split()
    width = len(sentence.split())
    windows = [" ".join(words[i : i + width]) for i in range(max(1, len(words) - width + 1))]
    close = difflib.get_close_matches(sentence, windows, n=1, cutoff=0.0)
    return close[0] if close else ""
