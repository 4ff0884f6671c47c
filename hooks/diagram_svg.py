"""A drawn diagram's SVG, made fit for where it goes: inline in a page, or downloaded on its own.

Pure functions on mermaidx's SVG text (lxml), so tests call them directly.
"""

from __future__ import annotations

import hashlib
import math
from typing import TYPE_CHECKING

from lxml import etree
from site_model import page_stem

if TYPE_CHECKING:
    from collections.abc import Callable

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XLINK_HREF = f"{{{XLINK_NS}}}href"
# mermaidx gives every SVG this id (mermaid-cli's default); a page with several diagrams needs one id each.
RENDER_ID = "my-svg"
SVG_DIR = "assets/diagrams"
# Where a page carries each drawing: <div class="diagram-drawing"><svg …>.
DRAWING_CLASS = "diagram-drawing"
# What a fence leaves while Markdown renders; the key is the sha256 of the diagram's source, so a placeholder
# can only ever be filled with its own drawing.
PLACEHOLDER = f'<div class="{DRAWING_CLASS}" data-diagram="{{key}}"></div>'
DOWNLOAD_TEXT = "Download this diagram as SVG"
# Mermaid writes width="100%", so a page scales every drawing to its column: the 1,704-unit overview drew its
# 16 px labels at 3 px on a phone. A page's drawing instead gets the size at which its labels are
# MIN_LABEL_PX on screen, and the site's CSS (docs/assets/diagrams.css) never lets it be narrower: a wider
# drawing scrolls in its box. LABEL_PX is Mermaid's default theme fontSize, used for every label here;
# tests/test_diagram_legibility.py measures the labels in the browser, so a change of Mermaid's is caught.
LABEL_PX = 16
MIN_LABEL_PX = 12


def drawing_key(source: str) -> str:
    """Which drawing a fence is; superfences may hand the source over with or without its final newline."""
    return hashlib.sha256(source.strip("\n").encode("utf-8")).hexdigest()


def for_page(svg: str, resolve: Callable[[str], str | None], svg_id: str) -> str:
    """The SVG as a page carries it inline: each click target resolved by `resolve` and written as SVG 2's
    plain `href` (crawlers and Lighthouse read only that one), and `svg_id` in place of mermaidx's id wherever
    it is used (the element's own id, the ids derived from it, the style rules and markers)."""
    root = _tree(svg, resolve)
    for anchor in root.iter(f"{{{SVG_NS}}}a"):
        if (target := anchor.attrib.pop(XLINK_HREF, None)) is not None:
            anchor.set("href", target)
    for element in root.iter():
        for name, value in element.attrib.items():
            if RENDER_ID in value:
                element.set(name, value.replace(RENDER_ID, svg_id))
        if etree.QName(element).localname == "style" and element.text:
            element.text = element.text.replace(RENDER_ID, svg_id)
    if (size := readable_size(root.get("viewBox", ""))) is not None:
        width, height = size
        root.set("width", width)
        root.set("height", height)
    return etree.tostring(root, encoding="unicode")


def readable_size(view_box: str) -> tuple[str, str] | None:
    """The width and height, in CSS px, at which a drawing with this viewBox shows its labels at MIN_LABEL_PX:
    the width rounded up to a whole px, the height in the viewBox's proportion (browsers take a drawing's
    proportion from these two); None when the viewBox is not four numbers with a positive size."""
    try:
        _, _, width, height = (float(number) for number in view_box.replace(",", " ").split())
    except ValueError:
        return None
    if not (width > 0 and height > 0 and math.isfinite(width * height)):
        return None
    shown = math.ceil(width * MIN_LABEL_PX / LABEL_PX)
    return str(shown), str(math.ceil(shown * height / width * 100) / 100)


def for_download(svg: str, resolve: Callable[[str], str | None]) -> str:
    """The SVG as a file of its own: click targets resolved by `resolve` (to hosted URLs), xlink:href kept
    for older SVG editors."""
    return etree.tostring(_tree(svg, resolve), encoding="unicode")


def link_targets(svg: str) -> list[str]:
    """Every click target Mermaid kept in its drawing, as written in the diagram, in document order."""
    root = etree.fromstring(svg.encode("utf-8"))
    return [target for a in root.iter(f"{{{SVG_NS}}}a") if (target := a.get(XLINK_HREF) or a.get("href"))]


def label_text(svg: str) -> str:
    """The text the drawing shows, every label joined by spaces."""
    root = etree.fromstring(svg.encode("utf-8"))
    return " ".join(" ".join(text.itertext()) for text in root.iter(f"{{{SVG_NS}}}text"))


def svg_names(src_uri: str, count: int) -> list[str]:
    """`ukraine.md` -> `assets/diagrams/ukraine.svg`; several on one page -> `index-1.svg`, `index-2.svg`."""
    stem = page_stem(src_uri)
    if count == 1:
        return [f"{SVG_DIR}/{stem}.svg"]
    return [f"{SVG_DIR}/{stem}-{n}.svg" for n in range(1, count + 1)]


def _tree(svg: str, resolve: Callable[[str], str | None]) -> etree._Element:
    root = etree.fromstring(svg.encode("utf-8"))
    for anchor in root.iter(f"{{{SVG_NS}}}a"):
        for attribute in (XLINK_HREF, "href"):
            target = anchor.get(attribute)
            url = resolve(target) if target is not None else None
            if url is not None:
                anchor.set(attribute, url)
    _titles_as_elements(root)
    return root


def _titles_as_elements(root: etree._Element) -> None:
    # Mermaid writes a click's tooltip as a `title` attribute, which SVG does not have (the Nu Html Checker
    # reports each one). SVG's tooltip is a <title> child; it goes on the link, not on the node's <g>: inside
    # the <g>, Chromium names the link by the tooltip (every node of a page then has the same name). On the
    # link, beside an aria-label from the node's own words, the label is its name and the tooltip its
    # description (measured in Chromium's accessibility tree: tests/test_validity.py).
    for element in list(root.iter(f"{{{SVG_NS}}}g")):
        tooltip = element.attrib.pop("title", None)
        if not tooltip:
            continue
        link = next(element.iterancestors(f"{{{SVG_NS}}}a"), None)
        owner = element if link is None else link
        title = etree.Element(f"{{{SVG_NS}}}title")
        title.text = tooltip
        owner.insert(0, title)
        if link is not None and (name := node_label(link)):
            link.set("aria-label", name)


def node_label(element: etree._Element) -> str:
    """The words a node shows, its rows joined by spaces: Chromium's name from an SVG <text> runs its
    rows together ("to" + "Ukraine" -> "toUkraine")."""
    rows = [row for text in element.iter(f"{{{SVG_NS}}}text") for row in _rows(text)]
    return " ".join(" ".join("".join(row.itertext()).split()) for row in rows).strip()


def _rows(text: etree._Element) -> list[etree._Element]:
    rows = [t for t in text.iter(f"{{{SVG_NS}}}tspan") if "row" in (t.get("class") or "").split()]
    return rows or [text]
