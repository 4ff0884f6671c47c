"""The essay's pages as chapters of its PDF and EPUB: each page's article as the site rendered it, fit for a book.

A pure core (lxml, no MkDocs): hooks/books.py hands it the final HTML of each essay page, as the site writes it,
and the site model. The chapter keeps the article's text and markup as they are and changes only what a book
cannot use:
- the theme's and the site's controls go: heading permalinks, the cite box, the diagram's download link;
- each paragraph's pinpoint becomes its visible number, `¶ 1`, a link to the paragraph on the web (`…/#p1`);
- a collapsible block (`<details>`) is printed open, its summary as the block's title;
- links within the essay point into the book (the PDF's ids, `#ukraine.p1`; the EPUB's files, `ukraine.xhtml#p1`),
  links to the site's other pages and files point to their hosted canonical URLs;
- each diagram is its drawing from the site model (the diagram cache), with the book's links, ids unique in the
  book, one scale for all drawings, and its colours written out (no CSS variables: a book has no palette toggle,
  and WeasyPrint and many e-readers do not resolve them); inline SVG in the EPUB, an SVG image in the PDF.

Everything comes out in the XHTML namespace, for EPUB's XHTML and for the PDF's HTML alike.
"""

from __future__ import annotations

import base64
import functools
import re
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

import diagram_svg
import lxml.html
import tinycss2
from citation_pinpoints import PARAGRAPH_ID
from diagram_svg import DRAWING_CLASS, SVG_NS, XLINK_HREF
from lxml import etree

if TYPE_CHECKING:
    from collections.abc import Sequence

    from citation_record import Work
    from citation_styles import Rendered
    from site_model import PageModel, Site

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
PDF = "pdf"
EPUB = "epub"
# What the site adds around the author's text for a reader with a browser; none of it works on paper.
DROP_CLASSES = ("headerlink", "cite-box")
DROP_LINK_CLASSES = ("diagram-download",)
PINPOINT_TITLE = "This paragraph on the web"
# A drawing's user unit in the book's CSS pixels: Mermaid's 16px labels print at 12px (9pt), just under the text.
DRAWING_SCALE = 0.75
# How to cite's rule for paragraphs ("a numbered anchor, #p1, #p2 and so on, counted per page"), for the book.
PARAGRAPHS_NOTE = (
    "A paragraph: its number (¶ 1, ¶ 2 …) is its anchor on the web, counted per section; "
    "¶ 1 of a section is its page's address with #p1, for example "
)
# HTML elements that may be written <br/>; any other empty element is written <x></x>, which an HTML parser
# (WeasyPrint's) reads as the XML parser does.
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


def article(html: str, page: PageModel) -> lxml.html.HtmlElement:
    """The <article> of `page`'s final HTML: what the site shows of the page, inside the theme's chrome."""
    doc = lxml.html.document_fromstring(html)
    found = doc.xpath("//article[contains(concat(' ', normalize-space(@class), ' '), ' md-content__inner ')]")
    if not found:
        raise ValueError(f"{page.doc}: the built page has no <article class='md-content__inner'>")
    return found[0]


def chapter(content: lxml.html.HtmlElement, page: PageModel, site: Site, kind: str) -> etree._Element:
    """`page`'s article (`content`, used up) as a book chapter: an XHTML <section>, for the PDF or the EPUB."""
    for element in _with_class(content, *DROP_CLASSES):
        _drop(element)
    for element in _with_class(content, *DROP_LINK_CLASSES):
        parent = element.getparent()
        _drop(parent if parent is not None and parent.tag == "p" and len(parent) == 1 else element)
    slots = _drawing_slots(content)
    for details in content.iter("details"):
        _open(details)
    for link in content.iter("a"):
        _relink(link, page, site, kind)
    if kind == PDF:
        for element in content.iter():
            if element.get("id") is not None:
                element.set("id", page.place.in_pdf(element.get("id")))
    lxml.html.html_to_xhtml(content)
    section = etree.Element(f"{{{XHTML_NS}}}section", {"class": "chapter"}, nsmap={None: XHTML_NS})
    if kind == PDF:  # the EPUB's chapter is a file of its own, where the heading's id is the page's own
        section.set("id", page.place.in_pdf())
    section.text = content.text
    section.extend(list(content))
    for slot, svg in zip(slots, book_drawings(page, site, kind), strict=True):
        slot.append(svg)
    return section


def book_drawings(page: PageModel, site: Site, kind: str) -> list[etree._Element]:
    """The page's drawings from the site model, in page order, as the book carries them: inline SVG in the EPUB
    (links work, labels are text a reader can search and select); in the PDF the same SVG as an image
    (data: URL), which WeasyPrint draws as vectors and tags as a Figure with the drawing's title as its
    alternative text. Inline, WeasyPrint would also read the SVG's style attributes as HTML CSS and warn about
    each one; as an image only its SVG renderer reads them."""
    found = []
    for fence in page.fences:
        drawing = site.drawings.get(fence.key)
        if drawing is None or drawing.svg is None:
            continue
        svg_id = _css_ident(f"{page.place.chapter}-diagram-{len(found) + 1}")
        text = diagram_svg.for_page(drawing.svg, lambda target: _diagram_target(target, page, site, kind), svg_id)
        root = etree.fromstring(text.encode("utf-8"))
        for anchor in root.iter(f"{{{SVG_NS}}}a"):
            # The page writes SVG 2's plain href; EPUB's SVG (1.1) and PDF renderers read xlink:href.
            if (target := anchor.attrib.pop("href", None)) is not None:
                anchor.set(XLINK_HREF, target)
        for style in root.iter(f"{{{SVG_NS}}}style"):
            style.text = without_variables(style.text or "")
        _book_size(root)
        found.append(root if kind == EPUB else _as_image(root))
    return found


def _as_image(svg: etree._Element) -> etree._Element:
    title = svg.find(f"{{{SVG_NS}}}title")
    data = base64.b64encode(etree.tostring(svg, encoding="utf-8", xml_declaration=True)).decode("ascii")
    attrib = {
        "src": f"data:image/svg+xml;base64,{data}",
        "alt": " ".join((title.text or "").split()) if title is not None else "",
        "width": svg.get("width", ""),
        "height": svg.get("height", ""),
    }
    return etree.Element(f"{{{XHTML_NS}}}img", {k: v for k, v in attrib.items() if v or k == "alt"})


def _book_size(svg: etree._Element) -> None:
    """One scale for every drawing, so that labels have one size in the book (as the site's CSS pixels do);
    the book's style sheet shrinks a drawing wider than the text, keeping its proportions."""
    svg.attrib.pop("style", None)  # the site's max-width, for a browser window
    _, _, width, height = (float(n) for n in svg.get("viewBox", "0 0 0 0").replace(",", " ").split())
    if width and height:
        svg.set("width", f"{width * DRAWING_SCALE:.2f}")
        svg.set("height", f"{height * DRAWING_SCALE:.2f}")


@functools.lru_cache(maxsize=64)  # one style sheet per drawing, for the PDF and the EPUB alike
def without_variables(css: str) -> str:
    """`css` with every `var(--name, fallback)` replaced by its fallback (and `var(--name)` by nothing)."""
    rules = tinycss2.parse_stylesheet(css)
    for rule in rules:
        if rule.type in ("qualified-rule", "at-rule") and rule.content is not None:
            rule.content = _resolved(rule.content)
    return tinycss2.serialize(rules)


def polyglot(element: etree._Element) -> None:
    """Write every empty non-void XHTML element as <x></x>: the same tree for an XML and an HTML parser."""
    for node in element.iter(f"{{{XHTML_NS}}}*"):
        if len(node) == 0 and not node.text and etree.QName(node).localname not in VOID:
            node.text = ""


def target(place_page: PageModel, anchor: str, kind: str) -> str:
    """A link, inside the book of `kind`, to `place_page` (a chapter) or one of its ids."""
    place = place_page.place
    return f"#{place.in_pdf(anchor)}" if kind == PDF else place.in_epub(anchor)


# --- helpers ---------------------------------------------------------------------------------------


def _with_class(root: lxml.html.HtmlElement, *names: str) -> list[lxml.html.HtmlElement]:
    return [element for element in root.iter() if set(element.classes) & set(names)]


def _drop(element: lxml.html.HtmlElement) -> None:
    element.drop_tree()  # keeps the text that follows the element


def _drawing_slots(content: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The page's diagram boxes, emptied: lxml's HTML parser folds SVG's camelCase (viewBox), so each drawing
    comes again from the site model, as SVG."""
    slots = _with_class(content, DRAWING_CLASS)
    for slot in slots:
        for child in list(slot):
            slot.remove(child)
        slot.text = None
    return slots


def _open(details: lxml.html.HtmlElement) -> None:
    details.tag = "div"
    details.attrib.pop("open", None)
    details.classes.add("admonition")
    for summary in details.findall("summary"):
        summary.tag = "p"
        summary.classes.add("admonition-title")


def _relink(link: lxml.html.HtmlElement, page: PageModel, site: Site, kind: str) -> None:
    if "pinpoint" in link.classes:
        _pinpoint(link, page)
        return
    href = link.get("href")
    if href is None:
        return
    link.set("href", _target(href, page, site, kind))


def _pinpoint(link: lxml.html.HtmlElement, page: PageModel) -> None:
    paragraph = link.getparent()
    match = PARAGRAPH_ID.match(paragraph.get("id", "") if paragraph is not None else "")
    if match is None:
        return
    for name in list(link.attrib):
        if name != "class":
            del link.attrib[name]
    link.set("href", f"{page.place.hosted}#{paragraph.get('id')}")
    link.set("title", PINPOINT_TITLE)
    link.text = f"¶ {match.group(1)}"


def _target(href: str, page: PageModel, site: Site, kind: str) -> str:
    """Where a link of the rendered page goes in the book (see the module's docstring)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return href
    anchor = unquote(parts.fragment)
    if not parts.path:
        return target(page, anchor, kind)
    path = urljoin("/" + page.place.url, parts.path).lstrip("/")
    found = site.page_at(path)
    if found is None:
        return site.site_url + path + (f"#{parts.fragment}" if parts.fragment else "")
    return _to_page(found, anchor, site, kind)


def _to_page(found: PageModel, anchor: str, site: Site, kind: str) -> str:
    if found in site.book_pages():
        return target(found, anchor, kind)
    return found.place.hosted + (f"#{anchor}" if anchor else "")


def _diagram_target(written: str, page: PageModel, site: Site, kind: str) -> str | None:
    """A click target as the diagram writes it (`ukraine.md#p1`, docs-relative) -> the book's link."""
    found = site.linked_page(written, page.src)
    return _to_page(found[0], found[1], site, kind) if found else None


def _resolved(tokens: Sequence[object]) -> list[object]:
    out: list[object] = []
    for token in tokens:
        if getattr(token, "type", "") == "function" and token.lower_name == "var":  # type: ignore[attr-defined]
            arguments = token.arguments  # type: ignore[attr-defined]
            commas = [i for i, t in enumerate(arguments) if getattr(t, "type", "") == "literal" and t.value == ","]
            fallback = arguments[commas[0] + 1 :] if commas else []
            while fallback and getattr(fallback[0], "type", "") == "whitespace":
                fallback = fallback[1:]
            out += _resolved(fallback)
        elif getattr(token, "type", "") == "function":
            token.arguments = _resolved(token.arguments)  # type: ignore[attr-defined]
            out.append(token)
        elif getattr(token, "type", "") in ("() block", "[] block", "{} block"):
            token.content = _resolved(token.content)  # type: ignore[attr-defined]
            out.append(token)
        else:
            out.append(token)
    return out


def _css_ident(text: str) -> str:
    # The drawing's id is written into its own style sheet (#ukraine-diagram-1 .node …): no dots or slashes.
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)


# --- the book's own pages: title page and contents -------------------------------------------------------


def title_page(work: Work, citations: Sequence[Rendered], example: PageModel | None, kind: str) -> etree._Element:
    """The title page: title, version and release date, canonical URL, how to cite (whole essay, a paragraph),
    the licence statement. Every word from the citation record or the site's How to cite; no author is named
    because the record names none."""
    section = _x("section", {"class": "title-page", "id": "title-page"})
    _x("h1", {"class": "book-title"}, work.title, parent=section)
    edition = _x("p", {"class": "book-edition"}, f"Version {work.version}, published ", parent=section)
    _x("time", {"datetime": work.released.isoformat()}, work.released.isoformat(), parent=edition).tail = ""
    url = _x("p", {"class": "book-url"}, "", parent=section)
    _x("a", {"href": work.url}, work.url, parent=url)
    cite = _x("section", {"class": "book-cite"}, parent=section)
    _x("h2", {}, "How to cite", parent=cite)
    _x("p", {}, "The whole essay:", parent=cite)
    styles = _x("dl", {"class": "book-citations"}, parent=cite)
    for rendered in citations:
        _x("dt", {}, rendered.style.label, parent=styles)
        dd = _x("dd", {}, parent=styles)
        fragment = lxml.html.fragment_fromstring(rendered.html, create_parent="div")
        lxml.html.html_to_xhtml(fragment)
        dd.text = fragment.text
        dd.extend(list(fragment))
    if example is not None:
        note = _x("p", {"class": "book-paragraphs"}, PARAGRAPHS_NOTE, parent=cite)
        link = _x("a", {"href": f"{example.place.hosted}#p1"}, f"{example.place.hosted}#p1", parent=note)
        link.tail = "."
    _x("p", {"class": "book-rights"}, work.rights, parent=section)
    if kind == EPUB:
        section.set(EPUB_TYPE, "titlepage")
    return section


def contents(pages: Sequence[PageModel], kind: str) -> etree._Element:
    """The table of contents: one entry per chapter, linked (the PDF adds each chapter's page number)."""
    nav = _x("nav", {"class": "contents", "id": "contents"})
    if kind == EPUB:
        nav.set(EPUB_TYPE, "toc")
    _x("h2", {}, "Contents", parent=nav)
    items = _x("ol", {}, parent=nav)
    for page in pages:
        item = _x("li", {}, parent=items)
        _x("a", {"href": target(page, "", kind)}, page.title, parent=item)
    return nav


def _x(
    tag: str, attrib: dict[str, str], text: str | None = None, *, parent: etree._Element | None = None
) -> etree._Element:
    name = f"{{{XHTML_NS}}}{tag}"
    if parent is None:
        element = etree.Element(name, attrib, nsmap={None: XHTML_NS})
    else:
        element = etree.SubElement(parent, name, attrib)
    element.text = text
    return element
