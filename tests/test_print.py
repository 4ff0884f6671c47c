"""Printing a page, as a reader's "Print" or "Save as PDF" does it (Chromium's PDF output, read back with pypdf): the
essay's text with its paragraph numbers, the diagram as vectors with its text version open, the citation and address
at the end, and none of the navigation, search, buttons or collapsed boxes."""

from __future__ import annotations

import copy
import io
import unicodedata
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

import pytest
from citation_pinpoints import add_pinpoint
from pypdf import PdfReader

from tests.browser import new_guarded_context
from tests.pages import built_path, soup

if TYPE_CHECKING:
    from pathlib import Path

    from bs4 import BeautifulSoup, Tag
    from playwright.sync_api import Browser, BrowserContext, Page

    from tests.browser import Guard

# Everything a screen shows around the essay: the page's own words must not be among them in print.
CHROME = (
    ".md-skip, .md-header, .md-tabs, .md-sidebar, .md-footer, .md-search, .md-top, button, a.diagram-download,"
    " .cite-box__hint, .cite-box__downloads-title, .cite-box__downloads, label[for='cite-accessed']"
)
ESSAY_PARAGRAPH = "article p[id^='p'] > a.pinpoint"


@pytest.mark.parametrize(
    ("paragraph_id", "number"), [("p1", "1"), ("p12", "12"), ("intro", None), ("p", None), ("p1a", None)]
)
def test_a_pinpoint_carries_its_paragraph_number(paragraph_id: str, number: str | None) -> None:
    paragraph = Element("p", {"id": paragraph_id})
    paragraph.text = "Text."
    add_pinpoint(paragraph, "https://example.org/s/")
    links = paragraph.findall("a")
    assert [link.get("data-paragraph") for link in links] == ([number] if number else [])


def test_only_pages_without_a_cite_box_print_their_address_separately(site_dir: Path, site_pages: list[str]) -> None:
    for src in site_pages:
        doc = soup(site_dir, src)
        address = doc.select(".print-address")
        if doc.select_one("#cite"):
            assert not address, src
        else:
            assert [a.get_text(strip=True) for a in address] == [f"This page: {_canonical(doc)}"], src


def _canonical(doc: BeautifulSoup) -> str:
    return doc.select_one("link[rel=canonical]")["href"]


def _squash(text: str) -> str:
    """Text as a PDF gives it back: compatibility forms folded (ligatures such as ﬁ), every space and line
    break removed (lines break in other places on paper)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _text_without(element: Tag, parts: str) -> str:
    """An element's text without the descendants `parts` selects."""
    element = copy.copy(element)
    for part in element.select(parts):
        part.decompose()
    return element.get_text()


def _expected(doc: BeautifulSoup) -> dict[str, list[str]]:
    """What the printed page must show, read from the built page."""
    article = doc.select_one("article")
    paragraphs = [link.parent for link in article.select("p[id] > a.pinpoint")]
    return {
        # A heading's permalink (¶) is for screens; Material hides it in print.
        "headings": [_text_without(h, ".headerlink") for h in article.select("h1, h2, h3")],
        "paragraphs": [p.get_text() for p in paragraphs],
        "numbers": [f"¶ {link['data-paragraph']}" for link in article.select("a.pinpoint")],
        "labels": [
            text.get_text() for text in article.select(".diagram-drawing svg text") if text.get_text(strip=True)
        ],
        # Each item without its nested list, whose numbers the PDF puts in between.
        "text version": [_text_without(li, "ol, ul") for li in article.select("details:not(.cite-box) li")],
        "citation": [c.get_text() for c in article.select(".cite-box__citation, #cite-url")]
        or [a.get_text() for a in doc.select(".print-address")],
    }


def _chrome_labels(doc: BeautifulSoup, page: Page) -> set[str]:
    """The screen's labels that are not also words of the page's own content."""
    shown = _squash(_text_without(doc.select_one("article"), CHROME))
    labels = {text for element in doc.select(CHROME) for text in element.stripped_strings}
    labels |= set(page.locator(".diagram-tools").all_inner_texts())  # made by the page's script
    return {label for label in map(_squash, labels) if len(label) >= 4 and label not in shown}


def _images(resources: object) -> list[str]:
    """Every raster image in a PDF page's resources, form XObjects followed."""
    found = []
    xobjects = resources.get("/XObject") if resources else None  # type: ignore[attr-defined]
    for name, ref in (xobjects.get_object() if xobjects else {}).items():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Image":
            found.append(name)
        found += _images(xobject.get("/Resources"))
    return found


def _print(page: Page) -> list[str]:
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert not [name for p in reader.pages for name in _images(p.get("/Resources"))], "a raster image was printed"
    return [p.extract_text() for p in reader.pages]


def _check(page: Page, doc: BeautifulSoup, where: str) -> None:
    expected = _expected(doc)
    chrome = _chrome_labels(doc, page)
    pages = _print(page)
    assert all(text.strip() for text in pages), f"{where}: a blank page was printed"
    printed = _squash("".join(pages))
    for kind, texts in expected.items():
        missing = [text for text in texts if _squash(text) not in printed]
        assert not missing, f"{where}: {kind} not printed: {missing}"
    assert expected["citation"], f"{where}: no citation or address to print"
    last = _squash(pages[-1])
    assert all(_squash(text) in last for text in expected["citation"]), f"{where}: the citation is not at the end"
    shown = sorted(label for label in chrome if label in printed)
    assert not shown, f"{where}: printed what only a screen needs: {shown}"


@pytest.mark.browser
def test_every_page_prints_its_text_diagram_and_citation(
    context: BrowserContext, site_url: str, site_dir: Path, site_pages: list[str]
) -> None:
    page = context.new_page()
    numbered = drawn = 0
    for src in site_pages:
        page.goto(site_url + built_path(src).removesuffix("index.html"))
        page.wait_for_load_state("load")
        doc = soup(site_dir, src)
        _check(page, doc, src)
        numbered += len(doc.select(ESSAY_PARAGRAPH))
        drawn += len(doc.select(".diagram-drawing svg"))
    assert numbered >= 8
    assert drawn >= 7


@pytest.mark.browser
def test_a_page_prints_the_same_without_javascript(
    browser: Browser, guard: Guard, site_url: str, site_dir: Path
) -> None:
    """The print stylesheet alone opens the text version and the citation (::details-content)."""
    context = new_guarded_context(browser, guard, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "ukraine/")
        _check(page, soup(site_dir, "ukraine.md"), "ukraine.md without JavaScript")
    finally:
        context.close()
    guard.assert_clean()


@pytest.mark.browser
def test_printing_with_the_full_screen_view_open_prints_the_diagram_in_the_page(
    context: BrowserContext, site_url: str, site_dir: Path
) -> None:
    page = context.new_page()
    page.goto(site_url + "ukraine/")
    page.locator(".diagram-tools__open").click()
    page.locator("dialog.diagram-viewer[open]").wait_for()
    _check(page, soup(site_dir, "ukraine.md"), "ukraine.md, full-screen view open")


# In print: the colour of the paragraph text, of a diagram label and of the box behind the diagram.
PRINTED_COLOURS = """() => {
  const style = el => getComputedStyle(el);
  return {
    text: style(document.querySelector('article p[id]')).color,
    label: style(document.querySelector('.diagram-drawing svg text')).fill,
    box: style(document.querySelector('.admonition.diagram')).backgroundColor,
  };
}"""


def _luminance(colour: str) -> float:
    """Relative luminance (WCAG) of an rgb()/rgba() colour, alpha over white paper."""
    parts = [float(x) for x in colour[colour.index("(") + 1 : colour.index(")")].replace(",", " ").split()]
    red, green, blue, alpha = (*parts, 1.0)[:4]
    channels = [(c * alpha + 255 * (1 - alpha)) / 255 for c in (red, green, blue)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_both_palettes_print_dark_on_white(browser: Browser, guard: Guard, site_url: str, scheme: str) -> None:
    context = new_guarded_context(browser, guard, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(site_url + "ukraine/")
        assert page.get_attribute("body", "data-md-color-scheme") == {"light": "default", "dark": "slate"}[scheme]
        page.emulate_media(media="print")
        colours = page.evaluate(PRINTED_COLOURS)
        assert _luminance(colours["text"]) < 0.1, colours
        assert _luminance(colours["label"]) < 0.1, colours
        assert _luminance(colours["box"]) > 0.9, colours
    finally:
        context.close()
    guard.assert_clean()
