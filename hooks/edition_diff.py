"""What changed in a page's essay text between two editions, sentence by sentence.

A pure core: no MkDocs here. pysbd splits each paragraph into sentences (the same segmenter the fidelity test
uses on source/essay.txt); difflib aligns the two editions' sentence lists. Where the alignment replaces a run
of sentences, each old sentence is paired with the closest new one that follows the last pair (difflib's
ratio of their words): a pair close enough is one sentence reworded, the rest were removed or added.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pysbd
    from edition_record import Paragraph

ADDED = "added"
REMOVED = "removed"
REWORDED = "reworded"
KINDS = (REWORDED, ADDED, REMOVED)
# Two sentences whose words are at least this similar (difflib's ratio) are one sentence reworded; below it,
# one was removed and another added. 0.5: a sentence keeps its place in the argument when about half its words
# stay; "red line" -> "clear red line" is 0.95, two unrelated sentences of the essay score under 0.3.
REWORDED_RATIO = 0.5


@dataclass(frozen=True)
class Sentence:
    text: str
    paragraph: str  # the id of its paragraph: "p1", or "title" for the page's heading


@dataclass(frozen=True)
class Change:
    kind: str  # ADDED, REMOVED or REWORDED
    before: str  # the sentence in the earlier edition; "" when added
    after: str  # the sentence now; "" when removed
    paragraph: str  # where the change is in this edition: its paragraph's id (for a removed one, the next's)

    def words(self) -> list[tuple[str, str]]:
        """The reworded sentence as runs of (kind, text): "same", "removed" or "added" words, in reading order."""
        old, new = _tokens(self.before), _tokens(self.after)
        runs: list[tuple[str, str]] = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if tag == "equal":
                runs.append(("same", "".join(old[i1:i2])))
                continue
            if i2 > i1:
                runs.append((REMOVED, "".join(old[i1:i2])))
            if j2 > j1:
                runs.append((ADDED, "".join(new[j1:j2])))
        return runs


def sentences(paragraphs: list[Paragraph]) -> list[Sentence]:
    """Each paragraph's sentences, whitespace folded, in reading order."""
    found = []
    for ident, text in paragraphs:
        for sentence in _segmenter().segment(" ".join(text.split())):
            if sentence.strip():
                found.append(Sentence(" ".join(sentence.split()), ident))
    return found


def changes(before: list[Paragraph], after: list[Paragraph]) -> list[Change]:
    """Every sentence added, removed or reworded from `before` to `after`, in this edition's reading order."""
    old, new = sentences(before), sentences(after)
    matcher = difflib.SequenceMatcher(None, [s.text for s in old], [s.text for s in new], autojunk=False)
    found: list[Change] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            found += _pair(old[i1:i2], new[j1:j2], _paragraph_at(new, j1))
    return found


def _pair(old: list[Sentence], new: list[Sentence], here: str) -> list[Change]:
    """A replaced run: old sentences paired, in order, with the closest later new ones; the rest removed or added."""
    found: list[Change] = []
    start = 0  # pairs keep reading order: the next old sentence pairs only with a new one after the last pair
    for sentence in old:
        scores = [(_similarity(sentence.text, n.text), j) for j, n in enumerate(new[start:], start)]
        best = max(scores, default=(0.0, -1))
        if best[0] < REWORDED_RATIO:
            found.append(Change(REMOVED, sentence.text, "", new[start].paragraph if start < len(new) else here))
            continue
        found += [Change(ADDED, "", n.text, n.paragraph) for n in new[start : best[1]]]
        found.append(Change(REWORDED, sentence.text, new[best[1]].text, new[best[1]].paragraph))
        start = best[1] + 1
    found += [Change(ADDED, "", n.text, n.paragraph) for n in new[start:]]
    return found


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def _paragraph_at(new: list[Sentence], index: int) -> str:
    """The paragraph of the sentence at `index` of this edition, or of the last one past the end."""
    if index < len(new):
        return new[index].paragraph
    return new[-1].paragraph if new else ""


def _tokens(text: str) -> list[str]:
    return [token for token in re.split(r"(\s+)", text) if token]


@functools.cache
def _segmenter() -> pysbd.Segmenter:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)
