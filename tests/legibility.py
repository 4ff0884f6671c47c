"""How large a diagram's labels are on screen, measured in the browser (for the legibility and viewer tests)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.drawings import DIAGRAM_SVGS

if TYPE_CHECKING:
    from playwright.sync_api import Page

# The two screens: a laptop and a phone.
VIEWPORTS = {"1280x900": {"width": 1280, "height": 900}, "390x844": {"width": 390, "height": 844}}
MIN_LABEL_PX = 12

# For each label (a non-empty SVG <text>) of `svg`: its font size times the scale from its own coordinates to the
# screen (getScreenCTM, CSS transforms included), and the height of one of its lines on screen
# (getBoundingClientRect over its lines: Mermaid writes one tspan.row per line).
MEASURE_SVG = """svg => [...svg.querySelectorAll('text')]
  .filter(text => text.textContent.trim())
  .map(text => {
    const m = text.getScreenCTM();
    const scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
    const rows = Math.max(1, text.querySelectorAll('tspan.row').length);
    return {
      label: text.textContent.trim().replace(/\\s+/g, ' '),
      drawn: parseFloat(getComputedStyle(text).fontSize) * scale,
      line: text.getBoundingClientRect().height / rows,
    };
  })"""


def page_labels(page: Page) -> list[list[dict[str, object]]]:
    """Every label of every diagram on the page, one list per diagram in document order."""
    return page.evaluate(f"() => {DIAGRAM_SVGS}.map({MEASURE_SVG})")


def svg_labels(page: Page, selector: str) -> list[dict[str, object]]:
    return page.locator(selector).evaluate(MEASURE_SVG)


def smallest(labels: list[dict[str, object]]) -> dict[str, object]:
    return min(labels, key=lambda label: min(label["drawn"], label["line"]))  # type: ignore[type-var]


def too_small(labels: list[dict[str, object]]) -> list[str]:
    """The labels drawn below MIN_LABEL_PX, in font size or line height, as readable lines."""
    return [
        f"{label['label']!r}: font {label['drawn']:.2f} px, line {label['line']:.2f} px"
        for label in labels
        if min(label["drawn"], label["line"]) < MIN_LABEL_PX  # type: ignore[type-var]
    ]
