"""Mermaid drawn with mermaidx (mermaid.js in V8, no browser), cached on disk by hash, on every core at once.

A render that fails is Mermaid's own syntax error (kept, and cached, as text); a render that cannot run at
all (the engine died) is not cached, so the next build tries again.

Cold builds draw every uncached diagram in parallel: mermaidx's V8 engine runs its isolate in a child process,
so one engine per worker thread keeps every core busy while the threads only wait on pipes. Each cache entry
is written to a temporary file and renamed into place, so a reader never sees half an entry, whichever
process wrote it.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import json
import os
import queue
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import diagram_checks

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from pathlib import Path

# The site's palette: Material's --md-mermaid-* variables (defined for both schemes), so the toggle restyles an
# inline diagram through CSS alone. Mermaid scopes these rules to the SVG's id and puts them after its own.
# The fallbacks are Mermaid's default theme: a downloaded SVG, opened on its own, has no such variables.
THEME_CSS = " ".join(
    [
        ".node rect, .node circle, .node ellipse, .node polygon, .node path"
        " { fill: var(--md-mermaid-node-bg-color, #ECECFF); stroke: var(--md-mermaid-node-fg-color, #9370DB); }",
        # CSS color and background-color too: SVG paints with fill, but checkers (HTML_CodeSniffer) read these.
        "text, .label text"
        " { fill: var(--md-mermaid-label-fg-color, #333); color: var(--md-mermaid-label-fg-color, #333); }",
        ".flowchart-link, .edgePath .path { stroke: var(--md-mermaid-edge-color, #333333); }",
        ".marker, .marker.cross, .arrowheadPath, .arrowMarkerPath"
        " { fill: var(--md-mermaid-edge-color, #333333); stroke: var(--md-mermaid-edge-color, #333333); }",
        ".edgeLabel rect, .labelBkg { fill: var(--md-mermaid-label-bg-color, rgba(232, 232, 232, 0.8)); opacity: 1; }",
        # The box behind an edge label, as CSS too: axe reads the rect's, HTML_CodeSniffer the label group's.
        ".edgeLabel, .edgeLabel rect, .labelBkg"
        " { background-color: var(--md-mermaid-label-bg-color, rgba(232, 232, 232, 0.8)); }",
    ]
)
# Plain-text labels: under securityLevel strict, Mermaid still lets harmless-looking HTML in a label through
# (DOMPurify); as SVG text, a label is the characters written, and the SVG opens in more editors.
# mermaidx lays text out with DejaVu Sans metrics, so that font comes first. Part of the cache key.
EXPORT_CONFIG: dict[str, object] = {
    "htmlLabels": False,
    "flowchart": {"htmlLabels": False},
    "fontFamily": '"DejaVu Sans", "Bitstream Vera Sans", "Trebuchet MS", Arial, sans-serif',
    "themeCSS": THEME_CSS,
}
# mermaidx's V8 backend (mini-racer, pinned) rather than its default QuickJS interpreter: the same mermaid.js
# and the same SVG, about five times faster.
BACKEND = "v8"
THEME = "default"
# Bumped when the cache entries' shape changes, so that older entries are drawn again.
CACHE_FORMAT = 2


@dataclass(frozen=True)
class Outcome:
    svg: str | None
    error: str | None
    cacheable: bool = True
    fault: int = 0  # with an error: the line of the source where the fault starts (diagram_checks.fault_line)


class DiagramCache:
    """Render results on disk, one JSON file per sha256 of the diagram's source (with the renderer's version
    and the export config, so that changing either draws everything again)."""

    def __init__(self, directory: Path | None, render: Callable[[str], Outcome] | None = None) -> None:
        self.directory = directory
        self._render = render

    def key(self, source: str) -> str:
        material = json.dumps([_renderer_id(), CACHE_FORMAT, EXPORT_CONFIG, source], sort_keys=True)
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def cached(self, source: str) -> Outcome | None:
        path = self._path(source)
        if path is None or not path.is_file():
            return None
        try:
            data = json.loads(path.read_text("utf-8"))
            return Outcome(data["svg"], data["error"], fault=data["fault"])
        except (ValueError, KeyError):
            return None  # a torn or foreign file: draw again and overwrite it

    def store(self, source: str, outcome: Outcome) -> None:
        path = self._path(source)
        if path is None or not outcome.cacheable:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.{id(outcome)}.tmp")
        entry = {"svg": outcome.svg, "error": outcome.error, "fault": outcome.fault}
        partial.write_text(json.dumps(entry), "utf-8")
        os.replace(partial, path)

    def render(self, source: str) -> tuple[Outcome, bool]:
        """The outcome for `source`, and whether it had to be drawn (False: it came from the cache)."""
        found = self.render_all([source], workers=1)
        return found[source]

    def render_all(self, sources: Sequence[str], *, workers: int | None = None) -> dict[str, tuple[Outcome, bool]]:
        """Each distinct source's outcome and whether it was drawn now; uncached ones drawn on `workers` cores."""
        results: dict[str, tuple[Outcome, bool]] = {}
        missing = []
        for source in dict.fromkeys(sources):
            outcome = self.cached(source)
            if outcome is None:
                missing.append(source)
            else:
                results[source] = (outcome, False)
        draw = self._render or (lambda source: draw_many([source], workers=1)[0])
        drawn = [draw(s) for s in missing] if self._render else draw_many(missing, workers=workers)
        for source, outcome in zip(missing, drawn, strict=True):
            if outcome.error is not None and outcome.cacheable:
                reported = diagram_checks.reported_source_line(source, outcome.error)
                fault = diagram_checks.fault_line(source, lambda text: draw(text).error is None, reported)
                outcome = replace(outcome, fault=fault)
            self.store(source, outcome)
            results[source] = (outcome, True)
        return results

    def _path(self, source: str) -> Path | None:
        return self.directory / f"{self.key(source)}.json" if self.directory else None


def render_diagram(source: str) -> Outcome:
    """Mermaid's SVG for `source`, or Mermaid's error message (mermaidx's shared engine)."""
    return draw_many([source], workers=1)[0]


def draw_many(sources: Sequence[str], *, workers: int | None = None) -> list[Outcome]:
    """Each source drawn, in order; `workers` engines (default: one per core) draw side by side."""
    if not sources:
        return []
    count = max(1, min(len(sources), workers or os.cpu_count() or 1))
    with _engines(count) as engines:
        if count == 1:
            return [_draw(engines[0], source) for source in sources]
        idle: queue.SimpleQueue = queue.SimpleQueue()
        for engine in engines:
            idle.put(engine)

        def draw(source: str) -> Outcome:
            engine = idle.get()
            try:
                return _draw(engine, source)
            finally:
                idle.put(engine)

        with ThreadPoolExecutor(count) as pool:
            return list(pool.map(draw, sources))


@functools.cache
def _renderer_id() -> str:
    from importlib.metadata import version

    return f"mermaidx {version('mermaidx')} {BACKEND}"


def _draw(engine: Any, source: str) -> Outcome:
    from mermaidx.engines._common import MermaidRenderError

    try:
        return Outcome(engine.render_svg(source, THEME, EXPORT_CONFIG, None), None)
    except MermaidRenderError as error:
        text = str(error)
        # The engine's own failures (a timeout, a crash) are not Mermaid's verdict on the diagram.
        if text.startswith(("Render exceeded", "The V8 engine process died")):
            return Outcome(None, f"could not run Mermaid (mermaidx): {text}", cacheable=False)
        return Outcome(None, text)
    except Exception as error:
        return Outcome(None, f"could not run Mermaid (mermaidx): {type(error).__name__}: {error}", cacheable=False)


@functools.cache
def _kept_engine() -> Any:
    """The engine drawing one diagram at a time (warm builds, `mkdocs serve`): started once, kept for the process."""
    from mermaidx.engines.v8_engine import Engine

    engine = Engine()
    engine.start()
    atexit.register(engine.close)
    return engine


@contextlib.contextmanager
def _engines(count: int) -> Iterator[list[Any]]:
    """`count` started engines: the kept one and `count - 1` more, closed again on exit."""
    from mermaidx.engines.v8_engine import Engine

    extra = [Engine() for _ in range(count - 1)]
    try:
        with ThreadPoolExecutor(max(1, count)) as pool:
            list(pool.map(lambda engine: engine.start(), extra))
            kept = _kept_engine()
        yield [kept, *extra]
    finally:
        for engine in extra:
            engine.close()
