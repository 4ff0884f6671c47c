"""Where a piece of text stands in a file, so a test computes its expected line and column instead of copying them."""

from __future__ import annotations


def position(text: str, needle: str, *, after: str = "") -> tuple[int, int]:
    """1-based (line, column) of the first `needle` in `text`, past the first `after` when given.

    A needle that starts with a newline is found at the start of a line: "\nversion:" is not "cff-version:".
    """
    start = text.index(after) if after else 0
    index = text.index(needle, start) + needle.startswith("\n")
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def line_of(text: str, needle: str, *, after: str = "") -> int:
    return position(text, needle, after=after)[0]
