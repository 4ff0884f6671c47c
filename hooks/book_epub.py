"""The essay as one EPUB 3: a title page, the navigation document, one XHTML chapter per essay page.

A pure core: hooks/books.py gives it the parts (hooks/book_content.py) and the citation record. The package is
written here with lxml and zipfile rather than with EbookLib: EbookLib re-parses each chapter with lxml's HTML
parser, which folds SVG's camelCase attributes (viewBox, markerWidth) and so breaks every diagram, and it
stamps the zip with the clock. Here every entry has one fixed date (`modified`, from SOURCE_DATE_EPOCH or the
release date), the entries come in one order (mimetype first and stored, as EPUB requires), and the same
parts give the same bytes. EPUBCheck, the official checker, must find nothing (tests/test_books.py).
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from book_content import EPUB_TYPE, XHTML_NS, polyglot
from lxml import etree

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from citation_record import Work
    from site_model import PageModel

STYLESHEET = Path(__file__).with_name("book_styles") / "epub.css"
OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
OPS_NS = EPUB_TYPE[1:].split("}")[0]
CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
FOLDER = "EPUB"
PACKAGE = f"{FOLDER}/package.opf"
CSS_NAME = "book.css"
TITLE_FILE = "title.xhtml"
NAV_FILE = "nav.xhtml"
XHTML_TYPE = "application/xhtml+xml"
ZIP_EPOCH_MIN = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold


def package(work: Work, parts: Sequence[etree._Element], pages: Sequence[PageModel], modified: dt.datetime) -> bytes:
    """The EPUB's bytes. `parts` are the title page, the contents and then one chapter per page of `pages`."""
    title, nav, *chapters = parts
    if len(chapters) != len(pages):
        raise ValueError(f"{len(chapters)} chapters for {len(pages)} pages")
    files: list[tuple[str, str, bytes, str]] = [  # (href, id, bytes, properties)
        (TITLE_FILE, "title-page", _xhtml(work, work.title, title), ""),
        (NAV_FILE, "nav", _xhtml(work, "Contents", nav), "nav"),
    ]
    for page, section in zip(pages, chapters, strict=True):
        svg = "svg" if section.find(".//{http://www.w3.org/2000/svg}svg") is not None else ""
        files.append((page.place.in_epub(), f"chapter-{page.place.chapter}", _xhtml(work, page.title, section), svg))
    stylesheet = STYLESHEET.read_bytes()
    entries = [
        ("META-INF/container.xml", _container()),
        (PACKAGE, _package(work, files, modified)),
        (f"{FOLDER}/{CSS_NAME}", stylesheet),
        *((f"{FOLDER}/{href}", data) for href, _, data, _ in files),
    ]
    return _zip(entries, modified)


def _xhtml(work: Work, title: str, body_part: etree._Element) -> bytes:
    html = etree.Element(f"{{{XHTML_NS}}}html", {"lang": work.language}, nsmap={None: XHTML_NS, "epub": OPS_NS})
    html.set("{http://www.w3.org/XML/1998/namespace}lang", work.language)
    head = etree.SubElement(html, f"{{{XHTML_NS}}}head")
    etree.SubElement(head, f"{{{XHTML_NS}}}meta", {"charset": "utf-8"})
    etree.SubElement(head, f"{{{XHTML_NS}}}title").text = title
    etree.SubElement(head, f"{{{XHTML_NS}}}link", {"rel": "stylesheet", "type": "text/css", "href": CSS_NAME})
    body = etree.SubElement(html, f"{{{XHTML_NS}}}body")
    body.append(body_part)
    polyglot(html)
    return b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + etree.tostring(html, encoding="utf-8")


def _package(work: Work, files: list[tuple[str, str, bytes, str]], modified: dt.datetime) -> bytes:
    opf = etree.Element(
        f"{{{OPF_NS}}}package",
        {"version": "3.0", "unique-identifier": "uid", "{http://www.w3.org/XML/1998/namespace}lang": work.language},
        nsmap={None: OPF_NS},
    )
    metadata = etree.SubElement(opf, f"{{{OPF_NS}}}metadata", nsmap={"dc": DC_NS})

    def dc(name: str, text: str, **attrib: str) -> None:
        etree.SubElement(metadata, f"{{{DC_NS}}}{name}", attrib).text = text

    # The canonical URL names the publication in every release; dcterms:modified tells the releases apart.
    dc("identifier", work.url, id="uid")
    dc("title", work.title)
    dc("language", work.language)
    for author in work.authors:  # none today: the record names none, and none may be invented
        dc("creator", author.display)
    dc("date", work.released.isoformat())
    if work.abstract:
        dc("description", work.abstract)
    for keyword in work.keywords:
        dc("subject", keyword)
    dc("rights", work.rights)
    dc("source", work.url)
    for prop, text in [
        ("dcterms:modified", modified.strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("schema:version", work.version),
        # Accessibility metadata (schema.org, as EPUB Accessibility 1.1 asks): every diagram has a text version.
        ("schema:accessMode", "textual"),
        ("schema:accessMode", "visual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "longDescription"),
        ("schema:accessibilityHazard", "none"),
        (
            "schema:accessibilitySummary",
            "Each diagram is followed by a text version that lists the same path in words.",
        ),
    ]:
        etree.SubElement(metadata, f"{{{OPF_NS}}}meta", {"property": prop}).text = text
    manifest = etree.SubElement(opf, f"{{{OPF_NS}}}manifest")
    etree.SubElement(manifest, f"{{{OPF_NS}}}item", {"id": "css", "href": CSS_NAME, "media-type": "text/css"})
    for href, ident, _, properties in files:
        item = etree.SubElement(manifest, f"{{{OPF_NS}}}item", {"id": ident, "href": href, "media-type": XHTML_TYPE})
        if properties:
            item.set("properties", properties)
    spine = etree.SubElement(opf, f"{{{OPF_NS}}}spine")
    for _, ident, _, _ in files:
        etree.SubElement(spine, f"{{{OPF_NS}}}itemref", {"idref": ident})
    return etree.tostring(opf, encoding="utf-8", xml_declaration=True)


def _container() -> bytes:
    container = etree.Element(f"{{{CONTAINER_NS}}}container", {"version": "1.0"}, nsmap={None: CONTAINER_NS})
    rootfiles = etree.SubElement(container, f"{{{CONTAINER_NS}}}rootfiles")
    etree.SubElement(
        rootfiles,
        f"{{{CONTAINER_NS}}}rootfile",
        {"full-path": PACKAGE, "media-type": "application/oebps-package+xml"},
    )
    return etree.tostring(container, encoding="utf-8", xml_declaration=True)


def _zip(entries: list[tuple[str, bytes]], modified: dt.datetime) -> bytes:
    stamp = max(modified.timetuple()[:6], ZIP_EPOCH_MIN)
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        # EPUB's first entry: `mimetype`, stored, no extra field, so a reader can identify the file by its bytes.
        archive.writestr(_info("mimetype", stamp, zipfile.ZIP_STORED), b"application/epub+zip")
        for name, data in entries:
            archive.writestr(_info(name, stamp, zipfile.ZIP_DEFLATED), data, compresslevel=9)
    return out.getvalue()


def _info(name: str, stamp: tuple[int, ...], compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
    info.compress_type = compression
    info.create_system = 3  # Unix, so the permissions below apply everywhere
    info.external_attr = (0o100644 & 0xFFFF) << 16
    return info
