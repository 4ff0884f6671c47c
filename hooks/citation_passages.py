"""Cite this passage: what a page's script needs to cite words of any of its paragraphs, rendered at build time.

For each paragraph with a ¶ pinpoint (`p1`, `p2`, …): its citable URL and, in every style, the in-text
citation with the paragraph as its CSL locator ("para. 3"), rendered by citeproc-py (hooks/citation_styles.py);
with them, the page's reference entries. docs/assets/cite-passage.js reads it from a JSON <script> (data, not
code: the CSP needs no hash for it) and adds only the reader's quote and the text fragment of the link.
A pure core: hooks/citations.py is its caller, tests call it directly.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import citation_styles as styles
from citation_pinpoints import PARAGRAPH_ID

if TYPE_CHECKING:
    from collections.abc import MutableMapping

# The element id the cite box gives the data; the script looks for it.
SCRIPT_ID = "cite-passages"


def paragraph_number(anchor: str) -> int:
    """`p12` -> 12: the number a pinpoint cites."""
    match = PARAGRAPH_ID.match(anchor)
    if match is None:
        raise ValueError(f"not a paragraph pinpoint: {anchor!r}")
    return int(match.group(1))


def passage_data(
    item: dict[str, Any], url: str, pinpoints: list[str], cache: MutableMapping[str, Any] | None = None
) -> dict[str, Any]:
    """The page's citations for the script: reference entries, and per paragraph its URL and in-text citations,
    each rendered citation kept in `cache` (hooks/citations.py keeps the whole cite box, this included)."""
    return {
        "url": url,
        "styles": [
            {"slug": r.style.slug, "label": r.style.label, "reference": {"html": r.html, "text": r.text}}
            for r in styles.render_all(item, cache)
        ],
        "paragraphs": {
            anchor: {
                "number": paragraph_number(anchor),
                "url": f"{url}#{anchor}",
                "cite": {
                    r.style.slug: {"html": r.html, "text": r.text}
                    for r in styles.cite_all(item, paragraph_number(anchor), cache)
                },
            }
            for anchor in pinpoints
        },
    }


def script_text(data: dict[str, Any]) -> str:
    """The data as the text of a <script type="application/json">: "</" would end the element early."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
