"""Paragraph pinpoints: each essay paragraph (id `pN`) starts with a link to itself.

The link is added to Python-Markdown's element tree while the page renders, so the page is never parsed
again for it. It has no text (its ¶ comes from CSS), so the paragraph's text stays the author's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown import Markdown

PARAGRAPH_ID = re.compile(r"^p(\d+)$")
# After attr_list (8) has given the paragraphs their ids; before unescape (0) restores escaped characters.
PRIORITY = 4


class Pinpoints(Extension):
    """Adds pinpoints to the page being rendered; `page_url()` gives its citable URL, None for a page without them.
    `found(id)` hears of each paragraph given one, in order."""

    def __init__(self, page_url: Callable[[], str | None], found: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self.page_url = page_url
        self.found = found

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_AddPinpoints(md, self), "citation_pinpoints", PRIORITY)


class _AddPinpoints(Treeprocessor):
    def __init__(self, md: Markdown, extension: Pinpoints) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Element) -> None:
        page_url = self.extension.page_url()
        if page_url is None:
            return
        for paragraph in root.iter("p"):
            if add_pinpoint(paragraph, page_url) and self.extension.found is not None:
                self.extension.found(paragraph.get("id", ""))


def add_pinpoint(paragraph: Element, page_url: str) -> bool:
    """Put a link to the paragraph before its text, if its id is `pN`; return whether it got one."""
    match = PARAGRAPH_ID.match(paragraph.get("id", ""))
    if match is None:
        return False
    anchor = f"#{paragraph.get('id')}"
    link = Element(
        "a",
        {
            "class": "pinpoint",
            "href": anchor,
            "aria-label": f"Link to paragraph {match.group(1)}",
            "title": "Link to this paragraph (click copies its citable URL)",
            "data-clipboard-text": f"{page_url}{anchor}",
            # The number alone, which the print stylesheet shows as the paragraph's number (CSS cannot cut "p1").
            "data-paragraph": match.group(1),
        },
    )
    # In an element tree the paragraph's leading text sits before its first child: it moves after the link.
    link.tail, paragraph.text = paragraph.text, None
    paragraph.insert(0, link)
    return True
