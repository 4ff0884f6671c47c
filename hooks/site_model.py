"""The site model: where each page lives, what it holds, and the citation record. Built once per build.

hooks/model.py builds it and resets it for every build (`mkdocs serve` keeps hook modules loaded between
rebuilds); every other hook reads it through `current()`. No hook derives a page's URL, finds a diagram fence or
reads CITATION.cff on its own. Plain data: no MkDocs objects, so pure cores and tests take it as it is.

Data flow, in MkDocs' event order:
1. on_config    reset; CITATION.cff (schema-checked) becomes `work`; permalinks.lock is read.
2. on_files     each Markdown page gets its `Place`: source path, built URL in this variant, hosted URL.
3. on_nav       nav order and membership; nav entries that name no page are reported at their mkdocs.yml line.
4. Markdown     pymdownx.superfences hands every Mermaid fence to hooks/diagrams.py, which records a `Fence`
                on the page being rendered (`rendering`); anchors and references are recorded by hooks/xref.py.
5. on_env       every fence of every page is drawn (in parallel, cached by hash).
6. post-page    one parse of each final page (hooks/final_page.py) records its ids and links, adds rel, CSP.
7. post-build   references resolved in one pass; exports written; problems enforced under --strict.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from problems import Report

if TYPE_CHECKING:
    from pathlib import Path

    from citation_record import Work

HOSTED = "hosted"
OFFLINE = "offline"


@dataclass(frozen=True)
class Place:
    """Where one page lives, in every context a reader or a hook meets it."""

    src: str  # docs-relative source path, "ukraine.md": what authors, xref and permalinks.lock use
    url: str  # this build's URL, relative to the site root: "ukraine/" (hosted) or "ukraine.html" (offline)
    dest: str  # this build's output file: "ukraine/index.html" or "ukraine.html"
    hosted: str  # the canonical hosted URL, "https://…/ukraine/": cite box, exports, downloaded SVGs
    edition: str = ""  # this page in a frozen edition, "https://…/v/1.0.0/ukraine/" (editions; "" when none)

    def link_from(self, base: Place, anchor: str = "") -> str:
        """This page's URL as written in `base`'s HTML (relative, so it works on any host and from disk)."""
        url = get_relative_url(self.url, base.url)
        return f"{url}#{anchor}" if anchor else url

    @property
    def chapter(self) -> str:
        """This page as a chapter of the essay's PDF and EPUB: `ukraine.md` -> `ukraine`."""
        return self.src.removesuffix(".md").replace("/", "-")

    def in_epub(self, anchor: str = "") -> str:
        """Where the EPUB has this page, or one of its ids: `ukraine.xhtml`, `ukraine.xhtml#p1` (ids as on the web)."""
        return f"{self.chapter}.xhtml" + (f"#{anchor}" if anchor else "")

    def in_pdf(self, anchor: str = "") -> str:
        """The PDF's id (and named destination) of this page or one of its ids: `ukraine`, `ukraine.p1`.

        The PDF is one document, so each page's ids get its chapter in front; a page's ids never hold a dot
        (attr_list reads `.` as a class, the toc extension drops it), so no two pages' ids can collide.
        """
        return f"{self.chapter}.{anchor}" if anchor else self.chapter


def place(src: str, url: str, dest: str, *, site_url: str, hosted_directory_urls: bool) -> Place:
    """Where the page `src` lives: `url` and `dest` as this build writes it, and its hosted address, which
    follows the hosted site's URL style whatever this build's is (the offline build writes `ukraine.html`)."""
    hosted = File(src, None, "", use_directory_urls=hosted_directory_urls).url
    return Place(src, url, dest, site_url + hosted.removeprefix("./"))


@dataclass(frozen=True)
class Book:
    """The whole essay as one file, PDF or EPUB: where the site serves it and the name it is saved under."""

    format: str  # "pdf" or "epub"
    label: str  # what the reader sees: "PDF", "EPUB"
    media_type: str
    # The site's path, the same in every release and whatever the title: the cite box, How to cite and
    # permalinks.lock name it.
    path: str  # "downloads/essay.pdf"
    file: str  # the name it is saved under, in dist/ and by the download link: "nato-russia-tensions-1.0.0.pdf"
    hosted: str  # the canonical URL of `path`


BOOK_DIR = "downloads"
# The books' name in the site, as the whole essay's citation files are cite/essay.bib …: a title slug would move
# the published path whenever the title is corrected.
BOOK_NAME = "essay"
BOOK_FORMATS = (("pdf", "PDF", "application/pdf"), ("epub", "EPUB", "application/epub+zip"))


def release_name(work: Work) -> str:
    """`nato-russia-tensions-1.0.0`: what the offline zip's folder and the dist/ files are named after."""
    return f"{work.slug}-{work.version}"


def books(work: Work, site_url: str) -> tuple[Book, ...]:
    """The PDF and the EPUB of the essay that `work` describes, as the site at `site_url` serves them."""
    found = []
    for kind, label, media_type in BOOK_FORMATS:
        path = f"{BOOK_DIR}/{BOOK_NAME}.{kind}"
        found.append(Book(kind, label, media_type, path, f"{release_name(work)}.{kind}", site_url + path))
    return tuple(found)


@dataclass(frozen=True)
class Fence:
    """One Mermaid diagram, as pymdownx.superfences (the Markdown parser of record) hands it over."""

    source: str  # the diagram's text, indentation removed
    key: str  # sha256 of `source`: which drawing the page's placeholder stands for
    line: int  # the line of `source`'s first line in the Markdown file (front matter counted); 1 if unknown
    number: int  # 1, 2, … in the order the page renders its diagrams


@dataclass(frozen=True)
class Drawing:
    svg: str | None  # as mermaidx drew it; None when Mermaid refused the diagram
    error: str | None  # Mermaid's message


@dataclass
class PageModel:
    place: Place
    doc: str  # the page as problems name it: "docs/ukraine.md"
    title: str = ""
    cited: bool = True  # front matter `citation: false` leaves a site page (How to cite) out of citation
    in_nav: bool = False
    nav_optional: bool = False  # listed under not_in_nav: reached by links only
    source: str = ""  # the Markdown file as written, front matter included (for line numbers)
    body_start: int = 0  # lines of front matter before the Markdown body
    fences: list[Fence] = field(default_factory=list)
    # Filled by the one parse of the final page: every id, and every link outside a diagram's SVG.
    final_ids: list[str] = field(default_factory=list)
    final_hrefs: list[str] = field(default_factory=list)

    @property
    def src(self) -> str:
        return self.place.src


@dataclass
class Lock:
    path: Path
    text: str = ""
    present: bool = False


@dataclass
class Site:
    root: Path  # the folder of mkdocs.yml
    docs: str  # docs_dir relative to root: "docs"
    variant: str  # HOSTED or OFFLINE
    site_url: str  # the hosted address, ending in "/"; "" when mkdocs.yml sets none
    hosted_directory_urls: bool  # use_directory_urls as the hosted site has it
    strict: bool = False
    serving: bool = False  # under `mkdocs serve`, which replaces site_url with its own address
    work: Work | None = None  # the citation record, from CITATION.cff
    lock: Lock | None = None
    pages: dict[str, PageModel] = field(default_factory=dict)  # by source path, nav order first
    nav: list[str] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    rendering: PageModel | None = None  # the page whose Markdown is being converted right now
    config_text: str = ""  # mkdocs.yml as written, for line numbers
    # Nav entries that name no page, already reported at their mkdocs.yml line: not again on every page.
    broken_nav_links: set[str] = field(default_factory=set)
    # Drawings by Fence.key: what mermaidx made of each diagram (hooks/diagrams.py, on_env).
    drawings: dict[str, Drawing] = field(default_factory=dict)
    # The essay as a PDF and an EPUB (hooks/books.py writes them), from `work`.
    books: tuple[Book, ...] = ()

    def page(self, src: str) -> PageModel | None:
        return self.pages.get(src)

    def in_nav_order(self) -> list[PageModel]:
        order = {src: i for i, src in enumerate(self.nav)}
        return sorted(self.pages.values(), key=lambda p: (order.get(p.src, len(order)), p.src))

    def cited_pages(self) -> list[PageModel]:
        return [p for p in self.in_nav_order() if p.cited]

    def book_pages(self) -> list[PageModel]:
        """The chapters of the PDF and the EPUB: the essay's pages (cited and in the nav), in nav order."""
        return [p for p in self.cited_pages() if p.in_nav]

    def page_at(self, url: str) -> PageModel | None:
        """The page this build writes at `url` (relative to the site root: `ukraine/`, `ukraine/index.html`)."""
        for page in self.pages.values():
            if url in (page.place.url, page.place.dest) or (url == "" and page.place.dest == "index.html"):
                return page
        return None

    def linked_page(self, target: str, from_src: str) -> tuple[PageModel, str] | None:
        """The page and anchor a docs-relative link (`ukraine.md#p1`, as Markdown links and Mermaid clicks are
        written) points to from the page `from_src`; None for a URL, a same-page anchor, or no such page."""
        path, _, anchor = target.partition("#")
        if not path.endswith(".md") or "://" in path or path.startswith("/"):
            return None
        page = self.pages.get(posixpath.normpath(posixpath.join(posixpath.dirname(from_src), path)))
        return (page, anchor) if page is not None else None


_site: Site | None = None


def start(site: Site) -> Site:
    """Make `site` the model of the build that is starting."""
    global _site
    _site = site
    return site


def current() -> Site:
    if _site is None:
        raise RuntimeError("the site model is not built: hooks/model.py must be the first hook in mkdocs.yml")
    return _site
