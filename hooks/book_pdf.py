"""The essay as one PDF: title page, contents, one chapter per essay page; typeset by WeasyPrint.

A pure core: hooks/books.py gives it the chapters (hooks/book_content.py) and the citation record. WeasyPrint
writes a tagged PDF (its PDF/UA-1 variant: structure tree, document language, title shown as the window's title) with
the fonts embedded as subsets, bookmarks from the headings, running headers from each chapter's heading
(CSS string-set), page numbers, and the table of contents' page numbers (target-counter). Its input is one
HTML document; `document` builds it, `render` typesets it. Same document, same WeasyPrint and fonts: same
bytes (no clock is read: the dates come from the record and SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from book_content import XHTML_NS, polyglot
from lxml import etree

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from citation_record import Work

STYLESHEET = Path(__file__).with_name("book_styles") / "pdf.css"
# PDF/UA-1 asks for what the issue asks for: tags, the language, the title in the metadata and shown.
VARIANT = "pdf/ua-1"


def document(work: Work, parts: Sequence[etree._Element], modified: dt.datetime) -> str:
    """The book as one HTML document (polyglot XHTML, which WeasyPrint's HTML parser reads as written)."""
    html = etree.Element(f"{{{XHTML_NS}}}html", {"lang": work.language}, nsmap={None: XHTML_NS})
    html.set("{http://www.w3.org/XML/1998/namespace}lang", work.language)
    head = etree.SubElement(html, f"{{{XHTML_NS}}}head")
    etree.SubElement(head, f"{{{XHTML_NS}}}meta", {"charset": "utf-8"})
    etree.SubElement(head, f"{{{XHTML_NS}}}title").text = work.title
    for name, content in metadata(work, modified):
        etree.SubElement(head, f"{{{XHTML_NS}}}meta", {"name": name, "content": content})
    body = etree.SubElement(html, f"{{{XHTML_NS}}}body")
    body.extend(parts)
    polyglot(html)
    return "<!DOCTYPE html>\n" + etree.tostring(html, encoding="unicode")


def metadata(work: Work, modified: dt.datetime) -> list[tuple[str, str]]:
    """<meta> names WeasyPrint writes into the PDF's document information (Version with custom_metadata)."""
    found = [
        ("description", work.abstract),
        ("keywords", ", ".join(work.keywords)),
        ("Version", work.version),
        ("dcterms.created", work.released.isoformat()),
        ("dcterms.modified", modified.strftime("%Y-%m-%dT%H:%M:%SZ")),
    ]
    # No author: the record names none, and none may be invented.
    found += [("author", author.display) for author in work.authors]
    return [(name, content) for name, content in found if content]


class TypesetError(Exception):
    """WeasyPrint could not typeset the book at all (its libraries are missing, or the book asked for a file)."""


def render(html: str, stylesheet: str | None = None) -> tuple[bytes, list[str]]:
    """The PDF WeasyPrint typesets from `html` with the book's style sheet, and every warning it gave.

    Nothing is fetched: the book is made of the site's own pages and drawings, so any URL it asks WeasyPrint to
    load (an image, a style sheet, a font) stops the typesetting. WeasyPrint's warnings (CSS it ignored, say)
    are returned, for the build to report.
    """
    try:
        import weasyprint  # a second to import; only a build that typesets pays for it
        from weasyprint.urls import FatalURLFetchingError
    except OSError as error:  # cffi could not open Pango
        raise TypesetError(f"WeasyPrint cannot load its system libraries: {error}") from error
    messages: list[str] = []
    handler = _Collect(messages)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        fetcher = weasyprint.URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
        css = weasyprint.CSS(string=stylesheet if stylesheet is not None else STYLESHEET.read_text("utf-8"))
        document = weasyprint.HTML(string=html, url_fetcher=fetcher)
        pdf = document.write_pdf(stylesheets=[css], pdf_variant=VARIANT, custom_metadata=True)
    except FatalURLFetchingError as error:
        raise TypesetError(f"the book asks WeasyPrint to load a file, and it loads none: {error}") from error
    finally:
        logger.removeHandler(handler)
    assert pdf is not None
    return pdf, messages


class _Collect(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
