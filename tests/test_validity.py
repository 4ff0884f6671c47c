"""The Nu Html Checker (vnu-jar, pinned in tests/tools) finds no error in any page or downloadable diagram,
in the hosted build and in the offline zip."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests import checkers

if TYPE_CHECKING:
    from pathlib import Path

BUILDS = ("site_dir", "offline_dir")


@pytest.fixture(scope="module", autouse=True)
def _tools() -> None:
    if (why := checkers.missing_tools("java", "vnu")) is not None:
        pytest.fail(why)


@pytest.mark.parametrize("build", BUILDS)
def test_every_page_is_valid_html(build: str, request: pytest.FixtureRequest) -> None:
    root: Path = request.getfixturevalue(build)
    pages = sorted(root.rglob("*.html"))
    assert len(pages) >= 10, f"only {len(pages)} pages in {root}"
    findings = checkers.vnu(pages, root=root)
    assert not findings, f"{len(findings)} errors in {build}:\n" + "\n".join(map(str, findings))


@pytest.mark.parametrize("build", BUILDS)
def test_every_downloadable_diagram_is_valid_svg(build: str, request: pytest.FixtureRequest) -> None:
    root: Path = request.getfixturevalue(build)
    drawings = sorted((root / "assets" / "diagrams").glob("*.svg"))
    assert drawings, f"no downloadable diagram in {root}"
    findings = checkers.vnu(drawings, root=root, svg=True)
    assert not findings, f"{len(findings)} errors in {build}:\n" + "\n".join(map(str, findings))


BROKEN = [
    pytest.param(
        "<!doctype html><html lang=en><title>t</title><input type=checkbox autocomplete=off>",
        False,
        "autocomplete",
        id="Material's checkbox markup",
    ),
    pytest.param(
        '<svg xmlns="http://www.w3.org/2000/svg"><g title="tip"><text>a</text></g></svg>',
        True,
        "title",
        id="Mermaid's tooltip attribute",
    ),
]


@pytest.mark.parametrize(("text", "svg", "word"), BROKEN)
def test_the_checker_reports_what_the_site_used_to_have(tmp_path: Path, text: str, svg: bool, word: str) -> None:
    """The checker, as run here, does see the errors the site had (so a clean run means something)."""
    bad = tmp_path / ("bad.svg" if svg else "bad.html")
    bad.write_text(text, "utf-8")
    (finding,) = checkers.vnu([bad], root=tmp_path, svg=svg)
    assert finding.file == bad.name
    assert finding.line == 1
    assert word in finding.message
