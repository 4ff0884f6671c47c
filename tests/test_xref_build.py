"""hooks/xref.py in real builds: a broken copy of the docs fails with every problem listed, the real site is clean."""

from __future__ import annotations

import contextlib
import logging
import re
from typing import TYPE_CHECKING

import pytest

from tests.sitebuild import ROOT, build, copy_project

if TYPE_CHECKING:
    from pathlib import Path

XREF_LOGGER = "mkdocs.hooks.xref"

APPENDED_TO_INDEX = """
[bad page](expanson.md) and [bad anchor](ukraine.md#p9) and [same page](#gide).

A [reference link][r] and <a href="eurasia.md#p1">raw HTML to a .md file</a>.

[A page outside the nav](hidden.md)

Duplicate.
{ #p1 }

```mermaid
flowchart LR
  A --> B
  click A "conclusion.md#nope" "tip"
  click B "eurasia.md#eurasia"
```

[r]: militry.md
"""

# Lines of the index copy above start at 22 (the real index.md has 20 lines, then a blank one).
EXPECTED = [
    "docs/index.md:22: missing page: 'expanson.md' — did you mean 'expansion.md'?",
    "docs/index.md:22: missing anchor: 'ukraine.md#p9' — docs/ukraine.md has no id 'p9'; add { #p9 } there",
    "docs/index.md:22: missing anchor: '#gide' — did you mean '#guide'?",
    "docs/index.md:24: not built: 'eurasia.md#p1' — MkDocs rewrites .md links only in Markdown;"
    " write a Markdown link: [text](eurasia.md)",
    "docs/index.md:26: not in nav: 'hidden.md' — add hidden.md to nav in mkdocs.yml,"
    " or to not_in_nav if only links should reach it",
    "docs/index.md:29: duplicate id: '#p1' — also defined at line 7; ids must be unique on a page, so rename one",
    "docs/index.md:34: missing anchor: 'conclusion.md#nope' — docs/conclusion.md has no id 'nope'; add { #nope } there",
    "docs/index.md:38: missing page: 'militry.md' — did you mean 'military.md'?",
    "docs/expansion.md:9: missing anchor: 'military.md#nope' — docs/military.md has no id 'nope'; add { #nope } there",
    "docs/lonely.md:1: orphan page: 'lonely.md' — nothing links to it; add it to nav in mkdocs.yml or link to it",
    "docs/ukraine.md:1: missing page: 'changelog.html' — no such page or file is built; fix the URL or remove the link",
    "permalinks.lock:{confrontation}: removed locked page: 'confrontation.md' — restore docs/confrontation.md"
    " or redirect it in mkdocs.yml redirect_maps: 'confrontation.md': 'conclusion.md'; locked anchors on it: 2",
    "permalinks.lock:{cyber}: removed locked anchor: 'cyber.md#cyber' — it redirects to eurasia.md,"
    " which has no id 'cyber'; add an alias <a id=\"cyber\"></a> there",
    "permalinks.lock:{conclusion}: removed locked anchor: 'conclusion.md#p1' — restore { #p1 }"
    ' or keep an alias <a id="p1"></a> where its text now is',
    "mkdocs.yml:{redirect}: missing page: 'gone.md' — did you mean 'lonely.md'?",
]


def break_copy(project: Path, *, directory_urls: bool) -> None:
    """One broken reference of each kind and source, in a copy of the project."""
    docs = project / "docs"
    index = docs / "index.md"
    assert index.read_text("utf-8").count("\n") == 20, "EXPECTED's line numbers assume the 20-line index.md"
    index.write_text(index.read_text("utf-8") + APPENDED_TO_INDEX, "utf-8")
    (docs / "hidden.md").write_text("# Hidden\n\nText.\n", "utf-8")
    (docs / "lonely.md").write_text("# Lonely\n\nText.\n", "utf-8")
    expansion = docs / "expansion.md"
    expansion.write_text("---\ntitle: Expansion\n---\n" + expansion.read_text("utf-8") + "\n[x](military.md#nope)\n")
    conclusion = docs / "conclusion.md"
    conclusion.write_text(conclusion.read_text("utf-8").replace("{ #p1 }", "{ #p2 }"), "utf-8")
    (docs / "confrontation.md").unlink()
    (docs / "cyber.md").unlink()
    # The guide on the index links to the two removed pages: point it elsewhere, so only the lock reports them.
    index.write_text(
        index.read_text("utf-8")
        .replace("(confrontation.md#confrontation)", "(conclusion.md#conclusion)")
        .replace("(cyber.md#cyber)", "(eurasia.md#eurasia)"),
        "utf-8",
    )
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8").replace("  - confrontation.md\n", "").replace("  - cyber.md\n", "")
    text = re.sub(r"(?m)^use_directory_urls:.*\n", "", text)
    text += f"use_directory_urls: {str(directory_urls).lower()}\n"
    redirects = "  - redirects:\n      redirect_maps:\n        cyber.md: eurasia.md\n        old.md: gone.md\n"
    text = text.replace("\nplugins:\n", "\nplugins:\n" + redirects, 1)
    config.write_text(text, "utf-8")
    main = project / "overrides" / "main.html"
    link = '{% if page and page.file.src_uri == "ukraine.md" %}<a href="changelog.html">Changes</a>{% endif %}'
    main.write_text(main.read_text("utf-8") + "{% block footer %}{{ super() }}" + link + "{% endblock %}\n")


def expected_lines(project: Path) -> list[str]:
    lock = (project / "permalinks.lock").read_text("utf-8").splitlines()
    config = (project / "mkdocs.yml").read_text("utf-8").splitlines()
    where = {
        "confrontation": lock.index("confrontation.md") + 1,
        "cyber": lock.index("cyber.md#cyber") + 1,
        "conclusion": lock.index("conclusion.md#p1") + 1,
        "redirect": next(n for n, line in enumerate(config, 1) if line.strip().startswith("old.md:")),
    }
    lines = EXPECTED
    for key, number in where.items():
        lines = [line.replace("{" + key + "}", str(number)) for line in lines]
    return lines


def xref_warnings(stderr: str) -> list[str]:
    return [line.removeprefix("WARNING -  ") for line in stderr.splitlines() if re.match(r"WARNING -  \S+:\d+: ", line)]


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "flat-urls"])
def test_broken_copy_fails_and_lists_every_problem(tmp_path: Path, directory_urls: bool) -> None:
    project = copy_project(tmp_path / "project")
    break_copy(project, directory_urls=directory_urls)
    result = build(tmp_path / "site", project=project)
    assert result.returncode != 0
    assert sorted(xref_warnings(result.stderr)) == sorted(expected_lines(project)), result.stderr


def _build_in_process(
    project: Path, site: Path, caplog: pytest.LogCaptureFixture, *, dirty: bool = False, **overrides: object
) -> list[logging.LogRecord]:
    """Build like `mkdocs build --strict` does, in this process, and return what the xref hook logged."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    caplog.clear()
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=True, **overrides)
    with contextlib.suppress(Abort):  # strict mode aborts after the warnings, which the test reads
        mkdocs_build(config, dirty=dirty)
    return [r for r in caplog.records if r.name == XREF_LOGGER]


@pytest.fixture
def mkdocs_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    assert logging.getLogger("mkdocs").propagate, "caplog sees the mkdocs logger through propagation"
    caplog.set_level(logging.INFO, logger="mkdocs")
    return caplog


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "flat-urls"])
def test_real_site_has_no_findings_and_a_complete_lock(
    tmp_path: Path, mkdocs_logs: pytest.LogCaptureFixture, directory_urls: bool
) -> None:
    records = _build_in_process(ROOT, tmp_path / "site", mkdocs_logs, use_directory_urls=directory_urls)
    assert [r.getMessage() for r in records] == []
    assert (tmp_path / "site" / "index.html").is_file()


def test_state_is_reset_between_builds_in_one_process(tmp_path: Path, mkdocs_logs: pytest.LogCaptureFixture) -> None:
    # The same config path loads the same hook module, as `mkdocs serve` does on every rebuild.
    project = copy_project(tmp_path / "project")
    lonely = project / "docs" / "lonely.md"
    lonely.write_text("# Lonely\n\nText.\n", "utf-8")
    first = _build_in_process(project, tmp_path / "site", mkdocs_logs)
    assert "docs/lonely.md:1: orphan page: 'lonely.md'" in "\n".join(r.getMessage() for r in first)
    lonely.unlink()
    second = _build_in_process(project, tmp_path / "site", mkdocs_logs)
    assert [r.getMessage() for r in second] == []


def test_make_lock_adds_new_anchors_only(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    lock = project / "permalinks.lock"
    before = lock.read_text("utf-8")
    ukraine = project / "docs" / "ukraine.md"
    ukraine.write_text(ukraine.read_text("utf-8") + "\nAn added paragraph.\n{ #p2 }\n", "utf-8")
    result = build(tmp_path / "site", project=project, env={"XREF_LOCK": "update"})
    assert result.returncode == 0, result.stderr
    after = lock.read_text("utf-8")
    assert set(after.splitlines()) - set(before.splitlines()) == {"ukraine.md#p2"}
    assert set(before.splitlines()) <= set(after.splitlines())


def test_a_dirty_rebuild_is_skipped_not_misreported(tmp_path: Path, mkdocs_logs: pytest.LogCaptureFixture) -> None:
    project = copy_project(tmp_path / "project")
    assert _build_in_process(project, tmp_path / "site", mkdocs_logs) == []
    ukraine = project / "docs" / "ukraine.md"
    ukraine.write_text(ukraine.read_text("utf-8") + "\nSee [the start](index.md#introduction).\n", "utf-8")
    records = _build_in_process(project, tmp_path / "site", mkdocs_logs, dirty=True)
    assert [(r.levelname, r.getMessage()) for r in records] == [
        ("INFO", "cross-references not checked: 7 pages were not rendered in this (dirty) build")
    ]
