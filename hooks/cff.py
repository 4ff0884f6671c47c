"""Temporary: reads CITATION.cff through citation_record (replaced by the schema-checked reader on branch cff)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import citation_record as record
import yaml
from problems import Problem

if TYPE_CHECKING:
    from pathlib import Path


def read(text: str, *, site_url: str | None, file: str = "CITATION.cff") -> tuple[record.Work | None, list[Problem]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return None, [Problem(file, 1, f"citation: {error}")]
    lines = record.check(data, site_url)
    problems = [Problem(file, 1, line.split(": ", 1)[1]) for line in lines]
    return (None if problems else record.load(data)), problems


def load_file(path: Path, *, site_url: str | None) -> tuple[record.Work | None, list[Problem]]:
    return read(path.read_text("utf-8"), site_url=site_url, file=path.name)
