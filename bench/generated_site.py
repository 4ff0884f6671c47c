"""A copy of the project whose docs/ holds N generated pages made from the essay's own words.

The bench builds it to see how the build's cost grows with the work, and draws its diagrams to time cold
rendering. Nothing is invented: every sentence, heading and label is the essay's (source/essay.txt) or a real
page's heading, taken round-robin; only the structure is generated. Each page (`docs/index.md`, the home page
the theme links to, then `docs/p0002.md`…) has

- the heading of one of the real essay pages, with its id (`# 3. The Ukraine Factor… { #ukraine }`);
- 8 paragraphs of two essay sentences each, followed by `{ #p1 }`…`{ #p8 }` as on the real pages;
- a list of links to anchors on other generated pages, spread over the whole site;
- on every tenth page, after its first paragraph, a `!!! diagram` box shaped like docs/ukraine.md's: a
  ```` ```mermaid ```` flowchart with `accTitle:`/`accDescr:`, 4–6 nodes labelled with essay words and one `click`
  line per node, then the `??? note "Text version of the diagram"` list.

How to cite and the change log are the real pages: the citation hook checks the change log against
CITATION.cff. `nav:` lists every page, and `permalinks.lock` every page and anchor, so a strict build of the
copy has nothing to report.

    .venv/bin/python -m bench.generated_site DEST --pages 300   # write one, to look at or build by hand
"""

from __future__ import annotations

import argparse
import functools
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from bench import hook_module
from tests.sitebuild import ROOT, copy_project

PARAGRAPHS_PER_PAGE = 8
SENTENCES_PER_PARAGRAPH = 2
LINKS_PER_PAGE = 4
DIAGRAM_EVERY = 10
LABEL_WORDS = 4
# Apart from the most nodes in one diagram, the labels of two diagrams start this far apart in the essay, so
# neighbouring diagrams share no label.
LABEL_STRIDE = 97
KEPT_PAGES = ("how-to-cite.md", "changelog.md")
# The box title the real pages use for a section's path.
DIAGRAM_TITLE = "Diagram added by the site: the path this section describes"
ESSAY = ROOT / "source" / "essay.txt"
REAL_CONFIG = ROOT / "mkdocs.yml"
REAL_LOCK = ROOT / "permalinks.lock"
_H1 = re.compile(r"^# (?P<title>.+?) \{ #(?P<id>[^\s}]+) \}$", re.MULTILINE)
_NAV_BLOCK = re.compile(r"^nav:\n(?:[ \t].*\n|\n)*", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z])")


@dataclass(frozen=True)
class Heading:
    title: str
    id: str


@dataclass(frozen=True)
class Words:
    """What the generated pages are made of, all read from the project."""

    sentences: tuple[str, ...]
    headings: tuple[Heading, ...]  # the real essay pages' headings and ids, in nav order
    labels: tuple[tuple[str, int], ...]  # each run of LABEL_WORDS words inside a sentence, and that sentence

    @classmethod
    def read(cls, root: Path = ROOT) -> Words:
        from mkdocs.config import load_config

        # The essay's paragraphs are its lines that end a sentence; the others are its headings.
        lines = (root / "source" / "essay.txt").read_text("utf-8").splitlines()
        paragraphs = [line for line in lines if line.endswith((".", "?", "!"))]
        sentences = tuple(s for p in paragraphs for s in _SENTENCE_END.split(p))
        nav = load_config(str(root / "mkdocs.yml"))["nav"]
        essay_pages = [entry for entry in nav if isinstance(entry, str)]
        headings = []
        for page in essay_pages:
            found = _H1.search((root / "docs" / page).read_text("utf-8"))
            if found is None:
                raise ValueError(f"docs/{page}: no `# Title {{ #id }}` heading to reuse")
            headings.append(Heading(found["title"], found["id"]))
        labels = []
        for number, sentence in enumerate(sentences):
            words = sentence.split()
            labels += [(_phrase(words[i : i + LABEL_WORDS]), number) for i in range(len(words) - LABEL_WORDS + 1)]
        return cls(sentences, tuple(headings), tuple(labels))


@functools.cache
def project_words() -> Words:
    """The real project's words, read once."""
    return Words.read()


def page_name(number: int) -> str:
    """Page 1 is the home page, which Material's logo and the 404 page link to; the others `p0002.md`…"""
    return "index.md" if number == 1 else f"p{number:04d}.md"


def heading(words: Words, number: int) -> Heading:
    return words.headings[(number - 1) % len(words.headings)]


def paragraph(words: Words, number: int, index: int) -> str:
    """Paragraph `index` (1-based) of page `number`: the essay's next sentences, round-robin over the site."""
    first = ((number - 1) * PARAGRAPHS_PER_PAGE + index - 1) * SENTENCES_PER_PARAGRAPH
    return " ".join(words.sentences[(first + i) % len(words.sentences)] for i in range(SENTENCES_PER_PARAGRAPH))


def has_diagram(number: int) -> bool:
    return number % DIAGRAM_EVERY == 0


def link_targets(words: Words, number: int, pages: int) -> list[tuple[int, str]]:
    """(page, anchor) of each link on page `number`: spread evenly over the rest of the site."""
    targets = []
    for k in range(1, LINKS_PER_PAGE + 1):
        target = (number - 1 + round(k * pages / (LINKS_PER_PAGE + 1))) % pages + 1
        # The last link goes to the page's heading, the others to a paragraph.
        anchor = heading(words, target).id if k == LINKS_PER_PAGE else f"p{(number + k) % 8 + 1}"
        targets.append((target, anchor))
    return targets


def diagram_source(words: Words, number: int) -> str:
    """The Mermaid source of page `number`'s diagram: the same whatever the site's size, so that the sites
    of every size, and the cold-drawing bench, draw the same diagrams (and share their cache)."""
    drawing = number // DIAGRAM_EVERY - 1
    nodes = 4 + drawing % 3
    picked = [words.labels[(drawing + j * LABEL_STRIDE) % len(words.labels)] for j in range(nodes)]
    title = heading(words, number).title
    previous = number - 1  # clicks stay on this page or the one before, which every site size has
    lines = [
        "flowchart TD",
        f"  accTitle: {title}",
        f"  accDescr: {words.sentences[picked[0][1]]}",
        *(f'  n{j}["{label}"]' for j, (label, _) in enumerate(picked)),
        *(f"  n{j} --> n{j + 1}" for j in range(nodes - 1)),
    ]
    for j, target in enumerate(_diagram_targets(words, number, nodes)):
        tip = heading(words, previous).title if target.startswith(page_name(previous)) else title
        lines.append(f'  click n{j} "{target}" "{tip}"')
    return "\n".join(lines)


def diagram_sources(count: int) -> list[str]:
    """The first `count` generated diagrams (pages 10, 20, …): distinct labels, so each is a real render."""
    words = project_words()
    return [diagram_source(words, DIAGRAM_EVERY * (n + 1)) for n in range(count)]


def page_markdown(words: Words, number: int, pages: int) -> str:
    head = heading(words, number)
    out = [f"# {head.title} {{ #{head.id} }}", ""]
    for index in range(1, PARAGRAPHS_PER_PAGE + 1):
        out += [paragraph(words, number, index), f"{{ #p{index} }}", ""]
        if index == 1 and has_diagram(number):
            out += _diagram_box(words, number)
    for target, anchor in link_targets(words, number, pages):
        target_heading = heading(words, target)
        text = target_heading.title if anchor == target_heading.id else _link_text(words, target, anchor)
        out.append(f"- [{text}]({page_name(target)}#{anchor})")
    return "\n".join(out) + "\n"


def lock_text(words: Words, pages: int) -> str:
    """permalinks.lock for the generated site, in the order `make lock` writes it (nav, then document order)."""
    header = hook_module("xref_core").LOCK_HEADER
    entries = []
    for number in range(1, pages + 1):
        name = page_name(number)
        entries += [name, f"{name}#{heading(words, number).id}"]
        entries += [f"{name}#p{index}" for index in range(1, PARAGRAPHS_PER_PAGE + 1)]
    # The kept pages' published entries, then the published files (the essay's PDF and EPUB), as the real lock
    # has them.
    real = [line for line in REAL_LOCK.read_text("utf-8").splitlines() if line and not line.startswith("#")]
    entries += [line for line in real if line.split("#")[0] in KEPT_PAGES]
    entries += [line for line in real if not line.split("#")[0].endswith(".md")]
    return header + "".join(f"{entry}\n" for entry in entries)


def generate(dest: Path, pages: int, *, diagram_cache: Path | None = None) -> Path:
    """Write the project with `pages` generated pages into `dest`; `diagram_cache` seeds .cache/diagrams."""
    if pages < DIAGRAM_EVERY:
        raise ValueError(f"a generated site needs at least {DIAGRAM_EVERY} pages (one diagram)")
    words = project_words()
    project = copy_project(dest)
    docs = project / "docs"
    for page in docs.glob("*.md"):
        if page.name not in KEPT_PAGES:
            page.unlink()
    for number in range(1, pages + 1):
        (docs / page_name(number)).write_text(page_markdown(words, number, pages), "utf-8")
    config = project / "mkdocs.yml"
    config.write_text(_with_nav(config.read_text("utf-8"), pages), "utf-8")
    (project / "permalinks.lock").write_text(lock_text(words, pages), "utf-8")
    if diagram_cache is not None and diagram_cache.is_dir():
        shutil.copytree(diagram_cache, project / ".cache" / "diagrams", dirs_exist_ok=True)
    return project


def _with_nav(config: str, pages: int) -> str:
    blocks = _NAV_BLOCK.findall(config)
    if len(blocks) != 1:
        raise ValueError(f"mkdocs.yml: expected one top-level `nav:` block, found {len(blocks)}")
    lines = ["nav:", *(f"  - {page_name(n)}" for n in range(1, pages + 1)), "  - About:"]
    lines += [f"      - {page}" for page in KEPT_PAGES]
    return _NAV_BLOCK.sub(lambda _: "\n".join(lines) + "\n\n", config)


def _diagram_targets(words: Words, number: int, nodes: int) -> list[str]:
    """One click target per node: this page's paragraphs, and the last node the previous page's heading."""
    own = [f"{page_name(number)}#p{j + 1}" for j in range(nodes - 1)]
    return [*own, f"{page_name(number - 1)}#{heading(words, number - 1).id}"]


def _diagram_box(words: Words, number: int) -> list[str]:
    source = diagram_source(words, number)
    labels = re.findall(r'^  n\d+\["(.*)"\]$', source, re.MULTILINE)
    targets = _diagram_targets(words, number, len(labels))
    own = page_name(number) + "#"
    steps = [
        f"        {j}. [{label}]({'#' + t.removeprefix(own) if t.startswith(own) else t})"
        for j, (label, t) in enumerate(zip(labels, targets, strict=True), start=1)
    ]
    return [
        f'!!! diagram "{DIAGRAM_TITLE}"',
        "",
        "    ```mermaid",
        *(f"    {line}" for line in source.split("\n")),
        "    ```",
        "",
        '    ??? note "Text version of the diagram"',
        "",
        *steps,
        "",
    ]


def _link_text(words: Words, target: int, anchor: str) -> str:
    """The first words of the paragraph a link points at."""
    return _phrase(paragraph(words, target, int(anchor.removeprefix("p"))).split()[:LABEL_WORDS])


def _phrase(words: list[str]) -> str:
    return " ".join(words).rstrip(",;:.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    project = generate(args.dest, args.pages)
    print(f"{args.pages} pages in {project}; build with: .venv/bin/mkdocs build --strict -f {project}/mkdocs.yml")


if __name__ == "__main__":
    main()
