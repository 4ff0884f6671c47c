"""The diagrams of a built page, for browser tests: each is an inline SVG drawn at build time (hooks/diagrams.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from diagram_svg import DRAWING_CLASS

from tests.sitebuild import ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page

# Where hooks/diagrams.py puts each diagram; a page script's expression for their SVGs, in document order.
DRAWING = f".{DRAWING_CLASS}"
DIAGRAM_SVGS = f"[...document.querySelectorAll('{DRAWING} > svg')]"


def diagram_count(page: Page) -> int:
    """How many diagrams the page shows, each with the role and name Mermaid gives its SVG."""
    return page.evaluate(f"{DIAGRAM_SVGS}.filter(svg => svg.getAttribute('aria-roledescription')).length")


def diagram_sources(page: Path) -> list[str]:
    """The Mermaid diagrams of a Markdown page, found the way the build finds them: by pymdownx.superfences,
    with the site's own Markdown extensions and settings (the hook's fence is swapped for a recorder)."""
    import markdown
    from mkdocs.config import load_config
    from mkdocs.utils.meta import get_data

    config = load_config(str(ROOT / "mkdocs.yml"))
    found: list[str] = []

    def record(source: str, *args: object, **kwargs: object) -> str:
        found.append(source.strip("\n"))
        return ""

    settings = {**config.mdx_configs}
    settings["pymdownx.superfences"] = {"custom_fences": [{"name": "mermaid", "class": "x", "format": record}]}
    body, _ = get_data(page.read_text("utf-8"))
    markdown.Markdown(extensions=config.markdown_extensions, extension_configs=settings).convert(body)
    return found
