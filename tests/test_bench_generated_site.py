"""The bench's generated sites (bench/generated_site.py): made of the essay's words, and clean under --strict."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bench.build import findings
from bench.generated_site import (
    DIAGRAM_EVERY,
    PARAGRAPHS_PER_PAGE,
    diagram_sources,
    generate,
    page_name,
    project_words,
)
from tests.sitebuild import ROOT, build

if TYPE_CHECKING:
    from pathlib import Path

PAGES = 2 * DIAGRAM_EVERY  # two diagrams: one cold render each, a few seconds


def test_a_generated_site_builds_strict_with_nothing_to_report(tmp_path: Path) -> None:
    project = generate(tmp_path / "project", PAGES)
    result = build(tmp_path / "site", project=project)
    assert result.returncode == 0, result.stderr
    assert findings(result.stderr) == []
    assert (tmp_path / "site" / "p0010" / "index.html").read_text("utf-8").count("<svg") >= 1
    # The lock written with the site is the one `make lock` would write for it.
    written = (project / "permalinks.lock").read_text("utf-8")
    result = build(tmp_path / "site", project=project, env={"XREF_LOCK": "update"})
    assert result.returncode == 0, result.stderr
    assert (project / "permalinks.lock").read_text("utf-8") == written


def test_generated_pages_hold_only_the_essays_sentences(tmp_path: Path) -> None:
    project = generate(tmp_path / "project", PAGES)
    sentences = set(project_words().sentences)
    for number in range(1, PAGES + 1):
        text = (project / "docs" / page_name(number)).read_text("utf-8")
        paragraphs = re.findall(r"^(\S.*)\n\{ #p\d \}$", text, re.MULTILINE)
        assert len(paragraphs) == PARAGRAPHS_PER_PAGE, number
        for paragraph in paragraphs:
            assert all(s in sentences for s in re.split(r"(?<=\.) (?=[A-Z])", paragraph)), paragraph


def test_the_hundred_diagrams_are_distinct_and_labelled_with_essay_words() -> None:
    essay = (ROOT / "source" / "essay.txt").read_text("utf-8")
    sources = diagram_sources(100)
    labels = [frozenset(re.findall(r'^  n\d+\["(.*)"\]$', source, re.MULTILINE)) for source in sources]
    assert len(set(labels)) == len(sources)
    assert all(4 <= len(each) <= 6 for each in labels)
    assert all(label in essay for each in labels for label in each)
    assert all("accTitle: " in source and "accDescr: " in source and "click n0 " in source for source in sources)
