"""What can be wrong with a diagram, as one problem line each, at the line of the Markdown file that holds it.

Pure: diagram source and Mermaid's verdict in, `Problem`s out. hooks/diagrams.py reports them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from problems import Problem

if TYPE_CHECKING:
    from collections.abc import Callable

ACCESSIBLE = ("accTitle", "accDescr")
# How Mermaid's parsers name the end of the input in "Expecting …, got '1'".
END_OF_INPUT = {"'1'", "'EOF'"}


def empty_problems(doc: str, line: int, source: str) -> list[Problem]:
    if source.strip():
        return []
    return [Problem(doc, line, "empty diagram", "add one or remove the fence")]


def error_problems(doc: str, fence_line: int, source: str, error: str | None, fault: int) -> list[Problem]:
    """Mermaid's error as one problem at the faulty line (`fault`, 1-based in `source`; 0: from Mermaid's count)."""
    if error is None:
        return []
    line = fault or source_line(source, _reported_line(error))
    text = source.split("\n")[line - 1].strip() if 0 < line <= len(source.split("\n")) else ""
    message, got_end = mermaid_message(error)
    if got_end:
        hint = "a bracket, quote or block opened on this line is never closed"
    elif message.startswith("No diagram type"):
        hint = "start the diagram with its type, such as `flowchart TD`"
    else:
        hint = "see Mermaid's syntax for this diagram type"
    where = f"line reads `{text}`: " if text else ""
    return [Problem(doc, fence_line + line - 1, f"diagram error: {message}", where + hint)]


def accessibility_problems(doc: str, line: int, source: str) -> list[Problem]:
    """A diagram without `accTitle:` or `accDescr` is a picture a screen reader cannot name or describe."""
    missing = [key for key in ACCESSIBLE if not re.search(rf"^\s*{key}\s*[:{{]", source, re.MULTILINE)]
    if not missing or not source.strip():
        return []
    hint = "add `accTitle: …` and `accDescr: …` lines, in the essay's words"
    return [Problem(doc, line, f"diagram accessibility: no {' or '.join(missing)}", hint)]


_MARKUP = re.compile(r"</?[A-Za-z][^<>]*>")


def markup_problems(doc: str, fence_line: int, source: str, shown: str) -> list[Problem]:
    """Markup written in a label that the drawing does not show: Mermaid dropped it (and what it enclosed)."""
    problems = []
    for number, text in enumerate(source.split("\n")):
        if re.match(r"\s*(accTitle|accDescr|%%)", text):
            continue
        for tag in _MARKUP.findall(text):
            if tag not in shown:
                hint = "labels are plain text: remove the markup, or write < and > as #lt; and #gt;"
                problems.append(Problem(doc, fence_line + number, f"diagram label lost markup: '{tag}'", hint))
    return problems


def mermaid_message(error: str) -> tuple[str, bool]:
    """Mermaid's error on one line, without its line count, excerpt and caret; and whether it hit the end."""
    text = error.removeprefix("Mermaid rendering failed: ")
    text = re.sub(r"^\w*Error: ", "", text)
    lines = text.split("\n")
    carets = {i for i, line in enumerate(lines) if re.fullmatch(r"-*\^", line.strip())}
    kept = [line for i, line in enumerate(lines) if i not in carets and i + 1 not in carets]
    one_line = " ".join(" ".join(kept).split())
    one_line = re.sub(r" on line \d+[:.]?", ":", one_line, count=1).replace("::", ":")
    one_line = re.sub(r"(Expecting (?:'[^']*', ){5})(?:'[^']*', )+", r"\1…, ", one_line)
    got = re.search(r"got ('[^']*')$", one_line)
    got_end = got is not None and got[1] in END_OF_INPUT
    if got_end:
        one_line = one_line[: got.start()] + "got the end of the diagram"  # type: ignore[union-attr]
    if one_line.startswith("No diagram type"):
        one_line = one_line.split(" for text:")[0]
    return (one_line if len(one_line) <= 300 else one_line[:299] + "…"), got_end


def fault_line(source: str, parses: Callable[[str], bool], reported: int) -> int:
    """The first line from which every longer prefix of `source` fails: where the fault starts.

    Mermaid reports where its parser gave up, which for an unclosed bracket or block is the end of the diagram;
    the fault is at or before that line, just after the longest prefix that still parses.
    """
    lines = source.split("\n")
    for end in range(min(reported, len(lines)) - 1, 0, -1):
        if not lines[end - 1].strip():
            continue
        if parses("\n".join(lines[:end])):
            return next(i for i in range(end + 1, len(lines) + 1) if lines[i - 1].strip())
    return next((i for i, text in enumerate(lines, 1) if text.strip()), 1)


def reported_source_line(source: str, error: str) -> int:
    """The line of `source` that Mermaid's message names."""
    return source_line(source, _reported_line(error))


def _reported_line(error: str) -> int:
    found = re.search(r"\bon line (\d+)", error)
    return int(found[1]) if found else 1


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


def locate(file_text: str, bodies: list[str]) -> list[int]:
    """For each fence body, in order, the 1-based line of its first line in the Markdown file (1 if not found).

    Only finds where superfences' fences are written (for problem lines); it never decides what is a diagram.
    An empty body is placed at the first opening fence line naming mermaid after the previous diagram.
    """
    lines = file_text.split("\n")
    found = []
    start = 0
    for body in bodies:
        wanted = [line.strip() for line in body.split("\n")] if body.strip() else []
        at = _find(lines, wanted, start) if wanted else _after_opener(lines, start)
        if at is None:
            found.append(1)
            continue
        found.append(at + 1)
        start = at + max(len(wanted), 1)
    return found


def _find(lines: list[str], wanted: list[str], start: int) -> int | None:
    for i in range(start, len(lines) - len(wanted) + 1):
        if all(lines[i + j].strip() == text for j, text in enumerate(wanted)):
            return i
    return None


def _after_opener(lines: list[str], start: int) -> int | None:
    for i in range(start, len(lines)):
        text = lines[i].strip()
        if text.startswith(("```", "~~~")) and "mermaid" in text:
            return i
    return None
