from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.fidelity import essay_sentences, find_missing, site_text
from tests.pages import built_path
from tests.sitebuild import ROOT, build, copy_project

if TYPE_CHECKING:
    from pathlib import Path

ESSAY = ROOT / "source" / "essay.txt"


def _built_pages(nav_pages: list[str]) -> list[Path]:
    from pathlib import Path

    return [Path(built_path(p)) for p in nav_pages]


def test_every_sentence_in_order(site_dir: Path, nav_pages: list[str]) -> None:
    sentences = essay_sentences(ESSAY.read_text(encoding="utf-8"))
    assert len(sentences) > 25
    missing = find_missing(sentences, site_text(site_dir, _built_pages(nav_pages)))
    assert not missing, "\n".join(map(str, missing))


def test_source_copy_matches_shared_source() -> None:
    shared = ROOT.parent / "shared" / "source" / "essay.txt"
    if not shared.exists():
        pytest.skip("no ../shared/source beside this checkout")
    assert ESSAY.read_bytes() == shared.read_bytes()


def test_one_changed_word_is_reported(tmp_path: Path, nav_pages: list[str]) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "ukraine.md"
    page.write_text(page.read_text(encoding="utf-8").replace("red line", "blue line"), encoding="utf-8")
    result = build(tmp_path / "site", project=project)
    assert result.returncode == 0, result.stderr
    text = site_text(tmp_path / "site", _built_pages(nav_pages))
    missing = find_missing(essay_sentences(ESSAY.read_text(encoding="utf-8")), text)
    assert [m.sentence for m in missing] == [
        "For Russia, NATO’s involvement in Ukraine is a red line, as it could lead to "
        "NATO-aligned military infrastructure at its western doorstep."
    ]
    assert "blue line" in missing[0].nearest


@pytest.mark.parametrize(
    ("sentences", "text", "expected"),
    [
        (["A b.", "C d."], "x A b. y C d.", []),
        (["A b.", "C d."], "C d. A b.", ["C d."]),
        (["A b."], "A c.", ["A b."]),
    ],
)
def test_find_missing_table(sentences: list[str], text: str, expected: list[str]) -> None:
    assert [m.sentence for m in find_missing(sentences, text)] == expected
