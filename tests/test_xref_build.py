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
  accTitle: Two steps
  accDescr: A leads to B
  A --> B
  click A "conclusion.md#nope" "tip"
  click B "eurasia.md#eurasia"
```

[r]: militry.md
"""
# Published entries that the copy no longer has: a page, an anchor, and a page redirected to one without it.
APPENDED_TO_LOCK = "ukraine-2023.md\nukraine-2023.md#p1\nmoved.md\nmoved.md#withdrawn\nconclusion.md#withdrawn\n"
REDIRECTS = "  - redirects:\n      redirect_maps:\n        moved.md: eurasia.md\n        old.md: ukrain.md\n"

# {i} is the first line of APPENDED_TO_INDEX in the copy; the other places are looked up in the copy too.
EXPECTED = [
    "docs/index.md:{i}: missing page: 'expanson.md' — did you mean 'expansion.md'?",
    "docs/index.md:{i}: missing anchor: 'ukraine.md#p9' — docs/ukraine.md has no id 'p9'; add { #p9 } there",
    "docs/index.md:{i}: missing anchor: '#gide' — did you mean '#guide'?",
    "docs/index.md:{i+2}: not built: 'eurasia.md#p1' — MkDocs rewrites .md links only in Markdown;"
    " write a Markdown link: [text](eurasia.md)",
    "docs/index.md:{i+4}: not in nav: 'hidden.md' — add hidden.md to nav in mkdocs.yml,"
    " or to not_in_nav if only links should reach it",
    "docs/index.md:{i+7}: duplicate id: '#p1' — also defined at line {p1}; ids must be unique on a page, so rename one",
    "docs/index.md:{i+14}: missing anchor: 'conclusion.md#nope' — docs/conclusion.md has no id 'nope';"
    " add { #nope } there",
    "docs/index.md:{i+18}: missing page: 'militry.md' — did you mean 'military.md'?",
    "docs/expansion.md:{expansion}: missing anchor: 'military.md#nope' — docs/military.md has no id 'nope';"
    " add { #nope } there",
    "docs/lonely.md:1: orphan page: 'lonely.md' — nothing links to it; add it to nav in mkdocs.yml or link to it",
    "docs/ukraine.md:1: missing page: 'zzz.html' — no such page or file is built; fix the URL or remove the link",
    "permalinks.lock:{ukraine-2023.md}: removed locked page: 'ukraine-2023.md' — restore docs/ukraine-2023.md"
    " or redirect it in mkdocs.yml redirect_maps: 'ukraine-2023.md': 'ukraine.md'; locked anchors on it: 1",
    "permalinks.lock:{moved.md#withdrawn}: removed locked anchor: 'moved.md#withdrawn' — it redirects to eurasia.md,"
    " which has no id 'withdrawn'; add an alias <a id=\"withdrawn\"></a> there",
    "permalinks.lock:{conclusion.md#withdrawn}: removed locked anchor: 'conclusion.md#withdrawn'"
    ' — restore { #withdrawn } or keep an alias <a id="withdrawn"></a> where its text now is',
    "mkdocs.yml:{old.md}: missing page: 'ukrain.md' — did you mean 'ukraine.md'?",
]


def break_copy(project: Path, *, directory_urls: bool) -> dict[str, int]:
    """One broken reference of each kind and source, in a copy of the project; returns where they are."""
    docs = project / "docs"
    index, expansion = docs / "index.md", docs / "expansion.md"
    index_lines = index.read_text("utf-8").splitlines()
    where = {"i": len(index_lines) + 2, "p1": index_lines.index("{ #p1 }") + 1}
    where["expansion"] = 3 + len(expansion.read_text("utf-8").splitlines()) + 2
    index.write_text(index.read_text("utf-8") + APPENDED_TO_INDEX, "utf-8")
    expansion.write_text("---\ntitle: Expansion\n---\n" + expansion.read_text("utf-8") + "\n[x](military.md#nope)\n")
    (docs / "hidden.md").write_text("# Hidden\n\nText.\n", "utf-8")
    (docs / "lonely.md").write_text("# Lonely\n\nText.\n", "utf-8")
    lock = project / "permalinks.lock"
    lock.write_text(lock.read_text("utf-8") + APPENDED_TO_LOCK, "utf-8")
    lock_lines = lock.read_text("utf-8").splitlines()
    for entry in ("ukraine-2023.md", "moved.md#withdrawn", "conclusion.md#withdrawn"):
        where[entry] = lock_lines.index(entry) + 1
    config = project / "mkdocs.yml"
    text = re.sub(r"(?m)^use_directory_urls:.*\n", "", config.read_text("utf-8"))
    text += f"use_directory_urls: {str(directory_urls).lower()}\n"
    text = text.replace("\nplugins:\n", "\nplugins:\n" + REDIRECTS, 1)
    config.write_text(text, "utf-8")
    where["old.md"] = next(n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith("old.md:"))
    main = project / "overrides" / "main.html"
    link = '{% if page and page.file.src_uri == "ukraine.md" %}<a href="zzz.html">Z</a>{% endif %}'
    main.write_text(main.read_text("utf-8") + "{% block footer %}{{ super() }}" + link + "{% endblock %}\n")
    return where


def expected_lines(where: dict[str, int]) -> list[str]:
    def place(match: re.Match[str]) -> str:
        key, _, offset = match.group(1).partition("+")
        return str(where[key] + int(offset or 0))

    return [re.sub(r"\{([\w.#-]+(?:\+\d+)?)\}(?=[:;])", place, line) for line in EXPECTED]


def xref_warnings(stderr: str) -> list[str]:
    return [line.removeprefix("WARNING -  ") for line in stderr.splitlines() if re.match(r"WARNING -  \S+:\d+: ", line)]


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "flat-urls"])
def test_broken_copy_fails_and_lists_every_problem(tmp_path: Path, directory_urls: bool) -> None:
    project = copy_project(tmp_path / "project")
    where = break_copy(project, directory_urls=directory_urls)
    result = build(tmp_path / "site", project=project)
    assert result.returncode != 0
    assert sorted(xref_warnings(result.stderr)) == sorted(expected_lines(where)), result.stderr


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
    unchanged = len(list((project / "docs").rglob("*.md"))) - 1
    assert [(r.levelname, r.getMessage()) for r in records] == [
        ("INFO", f"cross-references not checked: {unchanged} pages were not rendered in this (dirty) build")
    ]
