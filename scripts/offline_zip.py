"""Build the offline variant of the site and pack it into dist/<name>-<version>-offline.zip.

    python scripts/offline_zip.py                      (what `make offline` runs)
    python scripts/offline_zip.py --dist DIR --site-dir DIR

The build is `OFFLINE=true mkdocs build --strict`: the same mkdocs.yml, with Material's offline plugin on.
Name and version come from CITATION.cff, the project's single source of version data, read by hooks/cff.py
like every build reads it: the script stops with the file's problems, one line each. The zip is
deterministic: entries sorted, every timestamp SOURCE_DATE_EPOCH (or 1980-01-01, the earliest a zip can
hold), fixed permissions; so one source tree gives one byte-identical zip. Its entries sit under one folder,
<name>-<version>/, so unpacking never scatters files and the reader opens <name>-<version>/index.html.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
# hooks/cff.py is CITATION.cff's one reader; hook helpers import each other by bare name, as MkDocs loads them.
sys.path.insert(0, str(ROOT / "hooks"))
import cff  # noqa: E402
import site_model  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Mapping

    from citation_record import Work

ZIP_EPOCH_MIN = 315532800  # 1980-01-01T00:00:00Z: a zip cannot store an earlier date
# A host serves 404.html at any missing path, so MkDocs writes its links root-absolute (/assets/…);
# from disk they would point at the file system's root. Nothing opens it offline, so it stays out.
OMIT = frozenset({"404.html"})


def read_work(path: Path) -> Work:
    """The Work CITATION.cff describes; exits with every problem line of the file when it has any."""
    # No site_url: the offline build that follows compares it with url, as every build does.
    work, problems = cff.load_file(path, site_url=None)
    if work is None or problems:
        sys.exit("\n".join(str(problem) for problem in problems))
    return work


def folder_name(work: Work) -> str:
    """`nato-russia-tensions-1.0.0`: the folder inside the zip, and the zip's name before `-offline.zip`."""
    return site_model.release_name(work)


def zip_name(work: Work) -> str:
    # The site model names it: each edition links the zip published in its folder by this name.
    return site_model.offline_zip_name(work)


def zip_timestamp(environ: Mapping[str, str] | None = None) -> tuple[int, int, int, int, int, int]:
    """SOURCE_DATE_EPOCH as a zip date (UTC), clamped to the earliest date a zip can hold."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "")
    epoch = max(int(value), ZIP_EPOCH_MIN) if value.strip() else ZIP_EPOCH_MIN
    return time.gmtime(epoch)[:6]


def pack(site: Path, dest: Path, folder: str, date_time: tuple[int, int, int, int, int, int]) -> list[str]:
    """Write every file under `site` into the zip `dest`, below `folder/`; returns the entry names."""
    files = sorted(
        (p for p in site.rglob("*") if p.is_file() and p.relative_to(site).as_posix() not in OMIT),
        key=lambda p: p.relative_to(site).as_posix(),
    )
    names = []
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{folder}/{path.relative_to(site).as_posix()}", date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permissions below apply everywhere
            info.external_attr = (0o100644 & 0xFFFF) << 16
            archive.writestr(info, path.read_bytes(), compresslevel=9)
            names.append(info.filename)
    return names


def build_offline(site: Path, project: Path = ROOT) -> None:
    """`OFFLINE=true mkdocs build --strict` into `site`; exits with mkdocs' output when the build fails."""
    env = {**os.environ, "OFFLINE": "true", "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml")]
    result = subprocess.run([*cmd, "-d", str(site)], cwd=project, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"offline build failed:\n{result.stdout}{result.stderr}")


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the zip goes (default: dist/)")
    parser.add_argument(
        "--site-dir", type=Path, default=ROOT / "dist" / "offline-site", help="where the offline site is built"
    )
    args = parser.parse_args(argv)
    work = read_work(ROOT / "CITATION.cff")
    build_offline(args.site_dir.resolve())
    dest = args.dist.resolve() / zip_name(work)
    entries = pack(args.site_dir.resolve(), dest, folder_name(work), zip_timestamp())
    print(f"{dest}: {len(entries)} files, {dest.stat().st_size} bytes")
    return dest


if __name__ == "__main__":
    main()
