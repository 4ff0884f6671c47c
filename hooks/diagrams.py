"""Mermaid diagrams: checked with Mermaid's own parser at build time, cached by hash, linked, exported as SVG.

Every ```mermaid fence in the docs is rendered once with mermaidx (mermaid.js in an embedded JavaScript
engine, no browser). A render that fails is a syntax error: it is reported as
`docs/<page>.md:<line>: diagram error: <Mermaid's message>`, with the line counted in the Markdown file,
and `--strict` fails the build after every error has been reported. A render that succeeds is the SVG
offered for download next to the diagram (`assets/diagrams/<page>.svg`). Results are cached under
`.cache/diagrams/` by the sha256 of the diagram's source, so an unchanged diagram costs a file read.
Click targets are written like Markdown links (`click A "ukraine.md#p1"`); they are rewritten to the
built page's URL, relative to the page that shows the diagram.

Pages that have a diagram get the vendored Mermaid named by `extra.mermaid.javascript`: this hook tells the
template (`mermaid_javascript`, used in overrides/main.html), and Material initialises Mermaid and draws the
diagrams. mermaid2's plugin did the same by re-parsing every diagram page with BeautifulSoup, which cost
about as much as a whole build of bare Material; this hook already knows which pages have a diagram.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import logging
import os
import posixpath
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from lxml import etree
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

log = logging.getLogger("mkdocs.hooks.diagrams")

SVG_DIR = "assets/diagrams"
CACHE_DIR = Path(".cache") / "diagrams"
# Plain-text labels: under securityLevel strict, Mermaid still lets harmless-looking HTML in a label through
# (DOMPurify); as SVG text, markup in a label is shown as the characters it is. The same setting renders the
# download (and opens in more SVG editors). Part of the cache key.
EXPORT_CONFIG: dict[str, object] = {"htmlLabels": False, "flowchart": {"htmlLabels": False}}
# mermaidx runs mermaid.js in V8 (mini-racer, pinned) rather than its default QuickJS interpreter: the same
# mermaid.js and the same SVG, about five times faster on a cold build.
BACKEND = "v8"
# Material initialises Mermaid with its own settings; a diagram's own directive is the one way to add to them.
BROWSER_DIRECTIVE = "%%{init: " + json.dumps(EXPORT_CONFIG) + "}%%"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
DOWNLOAD_TEXT = "Download this diagram as SVG"


@dataclass
class _State:
    cache: Path | None = None
    # page src_uri -> one SVG path (relative to docs) per fence, in order; None where the diagram failed
    exports: dict[str, list[str | None]] | None = None
    # docs-relative path of the vendored Mermaid that pages with a diagram load
    javascript: str | None = None


_state = _State()


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    _state.cache = Path(config.config_file_path).parent / CACHE_DIR
    _state.exports = {}
    _state.javascript = mermaid_javascript(config.extra.get("mermaid"), Path(config.docs_dir))
    # mermaid2's fence copies the diagram's source into the page unescaped, so markup in a label would
    # become live HTML before Mermaid (and its strict securityLevel) ever sees it. Escaping keeps it text.
    for fence in config.mdx_configs.get("pymdownx.superfences", {}).get("custom_fences", []):
        if getattr(fence.get("format"), "__name__", "") == "fence_mermaid_custom":
            fence["format"] = _escaping(fence["format"])
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files | None:
    started = time.perf_counter()
    checked = rendered = 0
    cache = DiagramCache(_state.cache)
    for file in list(files.documentation_pages()):
        fences = find_fences(file.content_string)
        names = svg_names(file.src_uri, len(fences))
        exports: list[str | None] = []
        for fence, name in zip(fences, names, strict=True):
            outcome, fresh = cache.render(fence.source)
            checked += 1
            rendered += fresh
            page = f"docs/{file.src_uri}"
            for problem in diagram_problems(page, fence.source, fence.line_offset, outcome.error):
                log.warning(problem)
            for problem in accessibility_problems(page, fence.source, fence.line_offset):
                log.warning(problem)
            for problem in browser_support_problems(page, fence.source, fence.line_offset):
                log.warning(problem)
            if outcome.svg is None:
                exports.append(None)
                continue
            svg = relink_svg(outcome.svg, lambda target, f=file, n=name: _export_url(target, f, n, files, config))
            _replace_file(files, File.generated(config, name, content=svg))
            exports.append(name)
        if fences:
            _state.exports[file.src_uri] = exports
    log.info(
        "diagrams: %d checked, %d rendered, %d from cache, in %.3f s",
        checked,
        rendered,
        checked - rendered,
        time.perf_counter() - started,
    )
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    exports = (_state.exports or {}).get(page.file.src_uri)
    if not exports:
        return None
    lines = markdown.split("\n")
    fences = find_fences(markdown)
    # Bottom up, so the line numbers of the fences above stay valid while lines are inserted.
    for fence, export in reversed(list(zip(fences, exports, strict=False))):
        body = browser_source(rewrite_clicks(fence.source, lambda target: _page_url(target, page.file, files)))
        body_lines = [fence.indent + line if line else line for line in body.split("\n")]
        lines[fence.line_offset : fence.end] = body_lines
        closing = fence.line_offset + len(body_lines)
        if export is not None:
            href = posixpath.relpath(export, posixpath.dirname(page.file.src_uri) or ".")
            attrs = f'{{ .diagram-download download="{posixpath.basename(export)}" }}'
            link = f"{fence.indent}[{DOWNLOAD_TEXT}]({href}){attrs}"
            lines[closing + 1 : closing + 1] = ["", link]
    return "\n".join(lines)


def on_page_context(
    context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
) -> TemplateContext | None:
    if page.file.src_uri in (_state.exports or {}):
        context["mermaid_javascript"] = _state.javascript
    return context


def mermaid_javascript(settings: object, docs_dir: Path) -> str:
    """`extra.mermaid.javascript`, checked: a file in docs/, since a page may load nothing from the network."""
    javascript = settings.get("javascript") if isinstance(settings, dict) else None
    if not isinstance(javascript, str) or not javascript:
        raise PluginError(
            "mkdocs.yml: extra.mermaid.javascript is not set — name the vendored Mermaid, "
            "assets/vendor/mermaid/mermaid.tiny.js (make vendor)"
        )
    location = urlsplit(javascript)
    if location.scheme or location.netloc or not (docs_dir / javascript).is_file():
        raise PluginError(
            f"mkdocs.yml: extra.mermaid.javascript: {javascript!r} is not a file in docs/ — "
            "pages load nothing from the network; run make vendor, or fix the path"
        )
    return javascript


# ---------------------------------------------------------------------------------------------------------
# Pure core: Markdown text and diagram source in, plain data and problem lines out.


@dataclass(frozen=True)
class Fence:
    """One ```mermaid fence: its source (indent removed) and where it sits in the Markdown text."""

    source: str
    line_offset: int  # lines of the file before the diagram's first source line
    end: int  # index of the closing fence line
    indent: str


_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>`{3,}|~{3,})[ \t]*mermaid[ \t]*$")


def find_fences(markdown: str) -> list[Fence]:
    """Every ```mermaid fence, with the number of lines before its first source line."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    fences: list[Fence] = []
    i = 0
    while i < len(lines):
        opened = _FENCE_OPEN.match(lines[i])
        if not opened:
            i += 1
            continue
        indent, mark = opened["indent"], opened["mark"]
        closing = re.compile(rf"^{re.escape(indent)}{mark[0]}{{{len(mark)},}}[ \t]*$")
        end = next((j for j in range(i + 1, len(lines)) if closing.match(lines[j])), len(lines))
        body = [line.removeprefix(indent) for line in lines[i + 1 : end]]
        fences.append(Fence("\n".join(body), line_offset=i + 1, end=end, indent=indent))
        i = end + 1
    return fences


def browser_source(source: str) -> str:
    """The diagram as the page carries it: with the directive that gives it the export's plain-text labels."""
    return f"{BROWSER_DIRECTIVE}\n{source}"


def _escaping(fence_format: Callable[..., str]) -> Callable[..., str]:
    if getattr(fence_format, "escapes_source", False):
        return fence_format

    @functools.wraps(fence_format)
    def escaped(source: str, *args: object, **kwargs: object) -> str:
        return fence_format(html.escape(source, quote=False), *args, **kwargs)

    escaped.escapes_source = True  # type: ignore[attr-defined]
    return escaped


def svg_names(src_uri: str, count: int) -> list[str]:
    """`ukraine.md` -> `assets/diagrams/ukraine.svg`; several on one page -> `index-1.svg`, `index-2.svg`."""
    stem = src_uri.removesuffix(".md").replace("/", "-")
    if count == 1:
        return [f"{SVG_DIR}/{stem}.svg"]
    return [f"{SVG_DIR}/{stem}-{n}.svg" for n in range(1, count + 1)]


_CLICK_TARGET = re.compile(r'^(?P<head>\s*click\s+\S+\s+(?:href\s+)?)"(?P<target>[^"]*)"', re.MULTILINE)


def rewrite_clicks(source: str, resolve: Callable[[str], str | None]) -> str:
    """Replace each click target that `resolve` knows (a docs-relative `page.md#anchor`); keep the rest."""

    def replace(match: re.Match[str]) -> str:
        url = resolve(match["target"])
        return match[0] if url is None else f'{match["head"]}"{url}"'

    return _CLICK_TARGET.sub(replace, source)


def relink_svg(svg: str, resolve: Callable[[str], str | None]) -> str:
    """The SVG with each link that `resolve` knows replaced; the links are Mermaid's `click` targets."""
    root = etree.fromstring(svg.encode("utf-8"))
    for anchor in root.iter(f"{{{SVG_NS}}}a"):
        for attribute in (f"{{{XLINK_NS}}}href", "href"):
            target = anchor.get(attribute)
            url = resolve(target) if target is not None else None
            if url is not None:
                anchor.set(attribute, url)
    return etree.tostring(root, encoding="unicode")


def diagram_problems(page: str, source: str, line_offset: int, error: str | None) -> list[str]:
    """The problem line for Mermaid's error on this diagram, if any: `page:line: diagram error: message`."""
    if error is None:
        return []
    message = mermaid_message(error)
    reported = re.search(r"\bon line (\d+)", message)
    line = source_line(source, int(reported[1]) if reported else 1)
    return [f"{page}:{line_offset + line}: diagram error: {message}"]


_ACCESSIBLE = ("accTitle", "accDescr")


def accessibility_problems(page: str, source: str, line_offset: int) -> list[str]:
    """A diagram without `accTitle:` or `accDescr` is a picture a screen reader cannot name or describe."""
    missing = [key for key in _ACCESSIBLE if not re.search(rf"^\s*{key}\s*[:{{]", source, re.MULTILINE)]
    if not missing:
        return []
    return [
        f"{page}:{line_offset}: diagram accessibility: no {' or '.join(missing)} — "
        "add `accTitle: …` and `accDescr: …` lines, in the essay's words"
    ]


# The pages load Mermaid's tiny build (@mermaid-js/tiny), which leaves these out (its README says so); the
# build-time check runs the full Mermaid, so without this a diagram could pass the build and fail in the browser.
TINY_LACKS = {"mindmap": "a mindmap diagram", "architecture-beta": "an architecture diagram"}
TINY_HINT = "the pages load @mermaid-js/tiny (vendor.lock.json), which cannot draw it"


def browser_support_problems(page: str, source: str, line_offset: int) -> list[str]:
    """Problem lines for what Mermaid's tiny build cannot draw: mindmaps, architecture diagrams, KaTeX ($$)."""
    problems = []
    # The diagram type is the first word Mermaid's parser sees.
    text, origin = _as_mermaid_reads(source)
    kind = text.split(maxsplit=1)[0] if text else ""
    if kind in TINY_LACKS:
        line = source.count("\n", 0, origin[0]) + 1
        problems.append(
            f"{page}:{line_offset + line}: diagram unsupported: {TINY_LACKS[kind]} — {TINY_HINT};"
            " draw it as a flowchart"
        )
    problems += [
        f"{page}:{line_offset + n}: diagram unsupported: KaTeX math ($$…$$) — {TINY_HINT}; write the formula as text"
        for n, line in enumerate(source.split("\n"), 1)
        if "$$" in line
    ]
    return problems


def mermaid_message(error: str) -> str:
    """Mermaid's error on one line: without the engine's prefix and the excerpt with its caret."""
    text = error.removeprefix("Mermaid rendering failed: ")
    text = re.sub(r"^\w*Error: ", "", text)
    lines = text.split("\n")
    carets = {i for i, line in enumerate(lines) if re.fullmatch(r"-*\^", line.strip())}
    kept = [line for i, line in enumerate(lines) if i not in carets and i + 1 not in carets]
    one_line = " ".join(" ".join(kept).split())
    return one_line if len(one_line) <= 300 else one_line[:299] + "…"


# Mermaid 11's preprocessing before its parser counts lines (mermaid/src/preprocess.ts): front matter and
# %%{directives}%% are cut out, then %% comment lines (and the blank lines above them), then leading whitespace.
_FRONT_MATTER = re.compile(r"^-{3}\s*[\n\r](.*?)[\n\r]-{3}\s*[\n\r]+", re.DOTALL)
_DIRECTIVE = re.compile(r"%{2}\{\s*(?:(\w+)\s*:|(\w+))\s*(?:(\w+)|((?:(?!\}%{2}).|\r?\n)*))?\s*(?:\}%{2})?", re.I)
_COMMENT = re.compile(r"^\s*%%(?!\{)[^\n]+\n?", re.MULTILINE)


def source_line(source: str, mermaid_line: int) -> int:
    """The 1-based line of `source` that Mermaid calls `mermaid_line`, past the end clamped to the last line."""
    text, origin = _as_mermaid_reads(source)
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    if mermaid_line > len(starts) or not text[starts[mermaid_line - 1] :].strip():
        return len(source.rstrip().split("\n"))
    return source.count("\n", 0, origin[starts[mermaid_line - 1]]) + 1


def _as_mermaid_reads(source: str) -> tuple[str, list[int]]:
    """The text Mermaid's parser sees, and for each of its characters (and its end) the offset in `source`."""
    text = source.replace("\r\n", "\n")
    origin = list(range(len(text) + 1))
    for pattern in (_FRONT_MATTER, _DIRECTIVE, _COMMENT):
        text, origin = _cut(text, origin, [m.span() for m in pattern.finditer(text)])
    leading = len(text) - len(text.lstrip())
    return text[leading:], origin[leading:]


def _cut(text: str, origin: list[int], spans: list[tuple[int, int]]) -> tuple[str, list[int]]:
    keep = [True] * len(text)
    for start, end in spans:
        keep[start:end] = [False] * (end - start)
    chars = [i for i, kept in enumerate(keep) if kept]
    return "".join(text[i] for i in chars), [origin[i] for i in chars] + [origin[len(text)]]


# ---------------------------------------------------------------------------------------------------------
# Rendering with mermaidx, and its on-disk cache.


@dataclass(frozen=True)
class Outcome:
    svg: str | None
    error: str | None
    cacheable: bool = True


class DiagramCache:
    """Render results on disk, one JSON file per sha256 of the diagram's source (with the renderer's version
    and the export config, so that changing either re-renders everything)."""

    def __init__(self, directory: Path | None, render: Callable[[str], Outcome] | None = None) -> None:
        self.directory = directory
        self._render = render or render_diagram

    def key(self, source: str) -> str:
        material = json.dumps([_renderer_id(), EXPORT_CONFIG, source], sort_keys=True)
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def render(self, source: str) -> tuple[Outcome, bool]:
        """The outcome for `source`, and whether it had to be rendered (False: it came from the cache)."""
        path = self.directory / f"{self.key(source)}.json" if self.directory else None
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text("utf-8"))
                return Outcome(data["svg"], data["error"]), False
            except (ValueError, KeyError):
                pass  # a torn or foreign file: render again and overwrite it
        outcome = self._render(source)
        if path is not None and outcome.cacheable:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps({"svg": outcome.svg, "error": outcome.error}), "utf-8")
            os.replace(partial, path)
        return outcome, True


def render_diagram(source: str) -> Outcome:
    """Mermaid's SVG for `source`, or Mermaid's error message."""
    import mermaidx
    from mermaidx.engines._common import MermaidRenderError

    try:
        return Outcome(mermaidx.render(source, config=EXPORT_CONFIG, backend=BACKEND).svg(), None)
    except Exception as error:
        # mermaidx wraps Mermaid's own error in a RuntimeError; anything else is the engine failing.
        cause = error if isinstance(error, MermaidRenderError) else error.__cause__
        if isinstance(cause, MermaidRenderError):
            return Outcome(None, str(cause))
        return Outcome(None, f"could not run Mermaid (mermaidx): {type(error).__name__}: {error}", cacheable=False)


@functools.cache
def _renderer_id() -> str:
    from importlib.metadata import version

    return f"mermaidx {version('mermaidx')} {BACKEND}"


# ---------------------------------------------------------------------------------------------------------
# Click targets -> built URLs.


def _target_file(target: str, page: File, files: Files) -> tuple[File, str] | None:
    if "://" in target or target.startswith(("#", "/")):
        return None
    path, _, anchor = target.partition("#")
    if not path.endswith(".md"):
        return None
    src = posixpath.normpath(posixpath.join(posixpath.dirname(page.src_uri), path))
    found = files.get_file_from_path(src)
    return (found, anchor) if found is not None else None


def _page_url(target: str, page: File, files: Files) -> str | None:
    resolved = _target_file(target, page, files)
    if resolved is None:
        return None
    file, anchor = resolved
    url = file.url_relative_to(page)
    url = "./" if url == "." else url
    return f"{url}#{anchor}" if anchor else url


def _export_url(target: str, page: File, svg_path: str, files: Files, config: MkDocsConfig) -> str | None:
    """In a downloaded SVG a relative link means nothing: point at the canonical address when there is one."""
    resolved = _target_file(target, page, files)
    if resolved is None:
        return None
    file, anchor = resolved
    url = urljoin(config.site_url, file.url) if config.site_url else get_relative_url(file.url, svg_path)
    return f"{url}#{anchor}" if anchor else url


def _replace_file(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)
