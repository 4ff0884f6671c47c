"""The change log (docs/changelog.md): one `## <version> (<date>)` heading per release, newest first.

Its newest entry must be the release CITATION.cff describes, so that the version a reader cites is the one
the log explains.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from problems import Problem

if TYPE_CHECKING:
    from citation_record import Work

FILE = "changelog.md"  # docs-relative: the page that lists every release


def changelog_problems(doc: str, source: str, body_start: int, work: Work) -> list[Problem]:
    """The newest entry (the first `## ` heading after the front matter) must be `## <version> (<date>)`."""
    expected = f"## {work.version} ({work.released.isoformat()})"
    lines = source.splitlines()
    for number, line in enumerate(lines[body_start:], start=body_start + 1):
        if line.startswith("## "):
            heading = line.split("{")[0].strip()
            if heading == expected:
                return []
            hint = f"add '{expected}' above it (CITATION.cff gives version and date-released)"
            return [Problem(doc, number, f"changelog: newest entry {heading!r} is not this release", hint)]
    return [Problem(doc, 1, "changelog: no '## <version> (<date>)' entry", f"add '{expected}'")]
