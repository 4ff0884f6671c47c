"""Write the essay's PDF and EPUB to dist/<name>-<version>.pdf and .epub (make pdf, make epub, make offline).

    python scripts/books.py [pdf] [epub]                     build the site, then copy the books out of it
    python scripts/books.py --site-dir DIR [pdf] [epub]      copy them out of a site already built (offline)

Every build of the site writes both books into its downloads/ folder (hooks/books.py), from its own pages: the
files here are those, byte for byte, under the names the citation record gives them (site_model.books: the
title's slug and the version, as the offline zip is named). The build is `mkdocs build --strict`, so a
problem anywhere stops it, with every problem line.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Hook helpers import each other by bare name, as MkDocs loads them; offline_zip reads CITATION.cff for both scripts.
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "scripts")]
from offline_zip import read_work  # noqa: E402
from site_model import books  # noqa: E402

FORMATS = ("pdf", "epub")


def build_site(site: Path, project: Path = ROOT) -> None:
    """`mkdocs build --strict` into `site`; exits with mkdocs' output when the build fails."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml")]
    result = subprocess.run([*cmd, "-d", str(site)], cwd=project, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"site build failed:\n{result.stdout}{result.stderr}")


def copy_books(site: Path, dist: Path, formats: tuple[str, ...] | list[str]) -> list[Path]:
    """Copy the books of `formats` out of the built `site` into `dist`, under their release names."""
    work = read_work(ROOT / "CITATION.cff")
    written = []
    dist.mkdir(parents=True, exist_ok=True)
    for book in books(work, work.url):
        if book.format not in formats:
            continue
        source = site / book.path
        if not source.is_file():
            sys.exit(f"{source}: the site has no {book.label}; hooks/books.py writes it in every build")
        written.append(Path(shutil.copyfile(source, dist / book.file)))
    return written


def main(argv: list[str] | None = None) -> list[Path]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("formats", nargs="*", metavar="pdf|epub", help="which books (default: both)")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the books go (default: dist/)")
    parser.add_argument("--site-dir", type=Path, help="a built site to take them from (default: build one)")
    args = parser.parse_args(argv)
    formats = args.formats or list(FORMATS)
    if unknown := sorted(set(formats) - set(FORMATS)):
        parser.error(f"unknown format {', '.join(unknown)}: choose from {', '.join(FORMATS)}")
    if args.site_dir is not None:
        written = copy_books(args.site_dir.resolve(), args.dist.resolve(), formats)
    else:
        with tempfile.TemporaryDirectory(prefix="books-site-") as tmp:
            build_site(Path(tmp))
            written = copy_books(Path(tmp), args.dist.resolve(), formats)
    for path in written:
        print(f"{path}: {path.stat().st_size} bytes")
    return written


if __name__ == "__main__":
    main()
