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
# The publish tree (the gh-pages branch) keeps each release's frozen copy under v/<version>/; the root holds the
# current edition. No page of docs/ may live under this folder.
EDITIONS_DIR = "v"


@dataclass(frozen=True)
class Place:
    """Where one page lives, in every context a reader or a hook meets it."""

    src: str  # docs-relative source path, "ukraine.md": what authors, xref and permalinks.lock use
    url: str  # this build's URL, relative to the site root: "ukraine/" (hosted) or "ukraine.html" (offline)
    dest: str  # this build's output file: "ukraine/index.html" or "ukraine.html"
    hosted: str  # the canonical hosted URL, "https://…/ukraine/": cite box, exports, downloaded SVGs
    edition: str = ""  # this page in this release's frozen edition, "https://…/v/1.0.0/ukraine/"
    previous: str = ""  # this page in the edition before, "https://…/v/0.9.0/ukraine/"; "" when none had it
    path: str = ""  # its place in the publish tree's root, where the current edition lives: "ukraine/"

    def link_from(self, base: Place, anchor: str = "") -> str:
        """This page's URL as written in `base`'s HTML (relative, so it works on any host and from disk)."""
        url = get_relative_url(self.url, base.url)
        return f"{url}#{anchor}" if anchor else url

    @property
    def chapter(self) -> str:
        """This page as a chapter of the essay's PDF and EPUB: `ukraine.md` -> `ukraine`."""
        return page_stem(self.src)

    def in_epub(self, anchor: str = "") -> str:
        """Where the EPUB has this page, or one of its ids: `ukraine.xhtml`, `ukraine.xhtml#p1` (ids as on the web)."""
        return f"{self.chapter}.xhtml" + (f"#{anchor}" if anchor else "")

    def in_pdf(self, anchor: str = "") -> str:
        """The PDF's id (and named destination) of this page or one of its ids: `ukraine`, `ukraine.p1`.

        The PDF is one document, so each page's ids get its chapter in front; a page's ids never hold a dot
        (attr_list reads `.` as a class, the toc extension drops it), so no two pages' ids can collide.
        """
        return f"{self.chapter}.{anchor}" if anchor else self.chapter


def page_stem(src: str) -> str:
    """The name every file made for a page goes by (its exports, its diagrams' SVG, its chapter in the books):
    `ukraine.md` -> `ukraine`, `notes/a.md` -> `notes-a`."""
    return src.removesuffix(".md").replace("/", "-")


def place(
    src: str,
    url: str,
    dest: str,
    *,
    site_url: str,
    hosted_directory_urls: bool,
    edition: Edition | None = None,
    previous: Edition | None = None,
) -> Place:
    """Where the page `src` lives: `url` and `dest` as this build writes it, and its hosted address, which
    follows the hosted site's URL style whatever this build's is (the offline build writes `ukraine.html`);
    with `edition`, also its frozen address in that release, and in `previous` (if that edition had it)."""
    path = File(src, None, "", use_directory_urls=hosted_directory_urls).url.removeprefix("./")
    before = previous.pages.get(src) if previous is not None else None
    return Place(
        src,
        url,
        dest,
        site_url + path,
        edition=site_url + edition.path + path if edition is not None else "",
        previous=site_url + previous.path + before if previous is not None and before is not None else "",
        path=path,
    )


@dataclass(frozen=True)
class Download:
    """A file published with an edition, in its folder v/<version>/: the offline zip (PDF and EPUB to come)."""

    label: str  # "Offline copy (zip)"
    file: str  # "nato-russia-tensions-1.0.0-offline.zip"
    media_type: str  # "application/zip"


def offline_zip_name(work: Work) -> str:
    """`nato-russia-tensions-1.0.0-offline.zip`: the offline copy, in dist/ and in its edition's folder."""
    return f"{release_name(work)}-offline.zip"


@dataclass
class Edition:
    """One release as the publish tree keeps it: frozen under v/<version>/, listed in versions.json."""

    version: str
    released: str  # ISO date, CITATION.cff's date-released
    pages: dict[str, str] = field(default_factory=dict)  # source path -> its path in the edition, "ukraine/"
    moved: dict[str, str] = field(default_factory=dict)  # retired source path -> its replacement, "new/#p1"
    changelog: str = ""  # path of the change log in the edition, where a page that is gone is explained
    downloads: tuple[Download, ...] = ()

    @property
    def path(self) -> str:
        """Its folder in the publish tree, "v/1.0.0/"."""
        return f"{EDITIONS_DIR}/{self.version}/"


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
    pinpoints: list[str] = field(default_factory=list)  # ids of the paragraphs given a ¶ link (p1, p2, …)
    # Filled by the one parse of the final page: every id, and every link outside a diagram's SVG.
    final_ids: list[str] = field(default_factory=list)
    final_hrefs: list[str] = field(default_factory=list)
    final_article: str = ""  # the page's <article> as the site shows it, for the PDF and the EPUB
    final_essay: list[tuple[str, str]] = field(default_factory=list)  # its essay text, for edition.json

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
    # Editions (hooks/model.py): the release this build is, whether it is that release's frozen copy under
    # v/<version>/ (EDITION=<version>) rather than the root, and those published before it (PUBLISHED=<dir>).
    edition: Edition | None = None
    frozen: bool = False
    published: list[Edition] = field(default_factory=list)  # oldest first
    published_dir: Path | None = None
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

    @property
    def previous(self) -> Edition | None:
        """The edition this one follows; None for the first."""
        return self.published[-1] if self.published else None

    @property
    def edition_url(self) -> str:
        """This edition's frozen home page, "https://…/v/1.0.0/"; the site's address when there is no edition."""
        return self.site_url + self.edition.path if self.edition is not None else self.site_url

    def editions(self) -> list[Edition]:
        """Every edition this build knows, oldest first: those published before it, and its own."""
        return [*self.published, self.edition] if self.edition is not None else list(self.published)

    def publish_link(self, path: str, base: Place) -> str:
        """A link from `base`'s HTML to `path` in the publish tree ("v/1.0.0/ukraine/", "ukraine/#p1").

        Hosted, it climbs to the tree's root and down again, so it works wherever the tree is served from, and
        a link checker that sees only this build finds it under v/ or at a page of its own. Offline, where the
        tree is not beside the pages, it is the hosted address.
        """
        if self.variant == OFFLINE:
            return self.site_url + path
        here = (self.edition.path if self.frozen and self.edition else "") + base.path
        return get_relative_url("./", here or "./") + path


def in_publish_tree(path: str) -> bool:
    """Whether a path of the site is another build's: a frozen edition under v/, which publishing adds."""
    return path.startswith(f"{EDITIONS_DIR}/")


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
