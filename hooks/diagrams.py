"""Mermaid diagrams, drawn once at build time: checked with Mermaid's own parser, cached by hash, linked, inlined.

Every ```mermaid fence in the docs is rendered with mermaidx (mermaid.js in an embedded JavaScript engine, no
browser). A render that fails is a syntax error: it is reported as
`docs/<page>.md:<line>: diagram error: <Mermaid's message>`, with the line counted in the Markdown file,
and `--strict` fails the build after every error has been reported. Results are cached under
`.cache/diagrams/` by the sha256 of the diagram's source, so an unchanged diagram costs a file read.

A render that succeeds is used twice:
- inline in the page, as the SVG itself: the fence becomes a placeholder while Markdown renders, and
  `on_page_content` puts the SVG in its place, with ids made unique on the page and each `click` target
  (written like a Markdown link, `click A "ukraine.md#p1"`) turned into the built page's relative URL;
- as the download offered next to it (`assets/diagrams/<page>.svg`), whose links are the hosted URLs.

Pages load no Mermaid at all. Drawing in the reader's browser cost 2.5 MB of JavaScript and, on `/`, one
task of 200–400 ms while Mermaid started and laid the diagram out (Lighthouse performance 90–93). The SVG's
colours are Material's `--md-mermaid-*` CSS variables (THEME_CSS), so the light/dark toggle restyles it
without drawing it again, as Material's own rendering does.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import posixpath
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from lxml import etree
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.diagrams")

SVG_DIR = "assets/diagrams"
CACHE_DIR = Path(".cache") / "diagrams"
# The site's palette: Material's --md-mermaid-* variables (defined for both schemes), so the toggle restyles an
# inline diagram through CSS alone. Mermaid scopes these rules to the SVG's id and puts them after its own.
# The fallbacks are Mermaid's default theme: a downloaded SVG, opened on its own, has no such variables.
THEME_CSS = " ".join(
    [
        ".node rect, .node circle, .node ellipse, .node polygon, .node path"
        " { fill: var(--md-mermaid-node-bg-color, #ECECFF); stroke: var(--md-mermaid-node-fg-color, #9370DB); }",
        "text, .label text { fill: var(--md-mermaid-label-fg-color, #333); }",
        ".flowchart-link, .edgePath .path { stroke: var(--md-mermaid-edge-color, #333333); }",
        ".marker, .marker.cross, .arrowheadPath, .arrowMarkerPath"
        " { fill: var(--md-mermaid-edge-color, #333333); stroke: var(--md-mermaid-edge-color, #333333); }",
        ".edgeLabel rect, .labelBkg { fill: var(--md-mermaid-label-bg-color, rgba(232, 232, 232, 0.8)); opacity: 1; }",
    ]
)
# Plain-text labels: under securityLevel strict, Mermaid still lets harmless-looking HTML in a label through
# (DOMPurify); as SVG text, markup in a label is shown as the characters it is, and the SVG opens in more
# editors. mermaidx lays text out with DejaVu Sans metrics, so that font comes first; where a reader lacks it,
# a fallback draws the label a little differently inside the same box. Part of the cache key.
EXPORT_CONFIG: dict[str, object] = {
    "htmlLabels": False,
    "flowchart": {"htmlLabels": False},
    "fontFamily": '"DejaVu Sans", "Bitstream Vera Sans", "Trebuchet MS", Arial, sans-serif',
    "themeCSS": THEME_CSS,
}
# mermaidx runs mermaid.js in V8 (mini-racer, pinned) rather than its default QuickJS interpreter: the same
# mermaid.js and the same SVG, about five times faster on a cold build.
BACKEND = "v8"
# mermaidx gives every SVG this id (mermaid-cli's default); a page with several diagrams needs one id each.
RENDER_ID = "my-svg"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# What the fence writes while Markdown renders; on_page_content puts the SVG in its place. The key is the
# sha256 of the diagram's source, so a placeholder can only ever be filled with its own diagram.
DRAWING_CLASS = "diagram-drawing"
PLACEHOLDER = f'<div class="{DRAWING_CLASS}" data-diagram="{{key}}"></div>'
_PLACEHOLDER = re.compile(f'<div class="{DRAWING_CLASS}" data-diagram="(?P<key>[0-9a-f]{{64}})"></div>')
DOWNLOAD_TEXT = "Download this diagram as SVG"


@dataclass
class _State:
    cache: Path | None = None
    # page src_uri -> one SVG path (relative to docs) per fence, in order; None where the diagram failed
    exports: dict[str, list[str | None]] | None = None
    # source key -> the SVG as mermaidx drew it (links still as written, id still RENDER_ID)
    drawings: dict[str, str] | None = None


_state = _State()


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    _state.cache = Path(config.config_file_path).parent / CACHE_DIR
    _state.exports = {}
    _state.drawings = {}
    if "pymdownx.superfences" not in config.markdown_extensions:
        raise PluginError("mkdocs.yml: hooks/diagrams.py needs pymdownx.superfences under markdown_extensions")
    # The ```mermaid fence is this hook's, whatever mkdocs.yml says: it writes the placeholder for the SVG.
    superfences = config.mdx_configs.setdefault("pymdownx.superfences", {})
    fences = [fence for fence in superfences.get("custom_fences", []) if fence.get("name") != "mermaid"]
    superfences["custom_fences"] = [*fences, {"name": "mermaid", "class": DRAWING_CLASS, "format": fence_diagram}]
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
            if outcome.svg is None:
                exports.append(None)
                continue
            _state.drawings[drawing_key(fence.source)] = outcome.svg
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
    # Bottom up, so the line numbers of the fences above stay valid while lines are inserted.
    for fence, export in reversed(list(zip(find_fences(markdown), exports, strict=False))):
        if export is not None:
            href = posixpath.relpath(export, posixpath.dirname(page.file.src_uri) or ".")
            attrs = f'{{ .diagram-download download="{posixpath.basename(export)}" }}'
            lines[fence.end + 1 : fence.end + 1] = ["", f"{fence.indent}[{DOWNLOAD_TEXT}]({href}){attrs}"]
    return "\n".join(lines)


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    if DRAWING_CLASS not in html:
        return None
    drawings = _state.drawings or {}
    count = 0

    def inline(match: re.Match[str]) -> str:
        nonlocal count
        drawing = drawings.get(match["key"])
        if drawing is None:  # Mermaid failed on it, and on_files has reported where
            return match[0]
        count += 1
        svg = page_svg(drawing, lambda target: _page_url(target, page.file, files), f"diagram-{count}")
        return f'<div class="{DRAWING_CLASS}">{svg}</div>'

    return _PLACEHOLDER.sub(inline, html)


def fence_diagram(source: str, language: str, class_name: str, options: object, md: object, **kwargs: object) -> str:
    """pymdownx.superfences' format for ```mermaid: a placeholder that on_page_content fills with the SVG."""
    return PLACEHOLDER.format(key=drawing_key(source))


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


def svg_names(src_uri: str, count: int) -> list[str]:
    """`ukraine.md` -> `assets/diagrams/ukraine.svg`; several on one page -> `index-1.svg`, `index-2.svg`."""
    stem = src_uri.removesuffix(".md").replace("/", "-")
    if count == 1:
        return [f"{SVG_DIR}/{stem}.svg"]
    return [f"{SVG_DIR}/{stem}-{n}.svg" for n in range(1, count + 1)]


def drawing_key(source: str) -> str:
    """Which drawing a fence is: the same whether read from the file (on_files) or given by superfences."""
    return hashlib.sha256(source.strip("\n").encode("utf-8")).hexdigest()


def relink_svg(svg: str, resolve: Callable[[str], str | None]) -> str:
    """The SVG with each link that `resolve` knows replaced; the links are Mermaid's `click` targets."""
    root = etree.fromstring(svg.encode("utf-8"))
    _relink(root, resolve)
    return etree.tostring(root, encoding="unicode")


def page_svg(svg: str, resolve: Callable[[str], str | None], svg_id: str) -> str:
    """The SVG as a page carries it inline: links resolved (as plain `href`), and `svg_id` for mermaidx's id
    wherever it is used (the element's own id, the ids derived from it, the style rules and markers)."""
    root = etree.fromstring(svg.encode("utf-8"))
    _relink(root, resolve)
    # SVG 2's plain href: crawlers and Lighthouse read only that one; a standalone file keeps xlink:href.
    for anchor in root.iter(f"{{{SVG_NS}}}a"):
        if (target := anchor.attrib.pop(f"{{{XLINK_NS}}}href", None)) is not None:
            anchor.set("href", target)
    for element in root.iter():
        for name, value in element.attrib.items():
            if RENDER_ID in value:
                element.set(name, value.replace(RENDER_ID, svg_id))
        if etree.QName(element).localname == "style" and element.text:
            element.text = element.text.replace(RENDER_ID, svg_id)
    return etree.tostring(root, encoding="unicode")


def _relink(root: etree._Element, resolve: Callable[[str], str | None]) -> None:
    for anchor in root.iter(f"{{{SVG_NS}}}a"):
        for attribute in (f"{{{XLINK_NS}}}href", "href"):
            target = anchor.get(attribute)
            url = resolve(target) if target is not None else None
            if url is not None:
                anchor.set(attribute, url)


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
