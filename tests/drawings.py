"""The diagrams of a built page, for browser tests: each is an inline SVG drawn at build time (hooks/diagrams.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hooks.diagrams import DRAWING_CLASS

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Where hooks/diagrams.py puts each diagram; a page script's expression for their SVGs, in document order.
DRAWING = f".{DRAWING_CLASS}"
DIAGRAM_SVGS = f"[...document.querySelectorAll('{DRAWING} > svg')]"


def diagram_count(page: Page) -> int:
    """How many diagrams the page shows, each with the role and name Mermaid gives its SVG."""
    return page.evaluate(f"{DIAGRAM_SVGS}.filter(svg => svg.getAttribute('aria-roledescription')).length")
