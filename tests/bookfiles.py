"""Reading the essay's PDF and EPUB as a reader's tools do: their text, outline, links, fonts and chapters."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pypdf
import tinycss2
from lxml import etree

from tests.sitebuild import ROOT

if TYPE_CHECKING:
    from pathlib import Path

PDF_CSS = ROOT / "hooks" / "book_styles" / "pdf.css"
XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
MM = 72 / 25.4  # PDF points per millimetre
# A line that ends at one of these was broken there by the typesetter, which adds no space.
BREAK_AFTER = ("-", "\u2010", "\u2013", "\u2014")


@dataclass(frozen=True)
class Run:
    """A run of text as the PDF draws it on a page, with its baseline's height from the page's bottom."""

    text: str
    y: float


def page_margins(css: str | None = None) -> tuple[float, float]:
    """The top and bottom margins of the PDF's pages, in points, as hooks/book_styles/pdf.css's @page rule sets them.
    The running header and the page number are drawn in them."""
    for rule in tinycss2.parse_stylesheet(css if css is not None else PDF_CSS.read_text("utf-8"), True, True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "page" and not tinycss2.serialize(rule.prelude).strip():
            for declaration in tinycss2.parse_blocks_contents(rule.content, True, True):
                if declaration.type == "declaration" and declaration.lower_name == "margin":
                    sizes = [t for t in declaration.value if t.type == "dimension"]
                    top, bottom = sizes[0], sizes[2 if len(sizes) > 2 else 0]
                    return _points(top), _points(bottom)
    raise AssertionError("no margin in the @page rule of the book's style sheet")


def _points(token: tinycss2.ast.DimensionToken) -> float:
    units = {"mm": MM, "cm": 10 * MM, "in": 72.0, "pt": 1.0, "px": 0.75}
    return float(token.value) * units[token.lower_unit]


def runs(page: pypdf.PageObject) -> list[Run]:
    """The page's text runs in the order the PDF draws them (drawings' labels come with their own coordinates)."""
    found: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            found.append(Run(text, tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return found


def body_runs(page: pypdf.PageObject, margins: tuple[float, float]) -> list[Run]:
    """The runs inside the page's text area: without the running header (top margin) and number (bottom)."""
    top = float(page.mediabox.height) - margins[0]
    return [run for run in runs(page) if margins[1] < run.y < top]


def margin_text(page: pypdf.PageObject, margins: tuple[float, float]) -> tuple[str, str]:
    """What the page shows in its top margin (the running header) and its bottom margin (the page number)."""
    top = float(page.mediabox.height) - margins[0]
    above = " ".join(run.text.strip() for run in runs(page) if run.y >= top)
    # Drawings' labels come with their own coordinates: the bottom margin's run is the last one the page draws.
    below = [run.text.strip() for run in runs(page) if run.y <= margins[1]]
    return above, below[-1] if below else ""


def joined(texts: list[str]) -> str:
    """Lines joined as a reader reads them: a space between lines, none after a line that ends with a dash."""
    out = ""
    for text in texts:
        if out and not out.endswith(BREAK_AFTER):
            out += " "
        out += " ".join(text.split())
    return out


def pdf_text(path: Path) -> str:
    """The PDF's text, page after page, without running headers and page numbers; whitespace folded."""
    reader = pypdf.PdfReader(path)
    margins = page_margins()
    lines: list[str] = []
    for page in reader.pages:
        previous_y: float | None = None
        for run in body_runs(page, margins):
            if previous_y is not None and abs(run.y - previous_y) < 0.5 and lines:
                lines[-1] += run.text  # the same line, drawn in several runs
            else:
                lines.append(run.text)
            previous_y = run.y
    return joined(lines)


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    """The PDF's bookmarks: (depth, title, 0-based page index), in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))  # type: ignore[attr-defined]

    walk(reader.outline, 0)
    return found


def links(reader: pypdf.PdfReader) -> list[tuple[int, str, str]]:
    """Every link annotation: (page index, "uri" or "dest", its URI or its named destination)."""
    found = []
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            if action is not None and action.get("/S") == "/URI":
                found.append((index, "uri", str(action["/URI"])))
            elif annotation.get("/Dest") is not None:
                found.append((index, "dest", str(annotation["/Dest"])))
            elif action is not None and action.get("/S") == "/GoTo":
                found.append((index, "dest", str(action["/D"])))
    return found


def fonts(reader: pypdf.PdfReader) -> dict[str, bool]:
    """Every font the pages use, drawings included, and whether the PDF embeds its program."""
    found: dict[str, bool] = {}

    def walk(resources: object) -> None:
        resources = resources.get_object() if resources is not None else None  # type: ignore[union-attr]
        if not resources:
            return
        for font in (resources.get("/Font") or {}).values():  # type: ignore[union-attr]
            font = font.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts") or []] or [font]
            for each in descendants:
                descriptor = each.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor is not None else {}
                embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                found[str(font.get("/BaseFont"))] = embedded
        for xobject in (resources.get("/XObject") or {}).values():  # type: ignore[union-attr]
            walk(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return found


def epub_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def epub_package(path: Path) -> tuple[str, etree._Element]:
    """The package document's path in the zip, and its root."""
    files = epub_files(path)
    container = etree.fromstring(files["META-INF/container.xml"])
    full_path = container.find(f".//{CONTAINER}rootfile").get("full-path")  # type: ignore[union-attr]
    return full_path, etree.fromstring(files[full_path])


def epub_spine(path: Path) -> list[tuple[str, etree._Element]]:
    """The EPUB's documents in reading order: (href, parsed XHTML root)."""
    files = epub_files(path)
    package_path, package = epub_package(path)
    folder = package_path.rpartition("/")[0]
    items = {item.get("id"): item.get("href") for item in package.iter(f"{OPF}item")}
    spine = [items[ref.get("idref")] for ref in package.iter(f"{OPF}itemref")]
    return [(href, etree.fromstring(files[f"{folder}/{href}" if folder else href])) for href in spine]


def epub_text(path: Path, *, skip_hrefs: tuple[str, ...] = ()) -> str:
    """The text of the EPUB's documents in reading order, whitespace folded."""
    texts = []
    for href, root in epub_spine(path):
        if href not in skip_hrefs:
            body = root.find(f"{XHTML}body")
            texts.append(" ".join("".join(body.itertext()).split()) if body is not None else "")
    return " ".join(texts)
