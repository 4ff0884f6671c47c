"""Cross-reference resolution for hooks/xref.py: plain data in, problems out. No MkDocs objects here.

Two ways of writing a target, resolved differently:
- *doc* targets are docs-relative source paths, resolved the way MkDocs resolves `.md` links
  (Markdown links, Mermaid `click` targets, redirect_maps targets, lock entries);
- *url* targets are URLs, resolved the way a browser does against the page's built URL
  (raw-HTML hrefs, links written by templates and hooks), so they depend on use_directory_urls.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

from problems import Problem

if TYPE_CHECKING:
    from collections.abc import Collection, Container, Iterable, Mapping, Sequence

DOC_ORIGINS = frozenset({"markdown", "mermaid", "redirect"})
URL_ORIGINS = frozenset({"html", "template"})
LOCK_HEADER = """\
# Published anchors: every page and anchor a reader may have cited. One `path#anchor` per line, where
# path is the page's source path under docs/ (the same under both use_directory_urls settings).
# A published file (the essay's PDF and EPUB) is one line with its path in the built site.
# The build fails when an entry stops resolving, unless a redirect (mkdocs-redirects redirect_maps,
# for pages) or an alias id keeps it working. Never delete a line: published means for good.
# Add new anchors with `make lock` and review the diff.
"""


@dataclass(frozen=True)
class Anchor:
    id: str
    line: int = 1  # where the id is written in the page's source; 1 when the theme or a hook adds it
    authored: bool = True  # written in the Markdown, so citable and lockable


@dataclass(frozen=True)
class Page:
    src: str  # docs-relative source path: "ukraine.md"
    dest: str  # built file: "ukraine/index.html", or "ukraine.html" without directory URLs
    url: str  # "ukraine/" or "ukraine.html"
    anchors: tuple[Anchor, ...] = ()
    in_nav: bool = True
    nav_optional: bool = False  # listed under not_in_nav: meant to be reached by links only

    @functools.cached_property
    def ids(self) -> frozenset[str]:
        return frozenset(anchor.id for anchor in self.anchors)


@dataclass(frozen=True)
class Reference:
    file: str  # where the reference is written, as reported: "docs/index.md", "mkdocs.yml"
    line: int
    target: str  # as written
    origin: str  # one of DOC_ORIGINS | URL_ORIGINS
    page: str = ""  # source path of the page it is resolved from; "" for the docs root


@dataclass(frozen=True)
class TemplateLinks:
    """The links a page's template and other hooks added (as distinct hrefs): the navigation, repeated on every
    page, makes these the bulk of a site's links, so they are resolved in a loop of their own."""

    file: str  # the page as reported: "docs/ukraine.md"
    page: str  # its source path
    hrefs: Collection[str]


@dataclass(frozen=True)
class LockEntry:
    path: str
    anchor: str  # "" for the page itself
    line: int

    def __str__(self) -> str:
        return f"{self.path}#{self.anchor}" if self.anchor else self.path


@dataclass(frozen=True)
class Redirect:
    old: str
    new: str
    line: int = 1  # line of the entry in the config file


_UNKNOWN = object()


@dataclass(frozen=True)
class _Found:
    page: Page | None = None  # None: a built file that is not a page
    fragment: str = ""
    path_part: str = ""  # the target as written, without its fragment (for hints)


def find_problems(
    pages: Iterable[Page],
    references: Iterable[Reference],
    lock: Sequence[LockEntry] = (),
    redirects: Sequence[Redirect] = (),
    *,
    files: Mapping[str, str] | None = None,
    unbuilt: Container[str] = frozenset(),
    built: Container[str] = frozenset(),
    docs: str = "docs",
    config_file: str = "mkdocs.yml",
    lock_file: str = "permalinks.lock",
    template_links: Iterable[TemplateLinks] = (),
    published: Sequence[str] = (),
) -> list[Problem]:
    """Every problem of the site, sorted by file and line; warnings and info-level notes alike.

    `files` maps the source path of every built non-page file to its built path; `unbuilt` holds the source
    paths of files under docs/ that are not built (excluded, drafts); `built` answers whether a built path
    exists in the site directory (files written by plugins after the pages). `template_links` are the links
    each page's template and other hooks added, reported at line 1 of the page; `published` lists the built
    paths of files that are published for citation like pages (the essay's PDF and EPUB), to be locked.
    """
    site = _Site(tuple(pages), files or {}, unbuilt, built, docs, {r.old: r.new for r in redirects})
    references = [*references, *(Reference(config_file, r.line, r.new, "redirect") for r in redirects)]
    problems = [*site.duplicate_ids()]
    linked: set[str] = set()
    for ref in references:
        found = site.resolve(ref, problems)
        if found is not None and found.page is not None and found.page.src != ref.page:
            linked.add(found.page.src)
    for links in template_links:
        linked |= site.resolve_template_links(links, problems)
    problems += site.orphans(linked)
    problems += site.check_lock(lock, {r.old: r for r in redirects}, lock_file)
    problems += site.unlocked(lock, published, lock_file)
    return sorted(set(problems))


def parse_lock(text: str) -> list[LockEntry]:
    entries = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line and not line.startswith("#"):
            path, _, anchor = line.partition("#")
            entries.append(LockEntry(path.strip(), anchor.strip(), number))
    return entries


def updated_lock(text: str, pages: Iterable[Page], published: Iterable[str] = ()) -> str:
    """The lock with every page and authored anchor of the site added, and every `published` file (its built
    path, `downloads/essay.pdf`); nothing is ever removed."""
    old = [str(e) for e in parse_lock(text)]
    current = []
    for page in pages:
        current.append(page.src)
        current += [f"{page.src}#{a.id}" for a in page.anchors if a.authored]
    current += published
    # Site order (nav first, then document order) reads best in review; published entries that the
    # site no longer has (kept alive by redirects or aliases) stay at the end.
    keep = set(current)
    entries = list(dict.fromkeys([*current, *(e for e in old if e not in keep)]))
    return LOCK_HEADER + "".join(f"{e}\n" for e in entries)


# --- where things are written in a page's source -------------------------------------------------

_INLINE_DEST = re.compile(r"\]\(\s*<?([^)\s>]+)")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)")
_HREF_ATTR = re.compile(r"\bhref\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE)
_ATTR_LIST = re.compile(r"\{:?([^}\n]*)\}")
_ATTR_ID = re.compile(r"(?:^|\s)#([^\s}#.]+)")
_ID_ATTR = re.compile(r"\bid\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)


class SourceLines:
    """Maps what a page's HTML contains back to the line of its Markdown source (front matter counted).

    Finds link destinations and ids with small text patterns; when several uses share one target, the
    k-th use gets the k-th place it is written, and extra uses (a reference definition used twice) the last.
    """

    def __init__(self, source: str, body_start: int = 0) -> None:
        self.lines = source.splitlines()
        self.start = body_start  # lines of front matter, which hold no links
        self._links: dict[str, list[int]] = defaultdict(list)
        self._hrefs: dict[str, list[int]] = defaultdict(list)
        self._ids: dict[str, list[int]] = defaultdict(list)
        for number in range(self.start + 1, len(self.lines) + 1):
            text = self.lines[number - 1]
            if "](" in text or "]:" in text:
                for match in _INLINE_DEST.finditer(text):
                    self._links[match.group(1)].append(number)
                if match := _REF_DEF.match(text):
                    self._links[match.group(1)].append(number)
            if "href" in text.lower():
                for match in _HREF_ATTR.finditer(text):
                    self._hrefs[next(g for g in match.groups() if g is not None)].append(number)
            if "{" in text:
                for attrs in _ATTR_LIST.finditer(text):
                    for match in _ATTR_ID.finditer(attrs.group(1)):
                        self._ids[match.group(1)].append(number)
            if "id" in text.lower():
                for match in _ID_ATTR.finditer(text):
                    self._ids[match.group(1)].append(number)
        self._used: Counter[tuple[str, str]] = Counter()

    def link(self, target: str) -> int:
        return self._next("link", target, self._links)

    def href(self, target: str) -> int:
        return self._next("href", target, self._hrefs)

    def ids(self, ident: str) -> int:
        return self._next("id", ident, self._ids)

    def _next(self, kind: str, key: str, table: dict[str, list[int]]) -> int:
        places = table.get(key) or self._anywhere(key)
        if not places:
            return 1
        index = self._used[kind, key]
        self._used[kind, key] += 1
        return places[min(index, len(places) - 1)]

    def _anywhere(self, text: str) -> list[int]:
        return [n for n in range(self.start + 1, len(self.lines) + 1) if text in self.lines[n - 1]]


# --- resolution ------------------------------------------------------------------------------------


class _Site:
    def __init__(
        self,
        pages: tuple[Page, ...],
        files: Mapping[str, str],
        unbuilt: Container[str],
        built: Container[str],
        docs: str,
        moved: Mapping[str, str],
    ) -> None:
        self.moved = moved
        self.pages = {p.src: p for p in pages}
        self.by_dest = {p.dest: p for p in pages}
        self.files = files
        self.file_dests = set(files.values())
        self.unbuilt = unbuilt
        self.built = built
        self.docs = docs
        self._clean: dict[tuple[str, ...], _Found | None] = {}
        # By a folder's parent: the `../` links already checked from a folder under it (resolve_template_links).
        self._clean_up: dict[str, set[str]] = {}

    def resolve(self, ref: Reference, problems: list[Problem]) -> _Found | None:
        """The page or file `ref` points to (None: a URL elsewhere, or nothing); appends what is wrong to `problems`.

        Every page repeats the navigation's links, so a clean resolution is kept by where the target leads
        (the joined path and fragment, a few string operations away) and reused: each distinct target is
        resolved once, however many pages link to it.
        """
        base = self.pages.get(ref.page)
        url_mode = ref.origin in URL_ORIGINS or ref.target.startswith("/")
        folder = posixpath.dirname(base.dest if url_mode and base else ref.page)
        key = _where_it_leads(ref.target, ref.page, folder, url_mode=url_mode)
        found = self._clean.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            notes: list[Problem] = []
            found = self._resolve(ref, url_mode, base, notes)
            problems += notes
            if not notes:
                self._clean[key] = found
        if isinstance(found, _Found) and found.page is not None:
            self._check_nav(ref, found.page, problems)
            return found
        return None

    def resolve_template_links(self, links: TemplateLinks, problems: list[Problem]) -> set[str]:
        """`resolve` for each of a page's template links, with Reference objects made only for a problem;
        returns the other pages they reach.

        A link that starts with `../` leads to the same place from every folder with the same parent, and the
        navigation's links are such links on every page below the root: once one page has them checked (clean,
        and to pages in the nav), the pages beside it subtract them as a set, without a Python loop.
        """
        base = self.pages.get(links.page)
        folder = posixpath.dirname(base.dest) if base else ""
        shared = self._clean_up.setdefault(posixpath.dirname(folder), set()) if folder else set()
        reached = set()
        for href in set(links.hrefs).difference(shared):
            before = len(problems)
            key = _where_it_leads(href, links.page, folder, url_mode=True)
            found = self._clean.get(key, _UNKNOWN)
            if found is _UNKNOWN:  # resolve it, and check the nav too
                found = self.resolve(Reference(links.file, 1, href, "template", links.page), problems)
            elif isinstance(found, _Found) and found.page and not (found.page.in_nav or found.page.nav_optional):
                self._check_nav(Reference(links.file, 1, href, "template", links.page), found.page, problems)
            page = found.page if isinstance(found, _Found) else None
            if page is not None and page.src != links.page:
                reached.add(page.src)
            if folder and href.startswith("../") and len(problems) == before and (page is None or page.in_nav):
                shared.add(href)
        return reached

    def _resolve(self, ref: Reference, url_mode: bool, base: Page | None, problems: list[Problem]) -> _Found | None:
        parts = urlsplit(ref.target)
        if parts.scheme or parts.netloc:
            return None
        path, fragment = unquote(parts.path), unquote(parts.fragment)
        found = self._resolve_url(ref, path, base, problems) if url_mode else self._resolve_doc(ref, path, problems)
        if found is None:
            return None
        found = _Found(found.page, fragment, ref.target.partition("#")[0])
        if found.page is not None:
            self._check_anchor(ref, found, problems)
        return found

    def _resolve_doc(self, ref: Reference, path: str, problems: list[Problem]) -> _Found | None:
        if not path:
            page = self.pages.get(ref.page)
            return _Found(page) if page else None
        src = posixpath.normpath(posixpath.join(posixpath.dirname(ref.page), path))
        if path.endswith("/"):
            src += "/"
        if src.startswith("../") or src == "..":
            problems.append(_problem(ref, "not built", f"it is outside {self.docs}/, so MkDocs does not build it"))
            return None
        if src in self.pages:
            return _Found(self.pages[src])
        if src in self.files:
            return _Found(None)
        if src in self.unbuilt:
            problems.append(
                _problem(ref, "not built", f"{self.docs}/{src} is excluded from the build (exclude_docs or draft_docs)")
            )
            return None
        closest = _closest(src, [*self.pages, *self.files])
        if src in self.moved:
            hint = f"it was moved (redirect_maps): link to '{_relative_doc(self.moved[src], ref.page)}' instead"
        elif closest:
            hint = f"did you mean '{_relative_doc(closest, ref.page)}'?"
        else:
            hint = f"no such file under {self.docs}/; fix the path or remove the link"
        problems.append(_problem(ref, _missing_kind(path), hint))
        return None

    def _resolve_url(self, ref: Reference, path: str, base: Page | None, problems: list[Problem]) -> _Found | None:
        if not path:
            return _Found(base) if base else None
        dest = urljoin("/" + (base.dest if base else ""), path).lstrip("/")
        if dest == "" or dest.endswith("/"):
            dest += "index.html"
        if dest in self.by_dest:
            return _Found(self.by_dest[dest])
        if dest in self.file_dests or dest in self.built:
            return _Found(None)
        as_doc = posixpath.normpath(posixpath.join(posixpath.dirname(ref.page), path))
        if path.endswith(".md") and as_doc in self.pages:
            hint = f"MkDocs rewrites .md links only in Markdown; write a Markdown link: [text]({path})"
            problems.append(_problem(ref, "not built", hint))
            return None
        base_dir = posixpath.dirname(base.dest) if base else ""
        hrefs = {p.url: _page_href(p, base_dir) for p in self.pages.values() if p is not base}
        closest = _closest(dest.removesuffix("index.html"), list(hrefs))
        if closest is not None:
            hint = f"did you mean '{hrefs[closest]}'?"
        else:
            hint = "no such page or file is built; fix the URL or remove the link"
        problems.append(_problem(ref, _missing_kind(path), hint))
        return None

    def _check_anchor(self, ref: Reference, found: _Found, problems: list[Problem]) -> None:
        page = found.page
        assert page is not None
        # HTML scrolls to the top for "#top" when no element has that id.
        if found.fragment and found.fragment not in page.ids and found.fragment.lower() != "top":
            # Suggest what authors write first; ids from the theme or hooks only when nothing authored is close.
            authored = [a.id for a in page.anchors if a.authored]
            closest = _closest(found.fragment, authored) or _closest(
                found.fragment, [a.id for a in page.anchors if not a.id.startswith("__")]
            )
            if closest:
                hint = f"did you mean '{found.path_part}#{closest}'?"
            else:
                hint = f"{self.docs}/{page.src} has no id '{found.fragment}'; add {{ #{found.fragment} }} there"
            problems.append(_problem(ref, "missing anchor", hint))

    def _check_nav(self, ref: Reference, page: Page, problems: list[Problem]) -> None:
        if not page.in_nav and not page.nav_optional and ref.origin != "redirect" and ref.page != page.src:
            hint = f"add {page.src} to nav in mkdocs.yml, or to not_in_nav if only links should reach it"
            problems.append(_problem(ref, "not in nav", hint))

    def duplicate_ids(self) -> list[Problem]:
        problems = []
        for page in self.pages.values():
            first: dict[str, Anchor] = {}
            for anchor in page.anchors:
                if anchor.id not in first:
                    first[anchor.id] = anchor
                    continue
                earlier = first[anchor.id]
                where = f"line {earlier.line}" if earlier.authored else "the theme or a hook"
                hint = f"also defined at {where}; ids must be unique on a page, so rename one"
                problems.append(_issue(self._doc(page), anchor.line, "duplicate id", f"#{anchor.id}", hint))
        return problems

    def orphans(self, linked: set[str]) -> list[Problem]:
        hint = "nothing links to it; add it to nav in mkdocs.yml or link to it"
        return [
            _issue(self._doc(page), 1, "orphan page", page.src, hint)
            for page in self.pages.values()
            if not page.in_nav and page.src not in linked
        ]

    def check_lock(self, lock: Sequence[LockEntry], redirects: Mapping[str, Redirect], lock_file: str) -> list[Problem]:
        problems = []
        gone_pages: set[str] = set()
        for entry in lock:
            page = self.pages.get(entry.path)
            if page is not None:
                if entry.anchor and entry.anchor not in page.ids:
                    problems.append(self._removed_anchor(entry, page, lock_file))
                continue
            if self._is_file(entry.path):
                if entry.anchor:
                    hint = f"a file has no anchors: lock '{entry.path}' alone"
                    problems.append(_issue(lock_file, entry.line, "locked anchor in a file", str(entry), hint))
                continue
            redirect = redirects.get(entry.path)
            if redirect is None and not entry.path.endswith(".md"):
                hint = "published files stay at their path for good: restore it, or what writes it, at this path"
                problems.append(_issue(lock_file, entry.line, "removed locked file", str(entry), hint))
                continue
            if redirect is None:
                if entry.path not in gone_pages:
                    gone_pages.add(entry.path)
                    problems.append(self._removed_page(entry, lock, lock_file))
                continue
            problem = self._through_redirect(entry, redirect, lock_file)
            if problem:
                problems.append(problem)
        return problems

    def _is_file(self, path: str) -> bool:
        return path in self.files or path in self.file_dests or path in self.built

    def _removed_anchor(self, entry: LockEntry, page: Page, lock_file: str) -> Problem:
        closest = _closest(entry.anchor, [a.id for a in page.anchors if a.authored])
        hint = f'restore {{ #{entry.anchor} }} or keep an alias <a id="{entry.anchor}"></a> where its text now is'
        if closest:
            hint += f"; closest id now: '{closest}'"
        return _issue(lock_file, entry.line, "removed locked anchor", str(entry), hint)

    def _removed_page(self, entry: LockEntry, lock: Sequence[LockEntry], lock_file: str) -> Problem:
        count = sum(1 for e in lock if e.path == entry.path and e.anchor)
        closest = _closest(entry.path, list(self.pages)) or "index.md"
        hint = (
            f"restore {self.docs}/{entry.path} or redirect it in mkdocs.yml redirect_maps: '{entry.path}': '{closest}'"
        )
        if count:
            hint += f"; locked anchors on it: {count}"
        return _issue(lock_file, entry.line, "removed locked page", entry.path, hint)

    def _through_redirect(self, entry: LockEntry, redirect: Redirect, lock_file: str) -> Problem | None:
        path, _, fragment = redirect.new.partition("#")
        target = self.pages.get(posixpath.normpath(path)) if path else None
        if target is None:
            hint = f"its redirect in mkdocs.yml:{redirect.line} points to '{redirect.new}', which is not a page"
            return _issue(lock_file, entry.line, "removed locked page", str(entry), hint)
        if not entry.anchor:
            return None
        if fragment:
            hint = f"the redirect to '{redirect.new}' (mkdocs.yml:{redirect.line}) replaces its fragment"
            return _issue(lock_file, entry.line, "removed locked anchor", str(entry), hint)
        if entry.anchor not in target.ids:
            hint = (
                f"it redirects to {target.src}, which has no id '{entry.anchor}'; "
                f'add an alias <a id="{entry.anchor}"></a> there'
            )
            return _issue(lock_file, entry.line, "removed locked anchor", str(entry), hint)
        return None

    def unlocked(self, lock: Sequence[LockEntry], published: Sequence[str], lock_file: str) -> list[Problem]:
        locked = {str(e) for e in lock}
        notes = [
            _issue(lock_file, 1, "unlocked file", path, _LOCK_HINT, "info") for path in published if path not in locked
        ]
        for page in self.pages.values():
            if page.src not in locked:
                notes.append(_issue(self._doc(page), 1, "unlocked page", page.src, _LOCK_HINT, "info"))
            for anchor in page.anchors:
                target = f"{page.src}#{anchor.id}"
                if anchor.authored and target not in locked:
                    notes.append(_issue(self._doc(page), anchor.line, "unlocked anchor", target, _LOCK_HINT, "info"))
        return notes

    def _doc(self, page: Page) -> str:
        return f"{self.docs}/{page.src}"


_LOCK_HINT = "run `make lock` to publish it"


def _where_it_leads(target: str, page: str, folder: str, *, url_mode: bool) -> tuple[str, ...]:
    """A key that two references share exactly when they lead to the same place: what `resolve` memoises on.

    `folder` is where the target is resolved from: the built page's folder for a URL, the source's for a doc path.
    Called for every link of every page, so the common shapes (`../x/`, `x/`, `#x`) take string operations only.
    """
    path, _, fragment = target.partition("#")
    if not path:
        return ("here", page, target)
    if path.startswith("//") or ":" in path.split("/", 1)[0]:
        return ("elsewhere", target)
    # `x/`, `.` and `..` name a folder (its index page); `x` names a file: they must not share a key.
    folder_like = path.rsplit("/", 1)[-1] in ("", ".", "..")
    up = 0
    while path.startswith("../"):
        path, up = path[3:], up + 1
    if path.startswith(".") or "/." in path or "//" in path:
        joined = posixpath.normpath(posixpath.join(folder, "../" * up + path))
    else:
        parts = folder.split("/") if folder else []
        base = "/".join(parts[: len(parts) - up]) if up <= len(parts) else ".."
        joined = f"{base}/{path}" if base and path else base or path
    if joined == ".." or joined.startswith("../"):
        return ("above the root", page, target)  # resolved for each page: outside docs/ or clamped by a browser
    return ("url" if url_mode else "doc", joined.rstrip("/").removeprefix("."), fragment, "/" if folder_like else "")


def _problem(ref: Reference, kind: str, hint: str) -> Problem:
    return _issue(ref.file, ref.line, kind, ref.target, hint)


def _issue(file: str, line: int, kind: str, target: str, hint: str, level: str = "warning") -> Problem:
    return Problem(file, line, f"{kind}: '{target}'", hint, level=level)


def _missing_kind(path: str) -> str:
    name = posixpath.basename(path.rstrip("/"))
    is_page = path.endswith(("/", ".md", ".html")) or "." not in name
    return "missing page" if is_page else "missing file"


def _closest(word: str, candidates: Sequence[str]) -> str | None:
    import difflib  # only a build with problems needs it; every build would pay for importing it at the top

    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return matches[0] if matches else None


def _relative_doc(src: str, from_page: str) -> str:
    return posixpath.relpath(src, posixpath.dirname(from_page) or ".")


def _page_href(page: Page, base_dir: str) -> str:
    """How a page's URL is written relative to a page built in `base_dir`."""
    href = posixpath.relpath("/" + page.url, "/" + base_dir) if page.url else posixpath.relpath("/", "/" + base_dir)
    return href + "/" if page.url.endswith("/") and not href.endswith("/") else href
