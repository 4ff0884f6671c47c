"""What every hook reports: one line per problem, `file:line[:column]: what is wrong — what to do`.

Hooks report through `Report.add`, which logs the line as a warning (so `mkdocs build --strict` counts it) and
keeps it. MkDocs 1.6 drops warnings under `--quiet` before strict mode counts them; `Report.enforce` fails
such a build itself, with every line in the error, so strict means strict whatever the log level.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from mkdocs.exceptions import PluginError


@dataclass(frozen=True, order=True)
class Problem:
    file: str  # as the author finds it: "docs/ukraine.md", "mkdocs.yml", "CITATION.cff", "permalinks.lock"
    line: int  # 1-based; 1 when the problem belongs to the whole file
    message: str  # what is wrong, starting with its kind: "missing anchor: 'ukraine.md#p9'"
    hint: str = ""  # what to do about it
    column: int = 0  # 1-based; 0 when the line says enough
    level: str = "warning"  # "info" for notes that never fail a build

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")
        return f"{place}: {self.message}" + (f" — {self.hint}" if self.hint else "")


@dataclass
class Report:
    """The problems of one build, in the order they were found."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem, log: logging.Logger) -> None:
        self.problems.append(problem)
        (log.warning if problem.level == "warning" else log.info)(str(problem))

    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    def enforce(self, *, strict: bool) -> None:
        """Under --strict, fail the build when warnings were found but MkDocs' logger let none through (--quiet)."""
        warnings = self.warnings()
        if not strict or not warnings or logging.getLogger("mkdocs").isEnabledFor(logging.WARNING):
            return
        lines = "\n".join(str(p) for p in warnings)
        raise PluginError(f"{len(warnings)} problems in strict mode:\n{lines}")
