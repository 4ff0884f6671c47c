"""The books' pure cores without a site build: where pages live in the books, chapters, links, the EPUB's zip,
the cache, and how the lock publishes the files."""

from __future__ import annotations

import datetime as dt
import logging
import os
import zipfile
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import book_content
import book_epub
import books as books_hook
import citation_record as record
import citation_styles
import lxml.html
import pytest
import site_model
import xref_core
from diagram_render import render_diagram
from diagram_svg import PLACEHOLDER, drawing_key
from lxml import etree
from site_model import Drawing, Fence, PageModel, Site, books, place, release_name

SITE = "https://essay.example.org/"
WORK = record.Work(
    title="NATO–Russia Tensions",
    version="2.1.0",
    released=dt.date(2026, 11, 27),
    url=SITE,
    language="en",
    rights=record.NO_LICENCE,
    keywords=("NATO", "Russia"),
)
XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
DIAGRAM = "\n".join(
    [
        "flowchart LR",
        "  accTitle: Two steps",
        "  accDescr: One, then two.",
        '  a["One"] --> b["Two"]',
        '  click a "ukraine.md#p1"',
    ]
)


def test_books_are_named_from_the_citation_record() -> None:
    pdf, epub = books(WORK, SITE)
    assert release_name(WORK) == "nato-russia-tensions-2.1.0"
    assert (pdf.format, pdf.path, pdf.file, pdf.hosted, pdf.media_type) == (
        "pdf",
        "downloads/essay.pdf",
        "nato-russia-tensions-2.1.0.pdf",
        "https://essay.example.org/downloads/essay.pdf",
        "application/pdf",
    )
    assert (epub.path, epub.file, epub.media_type) == (
        "downloads/essay.epub",
        "nato-russia-tensions-2.1.0.epub",
        "application/epub+zip",
    )


@pytest.mark.parametrize(
    ("src", "anchor", "chapter", "in_pdf", "in_epub"),
    [
        ("index.md", "", "index", "index", "index.xhtml"),
        ("ukraine.md", "p1", "ukraine", "ukraine.p1", "ukraine.xhtml#p1"),
        ("ukraine.md", "ukraine", "ukraine", "ukraine.ukraine", "ukraine.xhtml#ukraine"),
        ("part/notes.md", "p2", "part-notes", "part-notes.p2", "part-notes.xhtml#p2"),
    ],
)
def test_where_a_page_lives_in_the_books(src: str, anchor: str, chapter: str, in_pdf: str, in_epub: str) -> None:
    where = place(src, "x/", "x/index.html", site_url=SITE, hosted_directory_urls=True)
    assert (where.chapter, where.in_pdf(anchor), where.in_epub(anchor)) == (chapter, in_pdf, in_epub)


# --- a small site: two essay pages and How to cite, hosted or offline --------------------------------------

PAGES = {  # src: (title, hosted url/dest, offline url/dest, cited)
    "index.md": ("Introduction", ("./", "index.html"), ("index.html", "index.html"), True),
    "ukraine.md": ("3. Ukraine", ("ukraine/", "ukraine/index.html"), ("ukraine.html", "ukraine.html"), True),
    "how-to-cite.md": ("How to cite", ("how-to-cite/", "how-to-cite/index.html"), ("how-to-cite.html",) * 2, False),
}


def small_site(offline: bool) -> Site:
    site = Site(Path(), "docs", "offline" if offline else "hosted", SITE, hosted_directory_urls=True)
    for src, (title, hosted, flat, cited) in PAGES.items():
        url, dest = flat if offline else hosted
        where = place(src, url, dest, site_url=SITE, hosted_directory_urls=True)
        site.pages[src] = PageModel(where, doc=f"docs/{src}", title=title, cited=cited, in_nav=True)
    site.nav = list(PAGES)
    site.work = WORK
    return site


def blocks(root: etree._Element) -> list[str]:
    """The text of each heading, paragraph, list item and term, whitespace folded."""
    tags = [f"{XHTML}{tag}" for tag in ("h1", "h2", "p", "li", "dt", "dd")]
    return [" ".join("".join(e.itertext()).split()) for e in root.iter(*tags)]


def page_html(body: str) -> str:
    article = f'<article class="md-content__inner md-typeset">{body}</article>'
    return f'<html><body><div class="md-grid">{article}</div></body></html>'


@pytest.mark.parametrize(
    ("offline", "href", "in_pdf", "in_epub"),
    [
        (False, "#p1", "#ukraine.p1", "ukraine.xhtml#p1"),
        (False, "../", "#index", "index.xhtml"),
        (False, "../#p1", "#index.p1", "index.xhtml#p1"),
        (False, "../index.html#guide", "#index.guide", "index.xhtml#guide"),
        (False, "./#ukraine", "#ukraine.ukraine", "ukraine.xhtml#ukraine"),
        (False, "../how-to-cite/#rights", f"{SITE}how-to-cite/#rights", f"{SITE}how-to-cite/#rights"),
        (False, "../cite/essay.bib", f"{SITE}cite/essay.bib", f"{SITE}cite/essay.bib"),
        (False, "https://www.nato.int/", "https://www.nato.int/", "https://www.nato.int/"),
        (True, "index.html#p1", "#index.p1", "index.xhtml#p1"),
        (True, "how-to-cite.html", f"{SITE}how-to-cite/", f"{SITE}how-to-cite/"),
        (True, "#p1", "#ukraine.p1", "ukraine.xhtml#p1"),
    ],
)
def test_links_of_a_chapter_point_into_the_book_or_to_the_hosted_site(
    offline: bool, href: str, in_pdf: str, in_epub: str
) -> None:
    site = small_site(offline)
    page = site.pages["ukraine.md"]
    html = page_html(f'<p id="p1">Text <a href="{href}">link</a>.</p>')
    for kind, expected in ((book_content.PDF, in_pdf), (book_content.EPUB, in_epub)):
        section = book_content.chapter(book_content.article(html, page), page, site, kind)
        (link,) = section.iter(f"{XHTML}a")
        assert link.get("href") == expected, kind


def test_a_chapter_keeps_the_text_and_drops_what_only_a_browser_uses() -> None:
    site = small_site(offline=False)
    page = site.pages["ukraine.md"]
    html = page_html(
        '<h1 id="ukraine">3. Ukraine<a class="headerlink" href="#ukraine" title="Link">¶</a></h1>'
        '<p id="p1"><a class="pinpoint" href="#p1" aria-label="Link to paragraph 1" '
        'data-clipboard-text="https://essay.example.org/ukraine/#p1"></a>For Russia, a red line.</p>'
        '<details class="note"><summary>Text version of the diagram</summary><ol><li>One.</li></ol></details>'
        '<details class="quote cite-box" id="cite"><summary>Cite this page</summary><p>APA</p></details>'
    )
    for kind in (book_content.PDF, book_content.EPUB):
        section = book_content.chapter(book_content.article(html, page), page, site, kind)
        assert blocks(section) == ["3. Ukraine", "¶ 1For Russia, a red line.", "Text version of the diagram", "One."]
        pinpoint = section.find(f".//{XHTML}a")
        assert pinpoint is not None
        assert (pinpoint.get("href"), pinpoint.text) == ("https://essay.example.org/ukraine/#p1", "¶ 1")
        assert section.find(f".//{XHTML}details") is None
        opened = section.find(f".//{XHTML}div")
        assert opened is not None
        assert opened.get("class") == "note admonition"
        ids = [e.get("id") for e in section.iter() if e.get("id")]
        if kind == book_content.PDF:
            assert ids == ["ukraine", "ukraine.ukraine", "ukraine.p1"]
        else:
            assert ids == ["ukraine", "p1"]


def test_a_chapters_drawing_comes_from_the_model_as_svg() -> None:
    site = small_site(offline=False)
    page = site.pages["ukraine.md"]
    drawn = render_diagram(DIAGRAM)
    assert drawn.svg is not None
    fence = Fence(DIAGRAM, drawing_key(DIAGRAM), 3, 1)
    page.fences.append(fence)
    site.drawings[fence.key] = Drawing(drawn.svg, None)
    # What the page carries: the drawing inlined (lxml's HTML parser folds its viewBox), and its download link.
    slot = PLACEHOLDER.format(key=fence.key).replace("></div>", '><svg viewBox="0 0 1 1"></svg></div>')
    html = page_html(f'<p id="p1">Text.</p>{slot}<p><a class="diagram-download" href="x.svg">Download</a></p>')
    epub = book_content.chapter(book_content.article(html, page), page, site, book_content.EPUB)
    (svg,) = epub.iter(f"{SVG}svg")
    assert svg.get("viewBox") != "0 0 1 1"
    assert svg.get("viewBox") == etree.fromstring(drawn.svg.encode()).get("viewBox")
    assert "var(" not in "".join(style.text or "" for style in svg.iter(f"{SVG}style"))
    assert [a.get("{http://www.w3.org/1999/xlink}href") for a in svg.iter(f"{SVG}a")] == ["ukraine.xhtml#p1"]
    assert "Download" not in "".join(epub.itertext())
    pdf = book_content.chapter(book_content.article(html, page), page, site, book_content.PDF)
    (image,) = pdf.iter(f"{XHTML}img")
    assert image.get("src").startswith("data:image/svg+xml;base64,")
    assert image.get("alt") == "Two steps"
    assert float(image.get("width")) == pytest.approx(float(svg.get("width")))


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        ("a{fill:var(--x, #fff)}", "a{fill:#fff}"),
        ("a{fill:var(--x)}", "a{fill:}"),
        ("a{fill:var(--x, var(--y, red))}", "a{fill:red}"),
        (
            "a{fill:rgba(0,0,0,0.5);stroke:var(--e, rgba(1, 2, 3, 0.8))}",
            "a{fill:rgba(0,0,0,0.5);stroke:rgba(1, 2, 3, 0.8)}",
        ),
        ("@media print{a{fill:var(--x, blue)}}", "@media print{a{fill:blue}}"),
        ("#d .node rect{fill:#ECECFF}", "#d .node rect{fill:#ECECFF}"),
        ("a{fill: var(--x, #fff) !important}", "a{fill: #fff !important}"),
    ],
)
def test_without_variables(css: str, expected: str) -> None:
    assert book_content.without_variables(css) == expected


def test_polyglot_closes_empty_elements_for_both_parsers() -> None:
    root = etree.fromstring(f'<div xmlns="{XHTML[1:-1]}"><a href="x"/><br/><p/></div>')
    book_content.polyglot(root)
    assert etree.tostring(root, encoding="unicode").split(">", 1)[1] == '<a href="x"></a><br/><p></p></div>'


def test_the_title_page_names_no_author_and_cites_the_whole_essay() -> None:
    site = small_site(offline=False)
    citation_styles.apply_fixes()
    citations = citation_styles.render_all(record.csl(record.essay(WORK)), None)
    page = book_content.title_page(WORK, citations, site.pages["ukraine.md"], book_content.EPUB)
    assert blocks(page)[:3] == ["NATO–Russia Tensions", "Version 2.1.0, published 2026-11-27", SITE]
    text = " ".join(blocks(page))
    assert [" ".join("".join(dt.itertext()).split()) for dt in page.iter(f"{XHTML}dt")] == [
        "APA 7",
        "MLA 9",
        "Chicago (author-date)",
    ]
    assert "https://essay.example.org/ukraine/#p1" in text
    assert [" ".join("".join(dd.itertext()).split()) for dd in page.iter(f"{XHTML}dd")] == [
        " ".join(lxml.html.fragment_fromstring(c.html, create_parent="div").text_content().split()) for c in citations
    ]
    assert text.endswith(record.NO_LICENCE)
    assert page.get("{http://www.idpf.org/2007/ops}type") == "titlepage"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, dt.datetime(2026, 11, 27, tzinfo=dt.UTC)),
        ({"SOURCE_DATE_EPOCH": ""}, dt.datetime(2026, 11, 27, tzinfo=dt.UTC)),
        ({"SOURCE_DATE_EPOCH": "1700000000"}, dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)),
    ],
)
def test_modified_at_is_source_date_epoch_or_the_release_date(environ: dict[str, str], expected: dt.datetime) -> None:
    assert books_hook.modified_at(WORK.released, environ) == expected


@pytest.mark.parametrize(
    ("message", "line", "column"),
    [
        ("Ignored `text-algin: center` at 140:3, unknown property.", 140, 3),
        ("Anchor defined twice: x", 1, 0),
    ],
)
def test_weasyprint_warnings_are_problems_at_their_line(message: str, line: int, column: int) -> None:
    problem = books_hook.weasyprint_problem(message)
    assert (problem.file, problem.line, problem.column) == ("hooks/book_styles/pdf.css", line, column)
    assert problem.message == f"books: WeasyPrint: {message}"


def test_the_epub_zip_starts_with_its_stored_mimetype_and_has_one_date() -> None:
    site = small_site(offline=False)
    pages = site.book_pages()
    parts = [
        book_content.title_page(WORK, [], None, book_content.EPUB),
        book_content.contents(pages, book_content.EPUB),
        *(
            book_content.chapter(book_content.article(page_html('<p id="p1">x</p>'), p), p, site, book_content.EPUB)
            for p in pages
        ),
    ]
    for modified, stamp in (
        (dt.datetime(2026, 11, 27, 12, 30, tzinfo=dt.UTC), (2026, 11, 27, 12, 30, 0)),
        (dt.datetime(1970, 1, 1, tzinfo=dt.UTC), (1980, 1, 1, 0, 0, 0)),  # a zip holds nothing earlier
    ):
        data = book_epub.package(WORK, parts, pages, modified)
        assert data == book_epub.package(WORK, parts, pages, modified)
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
            assert infos[0].filename == "mimetype"
            assert infos[0].compress_type == zipfile.ZIP_STORED
            assert infos[0].extra == b""
            assert {info.date_time for info in infos} == {stamp}
            assert [i.filename for i in infos][1:] == [
                "META-INF/container.xml",
                "EPUB/package.opf",
                "EPUB/book.css",
                "EPUB/title.xhtml",
                "EPUB/nav.xhtml",
                "EPUB/index.xhtml",
                "EPUB/ukraine.xhtml",
            ]


def test_the_cache_keeps_the_most_recently_used_files(tmp_path: Path) -> None:
    cache = books_hook.Cache(tmp_path / "books")
    for n in range(cache.KEEP + 3):
        cache.put(f"{n}.pdf", b"x")
        os.utime(tmp_path / "books" / f"{n}.pdf", ns=(n * 10**9, n * 10**9))
    assert cache.get("0.pdf") == b"x"  # used now: the most recent
    cache.prune()
    kept = sorted(p.name for p in (tmp_path / "books").iterdir())
    assert len(kept) == cache.KEEP
    assert "0.pdf" in kept
    assert {"1.pdf", "2.pdf", "3.pdf"}.isdisjoint(kept)
    assert cache.get("missing.pdf") is None


# --- permalinks.lock publishes the files --------------------------------------------------------------------

PAGE = xref_core.Page("index.md", "index.html", "./", (xref_core.Anchor("p1", 3),))
LOCK = "index.md\nindex.md#p1\n"
BOOK = "downloads/essay.pdf"


@pytest.mark.parametrize(
    ("lock", "published", "expected"),
    [
        (LOCK + BOOK + "\n", [BOOK], []),
        (
            LOCK + "downloads/old-title.pdf\n",
            [BOOK],
            [
                "permalinks.lock:3: removed locked file: 'downloads/old-title.pdf' — published files stay at their "
                "path for good: restore it, or what writes it, at this path",
                "permalinks.lock:1: unlocked file: 'downloads/essay.pdf' — run `make lock` to publish it",
            ],
        ),
        (
            LOCK + BOOK + "#page=2\n",
            [BOOK],
            [
                "permalinks.lock:3: locked anchor in a file: 'downloads/essay.pdf#page=2' — a file has no anchors: "
                "lock 'downloads/essay.pdf' alone",
                "permalinks.lock:1: unlocked file: 'downloads/essay.pdf' — run `make lock` to publish it",
            ],
        ),
    ],
)
def test_the_lock_checks_published_files(lock: str, published: list[str], expected: list[str]) -> None:
    problems = xref_core.find_problems(
        [PAGE], [], xref_core.parse_lock(lock), files={p: p for p in published}, published=published
    )
    assert sorted(str(p) for p in problems) == sorted(expected)


def test_make_lock_adds_published_files_after_the_pages() -> None:
    text = xref_core.updated_lock(xref_core.LOCK_HEADER + "index.md\n", [PAGE], [BOOK])
    assert text == xref_core.LOCK_HEADER + f"index.md\nindex.md#p1\n{BOOK}\n"
    assert xref_core.updated_lock(text, [PAGE], [BOOK]) == text


def test_mkdocs_serve_writes_no_books(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = small_site(offline=False)
    site.serving = True
    site.books = books(WORK, SITE)
    site_model.start(site)
    caplog.set_level(logging.INFO, logger="mkdocs.hooks.books")
    books_hook.on_post_build(config=SimpleNamespace(site_dir=str(tmp_path)))  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
    assert [r.getMessage() for r in caplog.records] == [
        "books: not written under mkdocs serve (make site, make pdf or make epub writes them)"
    ]
