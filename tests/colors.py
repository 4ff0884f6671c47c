"""WCAG 2 contrast from colours as a browser computes them ("rgb(…)", "rgba(…)"), layered as they are painted."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rgba:
    r: float
    g: float
    b: float
    a: float = 1.0

    def over(self, below: Rgba) -> Rgba:
        """This colour painted over `below` (source-over; `below` opaque or not)."""
        a = self.a + below.a * (1 - self.a)
        if a == 0:
            return Rgba(0, 0, 0, 0)
        mix = [(s * self.a + b * below.a * (1 - self.a)) / a for s, b in zip(self.rgb, below.rgb, strict=True)]
        return Rgba(*mix, a)

    def times(self, opacity: float) -> Rgba:
        return Rgba(self.r, self.g, self.b, self.a * opacity)

    @property
    def rgb(self) -> tuple[float, float, float]:
        return (self.r, self.g, self.b)

    def luminance(self) -> float:
        """WCAG 2's relative luminance (of the colour as if opaque)."""

        def channel(value: float) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(v) for v in self.rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b


def parse(value: str) -> Rgba | None:
    """A computed CSS colour, `rgb(1, 2, 3)` or `rgba(1, 2, 3, 0.5)`; None for `none`, `transparent` or a
    paint server (`url(#…)`), which this module does not judge."""
    value = value.strip()
    if value in {"none", "transparent", ""} or value.startswith("url("):
        return None
    name, _, rest = value.partition("(")
    if name not in {"rgb", "rgba"} or not rest.endswith(")"):
        raise ValueError(f"not a computed colour: {value!r}")
    parts = [p.strip() for p in rest[:-1].replace("/", ",").replace(" ", ",").split(",") if p.strip()]
    numbers = [float(p[:-1]) / 100 if p.endswith("%") else float(p) for p in parts]
    return Rgba(*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)


def flatten(layers: list[Rgba], page: Rgba) -> Rgba:
    """What is seen where `layers` (topmost first) are painted over the opaque `page`."""
    seen = page
    for layer in reversed(layers):
        seen = layer.over(seen)
    return seen


def contrast(fore: Rgba, back: Rgba) -> float:
    """WCAG 2 contrast ratio of `fore` painted over the opaque `back`."""
    light, dark = sorted(((fore.over(back)).luminance(), back.luminance()), reverse=True)
    return (light + 0.05) / (dark + 0.05)
