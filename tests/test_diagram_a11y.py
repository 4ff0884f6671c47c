"""Diagram text is legible in contrast, in both palettes, and each diagram link is named by its own words.

axe leaves SVG text undecided ("background colour could not be determined"), so the contrast is computed
here from what Chromium paints: each <text>'s computed fill over the shapes painted before it that cover it
(node box, edge label background, subgraph) and, below those, the page's background.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests import colors
from tests.colors import Rgba
from tests.drawings import diagram_count
from tests.pages import built_path
from tests.test_accessibility import SCHEMES, _choose_scheme

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

MINIMUM = 4.5  # WCAG 2 AA for text under 18 pt

# For each diagram's <text>: its fill and opacity, and every painted shape that covers its centre and is
# painted before it (a previous sibling of it or of an ancestor, or inside one), topmost first; then the
# backgrounds of the elements around the SVG, innermost first.
PAINT = """() => {
  const SHAPES = "rect, polygon, circle, ellipse, path";
  const opacity = (el, stop) => {
    let value = 1;
    for (let e = el; e && e !== stop.parentElement; e = e.parentElement) value *= +getComputedStyle(e).opacity;
    return value;
  };
  const paint = (el, svg) => {
    const style = getComputedStyle(el);
    return {fill: style.fill, opacity: opacity(el, svg) * +style.fillOpacity};
  };
  const covers = (el, x, y) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.left <= x && x <= r.right && r.top <= y && y <= r.bottom;
  };
  return [...document.querySelectorAll(".diagram-drawing > svg")].flatMap((svg, d) => {
    const page = [];
    for (let e = svg.parentElement; e; e = e.parentElement) page.push(getComputedStyle(e).backgroundColor);
    return [...svg.querySelectorAll("text")].filter(t => t.textContent.trim()).map(text => {
      text.scrollIntoView({block: "center", inline: "center"});
      const box = text.getBoundingClientRect();
      const x = box.left + box.width / 2, y = box.top + box.height / 2;
      const below = [];
      for (let child = text; child !== svg; child = child.parentElement) {
        for (let sib = child.previousElementSibling; sib; sib = sib.previousElementSibling) {
          const shapes = sib.matches(SHAPES) ? [sib] : [...sib.querySelectorAll(SHAPES)].reverse();
          for (const shape of shapes) if (covers(shape, x, y)) below.push(paint(shape, svg));
        }
      }
      return {diagram: d + 1, text: text.textContent.trim(), drawn: box.width > 0, own: paint(text, svg), below, page};
    });
  });
}"""


def _seen_behind(found: dict) -> Rgba:
    page = [c for c in map(colors.parse, found["page"]) if c is not None and c.a > 0]
    # The canvas is white unless an element paints it; Material's body does, in both palettes.
    base = Rgba(255, 255, 255)
    for i, colour in enumerate(page):
        if colour.a == 1:
            base = colors.flatten(page[:i], colour)
            break
    layers = [c.times(layer["opacity"]) for layer in found["below"] if (c := colors.parse(layer["fill"])) is not None]
    return colors.flatten(layers, base)


@pytest.mark.browser
def test_diagram_text_contrast_in_both_palettes(context: BrowserContext, site_url: str, nav_pages: list[str]) -> None:
    page = context.new_page()
    page.goto(site_url)
    problems, lowest, checked = [], {}, 0
    for scheme in SCHEMES:
        _choose_scheme(page, scheme)
        for src in nav_pages:
            page.goto(site_url + built_path(src).removesuffix("index.html"))
            if not diagram_count(page):
                continue
            assert page.get_attribute("body", "data-md-color-scheme") == scheme
            for found in page.evaluate(PAINT):
                where = f"{src} [{scheme}] diagram {found['diagram']} {found['text']!r}"
                fill = colors.parse(found["own"]["fill"])
                if not found["drawn"] or fill is None:
                    problems.append(f"{where}: not painted with a colour (fill {found['own']['fill']})")
                    continue
                ratio = colors.contrast(fill.times(found["own"]["opacity"]), _seen_behind(found))
                checked += 1
                lowest[(src, scheme)] = min(ratio, lowest.get((src, scheme), ratio))
                if ratio < MINIMUM:
                    problems.append(f"{where}: {ratio:.2f}:1, fill {found['own']['fill']} over {found['below']}")
    assert checked >= 2 * len(nav_pages), f"only {checked} diagram texts checked"
    assert not problems, f"{len(problems)} diagram texts under {MINIMUM}:1:\n" + "\n".join(problems)
    print("lowest contrast per page:", {f"{src} [{scheme}]": round(r, 2) for (src, scheme), r in lowest.items()})


# Each diagram link's accessible name and description, as Chromium's accessibility tree has them, beside the
# words its node shows (rows joined by spaces) and its tooltip.
LINKS = """() => [...document.querySelectorAll(".diagram-drawing > svg a")].map(a => ({
  words: [...a.querySelectorAll("text")].map(t => {
    const rows = [...t.querySelectorAll("tspan.row")];
    return (rows.length ? rows : [t]).map(r => r.textContent.replace(/\\s+/g, " ").trim()).join(" ");
  }).join(" ").trim(),
  tooltip: a.querySelector(":scope > title")?.textContent ?? null,
}))"""


@pytest.mark.browser
def test_each_diagram_link_is_named_by_its_words_with_the_tooltip_as_description(
    context: BrowserContext, site_url: str, nav_pages: list[str]
) -> None:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    problems, checked = [], 0
    for src in nav_pages:
        page.goto(site_url + built_path(src).removesuffix("index.html"))
        links = page.evaluate(LINKS)
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        ids = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": ".diagram-drawing > svg a"})["nodeIds"]
        assert len(ids) == len(links), src
        for node_id, link in zip(ids, links, strict=True):
            (node, *_) = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node_id, "fetchRelatives": False})[
                "nodes"
            ]
            name = node.get("name", {}).get("value")
            description = node.get("description", {}).get("value")
            checked += 1
            if node.get("role", {}).get("value") != "link" or name != link["words"]:
                problems.append(f"{src}: link named {name!r}, its node shows {link['words']!r}")
            if not link["tooltip"] or description != link["tooltip"]:
                problems.append(f"{src}: {link['words']!r} described as {description!r}, tooltip {link['tooltip']!r}")
    assert checked >= len(nav_pages), f"only {checked} diagram links"
    assert not problems, "\n".join(problems)


CONTRAST_CASES = [
    pytest.param("rgb(0, 0, 0)", "rgb(255, 255, 255)", 21.0, id="black on white"),
    pytest.param("rgb(255, 255, 255)", "rgb(255, 255, 255)", 1.0, id="white on white"),
    pytest.param("rgb(118, 118, 118)", "rgb(255, 255, 255)", 4.54, id="the lightest AA grey on white"),
    pytest.param("rgb(119, 119, 119)", "rgb(255, 255, 255)", 4.48, id="one step lighter fails AA"),
    pytest.param("rgb(89, 89, 89)", "rgb(255, 255, 255)", 7.0, id="the lightest AAA grey on white"),
    # Half-transparent black over white is grey 127.5: luminance ((0.5 + 0.055) / 1.055) ** 2.4 = 0.214.
    pytest.param("rgba(0, 0, 0, 0.5)", "rgb(255, 255, 255)", 1.05 / 0.264, id="half-transparent black is mid grey"),
]


@pytest.mark.parametrize(("fore", "back", "expected"), CONTRAST_CASES)
def test_contrast(fore: str, back: str, expected: float) -> None:
    fg, bg = colors.parse(fore), colors.parse(back)
    assert fg is not None
    assert bg is not None
    assert colors.contrast(fg, bg) == pytest.approx(expected, abs=0.01)


FLATTEN_CASES = [
    pytest.param([], "rgb(10, 20, 30)", (10, 20, 30), id="nothing over the page"),
    pytest.param(["rgb(200, 0, 0)"], "rgb(0, 0, 255)", (200, 0, 0), id="an opaque layer hides the page"),
    pytest.param(["rgba(255, 255, 255, 0.5)"], "rgb(0, 0, 0)", (127.5, 127.5, 127.5), id="half white over black"),
    pytest.param(
        ["rgba(0, 0, 0, 0.5)", "rgba(255, 255, 255, 0.5)"], "rgb(0, 0, 0)", (63.75, 63.75, 63.75), id="topmost first"
    ),
    pytest.param(["rgba(82, 108, 254, 0.1)"], "rgb(255, 255, 255)", (237.7, 240.3, 254.9), id="a node's 10 % tint"),
]


@pytest.mark.parametrize(("layers", "page", "expected"), FLATTEN_CASES)
def test_flatten(layers: list[str], page: str, expected: tuple[float, float, float]) -> None:
    parsed = [c for c in map(colors.parse, layers) if c is not None]
    base = colors.parse(page)
    assert base is not None
    seen = colors.flatten(parsed, base)
    assert seen.rgb == pytest.approx(expected, abs=0.1)
    assert seen.a == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("rgb(1, 2, 3)", Rgba(1, 2, 3, 1)),
        ("rgba(1, 2, 3, 0.25)", Rgba(1, 2, 3, 0.25)),
        ("none", None),
        ("transparent", None),
        ('url("#gradient")', None),
    ],
)
def test_parse(value: str, expected: Rgba | None) -> None:
    assert colors.parse(value) == expected


def test_parse_refuses_what_it_cannot_judge() -> None:
    with pytest.raises(ValueError, match="not a computed colour"):
        colors.parse("hsl(0 0% 0%)")
