"""Two clean builds of the same sources with the same SOURCE_DATE_EPOCH are byte-identical."""

from __future__ import annotations

import filecmp
import gzip
import shutil
from typing import TYPE_CHECKING

from tests.sitebuild import ROOT, build, copy_project

if TYPE_CHECKING:
    from pathlib import Path

EPOCH = "1700000000"  # 2023-11-14T22:13:20Z


def differing_files(a: Path, b: Path) -> list[str]:
    """Every path, relative to the two roots, that is missing from one of them or differs in any byte."""
    names = {p.relative_to(a) for p in a.rglob("*") if p.is_file()} | {
        p.relative_to(b) for p in b.rglob("*") if p.is_file()
    }
    return sorted(
        str(name)
        for name in names
        if not ((a / name).is_file() and (b / name).is_file() and filecmp.cmp(a / name, b / name, shallow=False))
    )


def test_differing_files_names_every_difference(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for root in (a, b):
        (root / "sub").mkdir(parents=True)
        (root / "same.txt").write_bytes(b"x")
    (a / "sub" / "changed.txt").write_bytes(b"1")
    (b / "sub" / "changed.txt").write_bytes(b"2")
    (a / "only-a.txt").write_bytes(b"")
    assert differing_files(a, b) == ["only-a.txt", "sub/changed.txt"]


def test_two_builds_with_the_same_source_date_epoch_are_identical(tmp_path: Path) -> None:
    # The real project and a copy elsewhere, so no absolute path can leak into the output. The copy takes the
    # build cache along (results keyed by a hash of their input, which must not change the output either),
    # because a cold diagram validation would cost this test most of a minute.
    copy = copy_project(tmp_path / "copy")
    if (ROOT / ".cache").is_dir() and not (copy / ".cache").exists():
        shutil.copytree(ROOT / ".cache", copy / ".cache")
    outputs = []
    for name, project in (("one", ROOT), ("two", copy)):
        out = tmp_path / name / "site"
        result = build(out, project=project, env={"SOURCE_DATE_EPOCH": EPOCH})
        assert result.returncode == 0, result.stderr
        outputs.append(out)
    files = [p for p in outputs[0].rglob("*") if p.is_file()]
    assert any(p.name == "sitemap.xml.gz" for p in files)
    assert differing_files(*outputs) == [], "files differ between two builds"
    # The sitemap's gzip header and dates come from SOURCE_DATE_EPOCH, not the clock.
    raw = (outputs[0] / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(raw[4:8], "little") == int(EPOCH) // 86400 * 86400
    assert "<lastmod>2023-11-14</lastmod>" in gzip.decompress(raw).decode("utf-8")
