"""One row per figure: what was measured, its value, the budget and whether it holds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    figure: str
    value: str
    budget: str = ""
    ok: bool | None = None  # None: reported only, no budget

    @property
    def verdict(self) -> str:
        return {True: "pass", False: "FAIL", None: ""}[self.ok]


def render(rows: list[Row]) -> str:
    """A Markdown table, readable in a terminal and pasteable into a note."""
    header = ("Figure", "Value", "Budget", "Result")
    cells = [header, *((r.figure, r.value, r.budget, r.verdict) for r in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in cells]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines)
