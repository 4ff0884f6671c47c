"""A final page of the site, parsed once for everything that needs the whole page: its ids, its links, the
rel of its external links, and the inline code its Content-Security-Policy must allow.

Parsed with lexbor (through selectolax), an HTML5 parser: 0.55 ms for a page with a 300-link navigation,
against 1.3 ms with lxml (measured on bench/generated_site.py's 300-page site); every page of a large site
pays it once.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import csp
import edition_text
import noopener
from selectolax.lexbor import LexborHTMLParser

if TYPE_CHECKING:
    from edition_record import Paragraph


class FinalPage:
    """The page, parsed once; external links get rel="noopener" as it is read (`html` is the page with them)."""

    def __init__(self, html: str, *, own_host: str | None) -> None:
        self.html = html
        self.tree = LexborHTMLParser(html)
        # Links outside a diagram's SVG: its links are its `click` lines, checked at their line.
        in_drawings = {node.mem_id for node in self.tree.css("svg a")}
        self.hrefs = [
            link.attributes["href"] or ""
            for link in self.tree.css("a[href], area[href]")
            if link.mem_id not in in_drawings
        ]
        changed = False
        # Only a link with a host can lead off the site; the parser picks those out, the rest are never looked at.
        for link in self.tree.css('a[href*="//"], area[href*="//"]'):
            attributes = link.attributes  # a new dict at each access
            rel = noopener.with_noopener(attributes["href"] or "", attributes.get("rel"), own_host=own_host)
            if rel is not None:
                link.attrs["rel"] = rel
                changed = True
        if changed:
            self.html = self.tree.html or html

    def ids(self) -> list[str]:
        return [node.attributes["id"] or "" for node in self.tree.css("[id]")]

    def placeholders(self) -> list[str]:
        return [node.attributes["data-diagram"] or "" for node in self.tree.css("div[data-diagram]")]

    def inline_code(self) -> csp.InlineCode:
        scripts = tuple(
            csp.Script(
                node.text(deep=True),
                node.attributes.get("src"),
                node.attributes.get("type") or "",
                node.attributes.get("id") or "",
            )
            for node in self.tree.css("script")
        )
        styles = tuple(node.text(deep=True) for node in self.tree.css("style"))
        attributes = tuple(node.attributes["style"] or "" for node in self.tree.css("[style]"))
        return csp.InlineCode(scripts, styles, attributes)


@dataclass(frozen=True)
class Finished:
    """What the build needs of a final page, small enough to hand between processes."""

    ids: list[str]
    hrefs: list[str]  # outside diagrams' SVG
    placeholders: list[str]  # diagram placeholders no drawing replaced
    tokens: int  # how many CSP tokens the page holds: the template writes one
    policy: str
    article: str  # the <article> as the site shows it: what the PDF and the EPUB are made from
    essay: list[Paragraph]  # its essay text, paragraph by paragraph, for edition.json
    html: str | None  # the page with its external links' rel added; None when none needed it

    def written(self, html: str) -> str:
        """The page `html` as the site serves it: its links' rel added, the policy in place of its one token (a
        page with another count of tokens is left as it is: the build reports it)."""
        text = self.html if self.html is not None else html
        return text.replace(csp.TOKEN, self.policy) if self.tokens == 1 else text


def finish(html: str, own_host: str | None) -> Finished:
    """Everything the build reads from a final page, from one parse; a process of its own can run it."""
    page = FinalPage(html, own_host=own_host)
    node = page.tree.css_first("article.md-content__inner")
    finished = Finished(
        ids=page.ids(),
        hrefs=page.hrefs,
        placeholders=page.placeholders(),
        tokens=page.html.count(csp.TOKEN),
        policy=csp.policy(page.inline_code()),
        article=(node.html or "") if node is not None else "",
        essay=[],
        html=page.html if page.html is not html else None,
    )
    # Last: reading the essay text takes the ¶ permalinks out of the tree, whose page is written out by now.
    return dataclasses.replace(finished, essay=edition_text.essay_text(node)) if node is not None else finished


def finish_and_write(html: str, own_host: str | None, path: str) -> Finished:
    """`finish` the page and write it to `path`, with its policy and its links' rel: the one write it gets."""
    finished = finish(html, own_host)
    text = finished.written(html)
    dest = Path(path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    # As MkDocs writes a page (mkdocs.utils.write_file): a character UTF-8 cannot hold becomes a reference.
    dest.write_bytes(text.encode("utf-8", errors="xmlcharrefreplace"))
    return dataclasses.replace(finished, html=None)  # the page itself stays here: it is on disk
