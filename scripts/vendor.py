"""Fetch the vendored JavaScript from the npm registry and record (or verify) its integrity.

    python scripts/vendor.py           fetch every package in vendor.lock.json, write the files, record digests
    python scripts/vendor.py --verify  fetch again and fail unless npm's integrity and every file match the lock

Each package tarball must match npm's published `dist.integrity` (sha512) before anything is extracted.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "vendor.lock.json"


def sri_sha512(data: bytes) -> str:
    """Subresource-integrity form, as npm publishes it."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def check_files(root: Path = ROOT) -> list[str]:
    """Offline check: every vendored file on disk has the digest the lock recorded from npm's tarball."""
    lock = json.loads((root / LOCK.name).read_text("utf-8"))
    problems = []
    for name, entry in lock["packages"].items():
        for member, spec in entry["files"].items():
            dest = root / spec["dest"]
            if not dest.exists():
                problems.append(f"{spec['dest']}: missing; run `make vendor`")
            elif sri_sha512(dest.read_bytes()) != spec["sha512"]:
                problems.append(
                    f"{spec['dest']}: sha512 differs from {member} of {name}@{entry['version']}"
                    " (integrity recorded from npm); run `make vendor` instead of editing it"
                )
    return problems


def npm_published_integrity(name: str, version: str) -> str:
    out = _npm("view", f"{name}@{version}", "dist.integrity", "--json")
    return json.loads(out)


def fetch_tarball(name: str, version: str, into: Path) -> bytes:
    out = _npm("pack", f"{name}@{version}", "--json", "--pack-destination", str(into))
    return (into / json.loads(out)[0]["filename"]).read_bytes()


def vendor(verify: bool) -> list[str]:
    lock = json.loads(LOCK.read_text("utf-8"))
    problems: list[str] = []
    for name, entry in lock["packages"].items():
        version = entry["version"]
        published = npm_published_integrity(name, version)
        with tempfile.TemporaryDirectory() as tmp:
            tarball = fetch_tarball(name, version, Path(tmp))
        if sri_sha512(tarball) != published:
            problems.append(f"{name}@{version}: tarball does not match npm's integrity {published}")
            continue
        if verify and entry.get("integrity") != published:
            problems.append(f"{name}@{version}: lock records {entry.get('integrity')}, npm publishes {published}")
        entry["integrity"] = published
        problems += _extract(name, version, tarball, entry["files"], verify)
    if not verify and not problems:
        LOCK.write_text(json.dumps(lock, indent=2) + "\n", "utf-8")
    return problems


def _extract(name: str, version: str, tarball: bytes, files: dict[str, dict[str, str]], verify: bool) -> list[str]:
    problems = []
    with tempfile.NamedTemporaryFile(suffix=".tgz") as tmp:
        tmp.write(tarball)
        tmp.flush()
        with tarfile.open(tmp.name) as archive:
            for member, spec in files.items():
                data = archive.extractfile(member).read()
                dest = ROOT / spec["dest"]
                if verify:
                    if not dest.exists() or dest.read_bytes() != data:
                        problems.append(f"{spec['dest']}: differs from {member} in {name}@{version}")
                    if spec.get("sha512") != sri_sha512(data):
                        problems.append(f"{spec['dest']}: lock digest differs from {name}@{version}")
                else:
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(data)
                    spec["sha512"] = sri_sha512(data)
    return problems


def _npm(*args: str) -> str:
    return subprocess.run(["npm", *args], capture_output=True, text=True, check=True, cwd=ROOT).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verify", action="store_true", help="check instead of writing")
    problems = vendor(parser.parse_args().verify)
    for problem in problems:
        print(f"vendor.lock.json: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
