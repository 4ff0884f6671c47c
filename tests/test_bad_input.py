"""What an author gets for each mistake: one line, `file:line: problem — hint`, and a failed strict build.

Each case breaks a copy of the project in one way and builds it as `mkdocs build --strict` does. The expected
line is computed from where the mistake was put, so the table says what is reported, not a copied number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from tests.sitebuild import build, copy_project

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


@dataclass(frozen=True)
class Mistake:
    make: Callable[[Path], str]  # breaks the copy; returns the line that must be reported
    # The problem's text must appear once; these other texts must not appear at all.
    never: tuple[str, ...] = ()


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


def invalid_front_matter(project: Path) -> str:
    page = project / "docs" / "ukraine.md"
    page.write_text("---\ntitle: [unclosed\n---\n" + page.read_text("utf-8"), "utf-8")
    return "docs/ukraine.md:3:1: front matter: the '[' opened on line 2 is not closed — close it"


def citation_not_a_boolean(project: Path) -> str:
    page = project / "docs" / "how-to-cite.md"
    page.write_text(page.read_text("utf-8").replace("citation: false", "citation: no thanks", 1), "utf-8")
    return "docs/how-to-cite.md:2: front matter: citation is 'no thanks', not true or false"


def lock_deleted(project: Path) -> str:
    (project / "permalinks.lock").unlink()
    return "permalinks.lock:1: published anchors: the lock file is missing — restore it"


def nav_names_a_missing_page(project: Path) -> str:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - ukraine.md\n", "  - ukraine.md\n  - ukrane.md\n", 1))
    line = _line_of(config, "- ukrane.md")
    return f"mkdocs.yml:{line}: nav: 'ukrane.md' is not a page under docs/ — did you mean 'ukraine.md'?"


MISTAKES = {
    "invalid YAML front matter": Mistake(invalid_front_matter),
    "front matter citation that is not true or false": Mistake(citation_not_a_boolean),
    "permalinks.lock deleted": Mistake(lock_deleted, never=("unlocked anchor",)),
    # MkDocs' own nav warning has no line, and each page's navigation would repeat the broken link.
    "a nav entry naming a missing page": Mistake(
        nav_names_a_missing_page, never=("WARNING -  A reference to 'ukrane.md'",)
    ),
}


def _reported(stderr: str) -> list[str]:
    """The warnings and errors of a build's output, without their level."""
    return [re.sub(r"^(WARNING|ERROR) +-  ", "", line) for line in stderr.splitlines() if not line.startswith("INFO")]


@pytest.mark.parametrize("name", list(MISTAKES))
def test_each_mistake_is_one_clear_line_and_fails_the_strict_build(tmp_path: Path, name: str) -> None:
    mistake = MISTAKES[name]
    project = copy_project(tmp_path / "project")
    expected = mistake.make(project)
    result = build(tmp_path / "site", project=project)
    assert result.returncode != 0, result.stderr
    lines = _reported(result.stderr)
    matching = [line for line in lines if line.startswith(expected)]
    assert len(matching) == 1, f"expected once: {expected!r}\n{result.stderr}"
    for text in mistake.never:
        assert text not in result.stderr, result.stderr
    if "nav" in name:
        assert not [line for line in lines if "ukrane" in line and line not in matching], result.stderr


def test_strict_fails_under_quiet_with_every_problem_on_stderr(tmp_path: Path) -> None:
    """MkDocs 1.6 drops warnings under --quiet before strict mode counts them; the hooks count their own."""
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "conclusion.md"
    page.write_text(page.read_text("utf-8") + "\n[A broken link](ukrane.md#p1)\n", "utf-8")
    line = _line_of(page, "[A broken link]")
    invalid_front_matter(project)
    result = build(tmp_path / "site", project=project, extra_args=["--quiet"])
    assert result.returncode != 0
    assert f"docs/conclusion.md:{line}: missing page: 'ukrane.md#p1'" in result.stderr
    assert "docs/ukraine.md:3:1: front matter:" in result.stderr
    assert "problems in strict mode" in result.stderr


def test_quiet_without_strict_still_builds(tmp_path: Path) -> None:
    """--no-strict is the author's choice to publish despite warnings; --quiet must not change that."""
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "conclusion.md"
    page.write_text(page.read_text("utf-8") + "\n[A broken link](ukrane.md#p1)\n", "utf-8")
    result = build(tmp_path / "site", project=project, strict=False, extra_args=["--quiet", "--no-strict"])
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "conclusion" / "index.html").is_file()
