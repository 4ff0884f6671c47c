"""A page's essay text as readers see it, paragraph by paragraph: what edition.json records of each edition, and
what the next edition's "what changed" compares against.

Read from the page's HTML: its heading (the first <h1> with an id, the one the author wrote; Material adds an
unnamed one to a page without), then each paragraph with a pN id. The final page's <article> and the page's
content give the same text, so the worker that parses final pages (hooks/final_html.py) can read it off the
build's path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from citation_pinpoints import PARAGRAPH_ID
from selectolax.lexbor import LexborHTMLParser

if TYPE_CHECKING:
    from edition_record import Paragraph
    from selectolax.lexbor import LexborNode

# The page's heading, in place of a paragraph id.
TITLE = "title"


def essay_text(html: str | LexborNode) -> list[Paragraph]:
    """The page's essay text: its heading, then each paragraph with a pN id. A parsed node given is changed:
    its heading's ¶ permalink is taken out."""
    root = LexborHTMLParser(html) if isinstance(html, str) else html
    found: list[Paragraph] = []
    heading = root.css_first("h1[id]")
    if heading is not None:
        # Its ¶ permalink is no part of the text.
        for link in heading.css("a.headerlink"):
            link.decompose()
        found.append((TITLE, _folded(heading.text(deep=True))))
    for paragraph in root.css("p[id]"):
        anchor = paragraph.attributes["id"] or ""
        if PARAGRAPH_ID.match(anchor):  # a paragraph has no ¶ permalink (its pinpoint link holds no text)
            found.append((anchor, _folded(paragraph.text(deep=True))))
    return found


def _folded(text: str) -> str:
    return " ".join(text.split())
