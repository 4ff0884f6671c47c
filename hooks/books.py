"""The essay as one PDF and one EPUB, written into every build of the site (downloads/) from its own pages.

Each essay page's final HTML, as the site writes it (captured last in on_post_page), becomes a chapter
(hooks/book_content.py); its diagrams are the site model's drawings, from the diagram cache. After the build,
hooks/book_pdf.py typesets the PDF with WeasyPrint and hooks/book_epub.py packs the EPUB, and both are written
to the paths the site model gives them (`Site.books`): the cite box of every page and How to cite link them
there, hosted and offline alike, and permalinks.lock publishes them.

Typesetting takes seconds, so both books are kept in `.cache/books/` under the hash of everything they are made
from (the pages, the drawings, the record, the style sheets, this code), and the PDF also under the hash of its
HTML document (the offline build's pages differ, its PDF does not): a build whose essay did not change copies
them. `mkdocs serve` writes neither: typesetting would add seconds to each edit, and its links would name
serve's own address; the cite box's links are checked all the same (hooks/xref.py knows the books' paths).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import html
import json
import logging
import os
import re
import time
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import book_content
import book_epub
import book_pdf
import citation_record as record
import citation_styles as styles
from disk_cache import DiskCache
from mkdocs.utils import get_relative_url
from problems import Problem
from site_model import current
from yaml_lines import YamlLines

if TYPE_CHECKING:
    from lxml import etree
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext
    from site_model import Book, Site

log = logging.getLogger("mkdocs.hooks.books")

CACHE_DIR = Path(".cache") / "books"
# Bumped when what the cache holds changes shape.
FORMAT = 1
# Where the PDF's warnings are reported: most are about its style sheet.
STYLESHEET_DOC = "hooks/book_styles/pdf.css"
# WeasyPrint's warnings about the pages' anchors, which hooks/xref.py reports at their lines.
XREF_REPORTS = ("Anchor defined twice", "No anchor #")
# Replaced on the How-to-cite page by the links to the PDF and the EPUB.
DOWNLOADS_MARKER = "<!-- book-downloads -->"

_root: Path | None = None
_MAKERS = (book_content, book_pdf, book_epub, record, styles)


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    global _root
    _root = Path(config.config_file_path).parent
    styles.apply_fixes()  # the title page's citations, like every cite box's (once per process)
    return None


def on_page_context(
    context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
) -> TemplateContext | None:
    site = current()
    context["books"] = [
        {"path": book.path, "file": book.file, "label": book.label, "type": book.media_type} for book in site.books
    ]
    if page.content and DOWNLOADS_MARKER in page.content:
        page.content = page.content.replace(DOWNLOADS_MARKER, downloads_html(site.books, page.url))
    return context


def on_post_build(*, config: MkDocsConfig) -> None:
    site = current()
    if site.work is None or not site.books:
        return
    if site.serving:  # seconds of typesetting on every edit, for books whose links would name serve's address
        log.info("books: not written under mkdocs serve (make site, make pdf or make epub writes them)")
        return
    pages = site.book_pages()
    # Each page's <article> as the site writes it, from hooks/final_page.py's one parse of the page.
    if missing := [p.src for p in pages if not p.final_article]:
        log.info(f"books: not written, {len(missing)} essay pages were not rendered in this (dirty) build")
        return
    started = time.perf_counter()
    try:
        made = write_books(site, Path(config.site_dir), _root)
    except book_pdf.TypesetError as error:
        hint = "install Debian's libpango-1.0-0 and libpangoft2-1.0-0 (make pango), or remove what the book loads"
        site.report.add(Problem("mkdocs.yml", _hook_line(site), f"books: {error}", hint), log)
        return
    log.info(f"books: {', '.join(made)} in {time.perf_counter() - started:.2f} s")


def write_books(site: Site, site_dir: Path, root: Path) -> list[str]:
    """Write the PDF and the EPUB where the model puts them; return what was done with each, for the log."""
    assert site.work is not None
    modified = modified_at(site.work.released, os.environ)
    cache = Cache(root / CACHE_DIR)
    key = inputs_key(site, {p.src: p.final_article for p in site.book_pages()}, modified)
    made = []
    parts: dict[str, list[etree._Element]] = {}
    for book in site.books:
        data, how = cache.get(f"{key}.{book.format}"), "from cache"
        if data is None:
            parts = parts or _parts(site, root, modified)
            data, how, clean = _make(book, parts[book.format], site, cache, modified)
            if clean:  # a book made with warnings is made again, so that the next build reports them too
                cache.put(f"{key}.{book.format}", data)
        dest = site_dir / book.path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        made.append(f"{book.path} {how}")
    cache.prune()
    return made


def inputs_key(site: Site, articles: dict[str, str], modified: dt.datetime) -> str:
    """The hash of everything the books are made from: a build with the same key makes the same two files."""
    material = [
        FORMAT,
        version("weasyprint"),
        styles.RENDERER,
        # The code that makes them: this module, its cores, and what renders the title page's citations.
        [Path(path).read_text("utf-8") for path in (__file__, *(m.__file__ for m in _MAKERS))],
        [path.read_text("utf-8") for path in (book_pdf.STYLESHEET, book_epub.STYLESHEET)],
        repr(site.work),
        repr(site.books),
        modified.isoformat(),
        [repr(page.place) for page in site.in_nav_order()],
        [
            (src, site.pages[src].title, [repr(site.drawings.get(f.key)) for f in site.pages[src].fences])
            for src in articles
        ],
    ]
    digest = hashlib.sha256(json.dumps(material, ensure_ascii=False).encode("utf-8"))
    # The articles themselves, as bytes: a large site's run to megabytes, more than is worth quoting as JSON.
    for src, article in articles.items():
        digest.update(f"\0{src}\0".encode())
        digest.update(article.encode("utf-8"))
    return digest.hexdigest()


def modified_at(released: dt.date, environ: dict[str, str] | os._Environ[str]) -> dt.datetime:
    """When the book was last changed: SOURCE_DATE_EPOCH when set, else the release date (never the clock)."""
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        return dt.datetime.fromtimestamp(int(value), dt.UTC)
    return dt.datetime(released.year, released.month, released.day, tzinfo=dt.UTC)


def weasyprint_problem(message: str) -> Problem:
    """One of WeasyPrint's warnings as a problem of the book's style sheet, at the line and column it names."""
    # WeasyPrint says where in a style sheet: "Ignored `text-algin: center` at 140:3, unknown property."
    where = re.search(r" at (\d+):(\d+)\b", message)
    line, column = (int(where[1]), int(where[2])) if where else (1, 0)
    hint = "WeasyPrint ignored it: fix the book's style sheet (or what the pages give it)"
    return Problem(STYLESHEET_DOC, line, f"books: WeasyPrint: {message}", hint, column)


def downloads_html(books: tuple[Book, ...], page_url: str) -> str:
    """The How-to-cite page's links to the books, written in the page at `page_url`."""
    items = "".join(
        f'<li><a href="{html.escape(get_relative_url(book.path, page_url))}" download="{html.escape(book.file)}"'
        f' type="{book.media_type}">{book.label}</a>, {html.escape(book.file)}</li>'
        for book in books
    )
    return f'<ul class="book-downloads">{items}</ul>'


def _parts(site: Site, root: Path, modified: dt.datetime) -> dict[str, list[etree._Element]]:
    """Title page, contents and chapters, for each kind of book."""
    assert site.work is not None
    pages = site.book_pages()
    # The title page's citations, rendered by citeproc-py once and then kept, as hooks/citations.py keeps its own.
    renders = DiskCache(root / ".cache" / "book-citations.json")
    citations = styles.render_all(record.csl(record.essay(site.work)), renders)
    renders.save()
    example = pages[1] if len(pages) > 1 else None
    articles = {page.src: book_content.article(page.final_article, page) for page in pages}
    parts = {}
    for book in site.books:
        parts[book.format] = [
            book_content.title_page(site.work, citations, example, book.format),
            book_content.contents(pages, book.format),
            *(book_content.chapter(copy.deepcopy(articles[p.src]), p, site, book.format) for p in pages),
        ]
    return parts


def _make(
    book: Book, parts: list[etree._Element], site: Site, cache: Cache, modified: dt.datetime
) -> tuple[bytes, str, bool]:
    """The book's bytes, what was done, and whether it was made without a warning."""
    assert site.work is not None
    if book.format == book_content.EPUB:
        return book_epub.package(site.work, parts, site.book_pages(), modified), "packed", True
    document = book_pdf.document(site.work, parts, modified)
    stylesheet = book_pdf.STYLESHEET.read_text("utf-8")
    material = "\n".join([f"weasyprint {version('weasyprint')}", book_pdf.VARIANT, stylesheet, document])
    name = f"{hashlib.sha256(material.encode('utf-8')).hexdigest()}.typeset.pdf"
    if (data := cache.get(name)) is not None:
        return data, "from cache", True
    data, messages = book_pdf.render(document, stylesheet)
    # A link to a missing anchor, or an id given twice, is the page's: hooks/xref.py reports it where it is written.
    warnings = [m for m in messages if not m.startswith(XREF_REPORTS)]
    for warning in warnings:
        site.report.add(weasyprint_problem(warning), log)
    if not warnings:
        cache.put(name, data)
    return data, "typeset", not warnings


class Cache:
    """Files by name in one folder, each written whole (a temporary file renamed into place); the least
    recently used beyond KEEP are removed, so that editing the essay does not fill the disk with old PDFs."""

    KEEP = 12

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def get(self, name: str) -> bytes | None:
        path = self.directory / name
        if not path.is_file():
            return None
        path.touch()
        return path.read_bytes()

    def put(self, name: str, data: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        partial = self.directory / f"{name}.{os.getpid()}.tmp"
        partial.write_bytes(data)
        os.replace(partial, self.directory / name)

    def prune(self) -> None:
        if not self.directory.is_dir():
            return
        files = sorted(self.directory.iterdir(), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for path in files[self.KEEP :]:
            path.unlink(missing_ok=True)


def _hook_line(site: Site) -> int:
    """The line of mkdocs.yml that loads this hook, where a problem of the whole books step is reported."""
    lines = YamlLines(site.config_text)
    index = 0
    while (line := lines.line(("hooks", index))) is not None:
        if Path(__file__).name in site.config_text.splitlines()[line - 1]:
            return line
        index += 1
    return 1
