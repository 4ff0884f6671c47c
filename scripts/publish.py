"""Publish the release CITATION.cff describes into the publish tree, the `gh-pages` branch (`make publish`).

    python scripts/publish.py [--branch gh-pages] [--tag v1.1.0]

The tree holds the current edition at its root, so every published URL (permalinks.lock) keeps working, and
each release frozen under v/<version>/ with its offline zip; versions.json lists every edition. One run:

1. refuses, with every reason at once, a dirty working tree, a CITATION.cff whose version and date the newest
   entry of docs/changelog.md does not give (hooks/changelog.py's check), a --tag that is not the version, and a
   new version dated before the latest edition;
2. builds the frozen edition (EDITION=<version>) and its offline zip (scripts/offline_zip.py, OFFLINE=true),
   both knowing the editions before it (PUBLISHED=<versions.json and their edition.json, copied from the branch);
3. compares that edition with the one already published under v/<version>/, if any, by git tree id (so byte for
   byte): the same is a no-op; a different one is refused, and the branch is left as it was;
4. builds the root (the current edition), checks that every link from the new pages into v/ lands on a file
   of the new tree, and commits root + every earlier edition's tree unchanged + the new one + versions.json
   onto the branch, with git plumbing (a private index, write-tree, commit-tree, update-ref), as mkdocs
   gh-deploy and mike do. Earlier editions are copied as the trees they are: their bytes cannot change.

Builds are reproducible: SOURCE_DATE_EPOCH defaults to the release date, so publishing the same commit again
gives the same bytes. Pushing the branch is left to the caller (the GitHub Actions workflow, or `git push`).
"""

from __future__ import annotations

import argparse
import calendar
import json
import os
import posixpath
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
# The hooks' cores are imported by bare name, as MkDocs imports them while loading the hooks.
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "scripts")]
import cff  # noqa: E402
import changelog  # noqa: E402
import edition_record  # noqa: E402
import lxml.html  # noqa: E402
import offline_zip  # noqa: E402
from front_matter import body_start  # noqa: E402
from problems import Problem  # noqa: E402
from site_model import EDITIONS_DIR, in_publish_tree  # noqa: E402

if TYPE_CHECKING:
    from citation_record import Work
    from site_model import Edition

BRANCH = "gh-pages"
NOJEKYLL = ".nojekyll"  # GitHub Pages would otherwise run Jekyll, which drops files whose names start with _


class Refused(Exception):
    """Publishing stops; every line says why."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branch", default=BRANCH, help=f"the publish branch (default: {BRANCH})")
    parser.add_argument("--tag", default="", help="the pushed tag that asks for this release, e.g. v1.1.0")
    args = parser.parse_args(argv)
    try:
        print(publish(ROOT, branch=args.branch, tag=args.tag))
    except Refused as refused:
        print(f"publish: refused\n{refused}", file=sys.stderr)
        return 1
    return 0


def publish(project: Path, *, branch: str = BRANCH, tag: str = "") -> str:
    """Publish `project`'s release onto `branch`; returns what was done. Raises Refused, changing nothing."""
    work = release_work(project, tag)
    git = Git(project)
    tip = git.ref(branch)
    with tempfile.TemporaryDirectory(prefix="publish-") as tmp:
        scratch = Path(tmp)
        published = copy_records(git, tip, scratch / "published")
        editions, problems = edition_record.load_published(scratch / "published")
        if problems:
            raise Refused("\n".join(map(str, problems)))
        already = next((e for e in editions if e.version == work.version), None)
        if already is None:
            check_order(work, editions)
        env = build_env(work, published)
        edition_dir = scratch / "edition"
        build(project, edition_dir, {**env, "EDITION": work.version})
        pack_offline(project, work, edition_dir, scratch / "offline", {**env, "EDITION": work.version})
        edition_tree = git.tree_of(edition_dir, scratch / "index-edition")
        old_tree = git.tree_at(tip, f"{EDITIONS_DIR}/{work.version}") if tip else None
        if already is not None or old_tree is not None:
            return republish(git, branch, work, already, old_tree, edition_tree)
        root_dir = scratch / "root"
        build(project, root_dir, env)
        record = edition_record.from_json(json.loads((edition_dir / edition_record.RECORD).read_text("utf-8")))
        versions = edition_record.versions_json(edition_record.with_edition(editions, record))
        tree = git.compose(
            root=git.tree_of(root_dir, scratch / "index-root"),
            editions=git.tree_at(tip, EDITIONS_DIR) if tip else None,
            new=(work.version, edition_tree),
            files={edition_record.VERSIONS: versions, NOJEKYLL: ""},
            index=scratch / "index",
        )
        if broken := broken_links(git.files(tree), {"": root_dir, f"{EDITIONS_DIR}/{work.version}/": edition_dir}):
            raise Refused("\n".join(broken))
        source = git.run("rev-parse", "--short", "HEAD")
        message = f"Publish edition {work.version} ({work.released.isoformat()}) from {source}"
        commit = git.commit(tree, tip, message)
        git.run("update-ref", f"refs/heads/{branch}", commit, tip or "0" * 40)
    return (
        f"published edition {work.version} of {work.released.isoformat()}: {branch} is now {commit[:12]} "
        f"(root = edition {work.version}; {len(editions) + 1} editions under {EDITIONS_DIR}/)\n"
        f"push it: git push origin {branch}"
    )


def release_work(project: Path, tag: str) -> Work:
    """The release to publish, once the working tree is clean and CITATION.cff and the change log agree."""
    problems: list[str] = []
    status = Git(project).run("status", "--porcelain", "--untracked-files=normal")
    if status:
        changed = [line[3:] for line in status.splitlines()]
        shown = ", ".join(changed[:5]) + (", …" if len(changed) > 5 else "")
        problems.append(
            f"working tree: {len(changed)} uncommitted changes ({shown}) — commit or stash them: "
            "an edition is published from a commit, so that it can be rebuilt"
        )
    work, cff_problems = cff.load_file(project / cff.FILE, site_url=None)
    problems += [str(p) for p in cff_problems if p.level == "warning"]
    if work is not None:
        log = project / "docs" / changelog.FILE
        source = log.read_text("utf-8") if log.is_file() else ""
        problems += [
            str(p) for p in changelog.changelog_problems(f"docs/{changelog.FILE}", source, body_start(source), work)
        ]
        if tag and tag not in (work.version, f"v{work.version}"):
            problems.append(
                str(
                    Problem(
                        cff.FILE, 1, f"publish: tag {tag!r} is not version {work.version!r}", f"tag v{work.version}"
                    )
                )
            )
    if problems or work is None:
        raise Refused("\n".join(problems))
    return work


def check_order(work: Work, editions: list[Edition]) -> None:
    """A new edition becomes the current one: it may not be dated before the latest published edition."""
    if editions and work.released.isoformat() < editions[-1].released:
        latest = editions[-1]
        raise Refused(
            str(
                Problem(
                    cff.FILE,
                    1,
                    f"publish: version {work.version} of {work.released.isoformat()} is older than the current "
                    f"edition {latest.version} of {latest.released}",
                    "the root always holds the newest edition; give the release a later date-released",
                )
            )
        )


def republish(git: Git, branch: str, work: Work, listed: Edition | None, old: str | None, new: str) -> str:
    """Publishing a version that is already published: nothing to do when its bytes are the same."""
    where = f"{EDITIONS_DIR}/{work.version}/"
    if listed is None or old is None:
        half = "is not in versions.json" if listed is None else f"has no folder {where}"
        raise Refused(f"{branch}: edition {work.version} {half} — the publish branch is damaged; restore it")
    if old == new:
        return f"edition {work.version} is already published with these bytes: nothing to do"
    changed = git.run("diff-tree", "-r", "--name-status", old, new).splitlines()
    shown = "\n".join(f"  {line}" for line in changed[:20]) + ("\n  …" if len(changed) > 20 else "")
    raise Refused(
        f"{cff.FILE}:1: publish: edition {work.version} is already published, and this build differs from it in "
        f"{len(changed)} files — an edition never changes once published: raise version in {cff.FILE}, add its "
        f"entry to docs/{changelog.FILE}, and publish that\n{shown}"
    )


def copy_records(git: Git, tip: str | None, dest: Path) -> Path:
    """versions.json and every edition's edition.json from the branch, where a build can read them (PUBLISHED)."""
    dest.mkdir(parents=True)
    if tip is None:
        return dest
    wanted = [edition_record.VERSIONS]
    for path in git.run("ls-tree", "-r", "--name-only", tip, "--", EDITIONS_DIR).splitlines():
        if path.endswith(f"/{edition_record.RECORD}") and path.count("/") == 2:
            wanted.append(path)
    present = set(git.run("ls-tree", "--name-only", tip).splitlines())
    for path in wanted:
        if path == edition_record.VERSIONS and path not in present:
            continue
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(git.blob(f"{tip}:{path}"))
    return dest


def build_env(work: Work, published: Path) -> dict[str, str]:
    released = calendar.timegm(work.released.timetuple())
    return {
        "PUBLISHED": str(published),
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", str(released)),
        "NO_MKDOCS_2_WARNING": "1",
    }


def build(project: Path, dest: Path, env: dict[str, str]) -> None:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml")]
    full_env = {**os.environ, "EDITION": "", "OFFLINE": "false", **env}
    result = subprocess.run([*cmd, "-d", str(dest)], cwd=project, env=full_env, capture_output=True, text=True)
    if result.returncode != 0:
        which = f"the frozen edition {env['EDITION']}" if env.get("EDITION") else "the current edition"
        raise Refused(f"the build of {which} failed:\n{result.stderr}")


def pack_offline(project: Path, work: Work, edition_dir: Path, scratch: Path, env: dict[str, str]) -> None:
    """The edition's offline zip, in its folder: the offline build of the same edition (OFFLINE=true)."""
    site = scratch / "site"
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml")]
    full_env = {**os.environ, **env, "OFFLINE": "true"}
    result = subprocess.run([*cmd, "-d", str(site)], cwd=project, env=full_env, capture_output=True, text=True)
    if result.returncode != 0:
        raise Refused(f"the offline build failed:\n{result.stderr}")
    stamp = offline_zip.zip_timestamp(full_env)
    offline_zip.pack(site, edition_dir / offline_zip.zip_name(work), offline_zip.folder_name(work), stamp)


def broken_links(tree_files: set[str], built: dict[str, Path]) -> list[str]:
    """Links from the new pages into v/ that land on no file of the new tree; `built` maps tree prefix -> folder."""
    broken = []
    for prefix, folder in built.items():
        for page in sorted(folder.rglob("*.html")):
            here = prefix + page.relative_to(folder).as_posix()
            doc = lxml.html.document_fromstring(page.read_bytes())
            for href in doc.xpath("//a/@href"):
                parts = urlsplit(href)
                if parts.scheme or parts.netloc or not parts.path:
                    continue
                target = posixpath.normpath(unquote(urljoin("/" + here, parts.path)).lstrip("/"))
                if not in_publish_tree(target + "/"):
                    continue
                # A folder's URL ("v/1.0.0/", "..") is served as its index.html.
                if target not in tree_files and f"{target}/index.html" not in tree_files:
                    broken.append(f"{here}: link to {href} — {target} is not in the publish tree")
    return broken


class Git:
    """git plumbing in one repository; every call checked."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo

    def run(self, *args: str, env: dict[str, str] | None = None, input: str | None = None) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=self.repo,
            env={**os.environ, **(env or {})},
            input=input,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise Refused(f"git {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout.rstrip("\n")

    def blob(self, spec: str) -> bytes:
        return subprocess.run(["git", "cat-file", "blob", spec], cwd=self.repo, capture_output=True, check=True).stdout

    def ref(self, branch: str) -> str | None:
        return self._object(f"refs/heads/{branch}^{{commit}}")

    def tree_at(self, commit: str, path: str) -> str | None:
        return self._object(f"{commit}:{path}")

    def _object(self, spec: str) -> str | None:
        """The object `spec` names, or None when it names none (a branch not made yet, a path not in a tree)."""
        result = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", spec], cwd=self.repo, capture_output=True, text=True
        )
        return result.stdout.strip() or None

    def tree_of(self, folder: Path, index: Path) -> str:
        """Every file under `folder` as one tree in the object store (a private index; --force: no ignore rules)."""
        env = {**os.environ, "GIT_INDEX_FILE": str(index)}
        git_dir = str((self.repo / self.run("rev-parse", "--git-dir")).resolve())
        cmd = ["git", f"--git-dir={git_dir}", f"--work-tree={folder}", "add", "--all", "--force", "."]
        result = subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise Refused(f"git add ({folder}): {result.stderr.strip()}")
        return self.run("write-tree", env=env)

    def compose(
        self, *, root: str, editions: str | None, new: tuple[str, str], files: dict[str, str], index: Path
    ) -> str:
        env = {"GIT_INDEX_FILE": str(index)}
        self.run("read-tree", root, env=env)
        if editions is not None:
            self.run("read-tree", f"--prefix={EDITIONS_DIR}/", editions, env=env)
        version, tree = new
        self.run("read-tree", f"--prefix={EDITIONS_DIR}/{version}/", tree, env=env)
        for name, text in files.items():
            blob = self.run("hash-object", "-w", "--stdin", input=text)
            self.run("update-index", "--add", "--cacheinfo", f"100644,{blob},{name}", env=env)
        return self.run("write-tree", env=env)

    def files(self, tree: str) -> set[str]:
        return set(self.run("ls-tree", "-r", "--name-only", tree).splitlines())

    def commit(self, tree: str, parent: str | None, message: str) -> str:
        return self.run("commit-tree", tree, *(["-p", parent] if parent else []), "-m", message)


if __name__ == "__main__":
    sys.exit(main())
