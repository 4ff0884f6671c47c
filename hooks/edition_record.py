"""Editions as the publish tree records them: one versions.json, and an edition.json in every edition.

A pure core: no MkDocs here. The publish tree (the gh-pages branch) holds the current edition at its root and
each release's frozen copy under v/<version>/. Two files describe it:

- `versions.json`, at the root, maintained by scripts/publish.py: every edition, newest first, with its date,
  folder, pages (source path -> path in the edition), retired pages (source path -> their replacement), the
  change log's path and the files published with it. The edition menu and the banner of older editions read
  it in the browser; a build reads it (PUBLISHED=<dir>) to know which editions came before it.
- `edition.json`, written by every hosted build at the root of its output (hooks/editions.py): the same record
  for that build's edition, plus the essay's text of each page, paragraph by paragraph, from which the next
  edition computes what changed. scripts/publish.py turns it into the edition's entry in versions.json.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from problems import Problem
from site_model import EDITIONS_DIR, Download, Edition

if TYPE_CHECKING:
    from pathlib import Path

VERSIONS = "versions.json"
RECORD = "edition.json"
# One paragraph of a page's essay text: its id (the ¶ anchor, "p1"; "title" for the page's heading) and text.
Paragraph = tuple[str, str]


def to_json(edition: Edition) -> dict[str, Any]:
    return {
        "version": edition.version,
        "date": edition.released,
        "path": edition.path,
        "pages": dict(sorted(edition.pages.items())),
        "moved": dict(sorted(edition.moved.items())),
        "changelog": edition.changelog,
        "downloads": [{"label": d.label, "file": d.file, "type": d.media_type} for d in edition.downloads],
    }


def from_json(data: Any) -> Edition:
    """An edition from its entry in versions.json or edition.json; ValueError says what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("an edition is not a mapping")
    try:
        edition = Edition(
            version=_text(data["version"], "version"),
            released=_text(data["date"], "date"),
            pages=_paths(data.get("pages", {}), "pages"),
            moved=_paths(data.get("moved", {}), "moved"),
            changelog=_text(data.get("changelog", ""), "changelog"),
            downloads=tuple(
                Download(_text(d["label"], "label"), _text(d["file"], "file"), _text(d["type"], "type"))
                for d in data.get("downloads", [])
            ),
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"an edition lacks {error}") from None
    if data.get("path", edition.path) != edition.path:
        raise ValueError(f"edition {edition.version} has path {data['path']!r}, not {edition.path!r}")
    return edition


def versions_json(editions: list[Edition]) -> str:
    """versions.json for `editions` (oldest first): the newest first, as version menus list them."""
    newest_first = list(reversed(editions))
    data = {
        "latest": newest_first[0].version if newest_first else None,
        "editions": [to_json(edition) for edition in newest_first],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def read_versions(text: str, file: str = VERSIONS) -> tuple[list[Edition], list[Problem]]:
    """The editions versions.json lists, oldest first, and what is wrong with it (one problem per edition)."""
    hint = "versions.json is written by `make publish`; restore it from the publish branch (gh-pages)"
    try:
        data = json.loads(text)
    except ValueError as error:
        return [], [Problem(file, getattr(error, "lineno", 1), f"editions: not JSON ({error})", hint)]
    if not isinstance(data, dict) or not isinstance(data.get("editions"), list):
        return [], [Problem(file, 1, "editions: no 'editions' list", hint)]
    editions: list[Edition] = []
    problems = []
    for entry in reversed(data["editions"]):
        try:
            editions.append(from_json(entry))
        except ValueError as error:
            problems.append(Problem(file, 1, f"editions: {error}", hint))
    return editions, problems


def load_published(folder: Path) -> tuple[list[Edition], list[Problem]]:
    """The editions of the publish tree copied to `folder` (its versions.json; none when it has none)."""
    if not folder.is_dir():
        hint = "PUBLISHED names the folder that holds the publish tree's versions.json (scripts/publish.py sets it)"
        return [], [Problem("mkdocs.yml", 1, f"editions: PUBLISHED={folder} is not a folder", hint)]
    path = folder / VERSIONS
    return read_versions(path.read_text("utf-8"), str(path)) if path.is_file() else ([], [])


def published_before(editions: list[Edition], version: str) -> list[Edition]:
    """The editions published before `version`: all of them for a new release; those older for a republished one."""
    for index, edition in enumerate(editions):
        if edition.version == version:
            return editions[:index]
    return list(editions)


def with_edition(editions: list[Edition], new: Edition) -> list[Edition]:
    """`editions` (oldest first) with `new` in its place: replacing the entry of its version, or last."""
    if any(edition.version == new.version for edition in editions):
        return [new if edition.version == new.version else edition for edition in editions]
    return [*editions, new]


def record_json(edition: Edition, text: dict[str, list[Paragraph]]) -> str:
    """edition.json: the edition's entry, and each page's essay text for the edition that follows it."""
    data = to_json(edition)
    data["text"] = {src: [list(p) for p in paragraphs] for src, paragraphs in sorted(text.items())}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def read_text(folder: Path, edition: Edition) -> tuple[dict[str, list[Paragraph]], list[Problem]]:
    """Each page's essay text in `edition`, from its edition.json under `folder` (a copy of the publish tree)."""
    path = folder / EDITIONS_DIR / edition.version / RECORD
    hint = "every edition's folder keeps the edition.json its build wrote; restore it from the publish branch"
    if not path.is_file():
        return {}, [Problem(str(path), 1, f"editions: edition {edition.version} has no {RECORD}", hint)]
    try:
        data = json.loads(path.read_text("utf-8"))
        text = {src: [(str(i), str(t)) for i, t in paragraphs] for src, paragraphs in data["text"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        return {}, [Problem(str(path), 1, f"editions: cannot read the essay's text ({error!r})", hint)]
    return text, []


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} is {value!r}, not text")
    return value


def _paths(value: Any, name: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError(f"{name} is not a mapping")
    return {_text(k, name): _text(v, name) for k, v in value.items()}
