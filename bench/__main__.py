"""`make bench`: measure everything on a copy of the project and print one table with the budgets.

python -m bench [--rounds N] [--edits N] [--lighthouse-runs N] [--scale 300,1000] [--large-rounds N]
                [--skip build,books,serve,diagrams,scale,weight,lighthouse]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import books, build, cold_diagrams, generated_site, lighthouse, serve, weight
from bench.server import static_server
from bench.table import Row, render
from tests.sitebuild import build as build_site
from tests.sitebuild import copy_project

# The real site (10 pages): no worse than the 1.15× it measured when the budgets at scale were set.
BUDGET_WARM_RATIO = 1.15
# Generated sites of SCALE_PAGES pages: the hooks' cost must grow with the work no faster than Material's.
BUDGET_SCALE_RATIO = 1.3
BUDGET_EDIT_RATIO = 1.5
BUDGET_SCORES = {"accessibility": 100, "best-practices": 100, "seo": 100, "performance": 95}
SCALE_PAGES = (300, 1000)
# Larger sites than this get --large-rounds pairs: a pair of 1,000-page builds takes about 85 s on two cores.
LARGE_SITE_PAGES = 300
LIGHTHOUSE_PAGES = ("index.md", "ukraine.md")  # the introduction, and a section with a diagram
PARTS = ("build", "books", "serve", "diagrams", "scale", "weight", "lighthouse")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="build pairs per measurement (at least 5)")
    parser.add_argument("--edits", type=int, default=5, help="measured edits under mkdocs serve")
    parser.add_argument("--lighthouse-runs", type=int, default=5, help="Lighthouse runs per page (median)")
    parser.add_argument("--scale", default=",".join(map(str, SCALE_PAGES)), help="generated site sizes (pages)")
    parser.add_argument(
        "--large-rounds", type=int, default=3, help=f"build pairs for sites over {LARGE_SITE_PAGES} pages (default 3)"
    )
    parser.add_argument("--skip", default="", help="comma-separated parts to leave out")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    if unknown := skip - set(PARTS):
        parser.error(f"--skip: no part named {', '.join(sorted(unknown))} (parts: {', '.join(PARTS)})")
    sizes = [int(n) for n in args.scale.split(",") if n]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        project = copy_project(work / "project")  # never the real docs: edits and cache clearing happen here
        warm_base = None
        if "build" not in skip:
            warm_base = _build_rows(rows, project, work, rounds=max(args.rounds, 5))
        if "books" not in skip:
            progress("books: the PDF and the EPUB typeset cold (their cache emptied), then copied warm, 3 builds each")
            rows += books.rows(books.measure(project, work / "books-site", runs=3))
        if "serve" not in skip:
            _serve_rows(rows, project, warm_base, edits=args.edits)
        # The cold drawing's diagrams are the generated sites' (the same sources, the same cache key): its cache
        # fills theirs, so their unmeasured first builds need not draw them all again, one at a time.
        diagram_cache = work / "diagram-cache"
        if "diagrams" not in skip:
            _cold_diagram_rows(rows, diagram_cache)
        if "scale" not in skip:
            rounds = max(args.rounds, 5)
            _scale_rows(
                rows,
                project,
                work,
                sizes=sizes,
                rounds=rounds,
                large_rounds=max(args.large_rounds, 1),
                real_site_measured=warm_base is not None,
                diagram_cache=diagram_cache,
            )
        hosted, offline = work / "hosted", work / "offline"
        if not {"weight", "lighthouse"} <= skip:
            _build(hosted, project, {})
            _build(offline, project, {"OFFLINE": "true"})
        if "weight" not in skip:
            _weight_rows(rows, hosted, offline)
        if "lighthouse" not in skip:
            _lighthouse_rows(rows, hosted, work, runs=max(args.lighthouse_runs, 1))
    print(render(rows))
    failed = [row.figure for row in rows if row.ok is False]
    if failed:
        print(f"\n{len(failed)} figure(s) over budget: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def _build(dest: Path, project: Path, env: dict[str, str]) -> None:
    result = build_site(dest, project=project, env=env)
    if result.returncode != 0:
        raise SystemExit(f"build failed ({env or 'hosted'}):\n{result.stderr}")


def _build_rows(rows: list[Row], project: Path, work: Path, *, rounds: int) -> float:
    progress(f"build: {rounds} cold and {rounds} warm pairs, site vs bare Material")
    cold, warm = build.measure(project, work / "builds", rounds=rounds)
    _pair_rows(rows, "build cold", cold, rounds)
    _pair_rows(rows, "build warm", warm, rounds, budget=BUDGET_WARM_RATIO)
    # Shown, not budgeted: the same site compiling every template, as bare Material does on each build.
    rows.append(
        Row(
            "build warm: ratio site without its template cache / bare",
            f"{warm.uncached_ratio:.2f}× ({statistics.median(warm.uncached):.2f} s)",
        )
    )
    return statistics.median(warm.base)


def _pair_rows(
    rows: list[Row], label: str, timings: build.Timings, pairs: int, *, budget: float | None = None, note: str = ""
) -> None:
    """Site median, bare median, and the median of the per-pair ratios against `budget`."""
    real, base = statistics.median(timings.real), statistics.median(timings.base)
    rows.append(Row(f"{label}: site, median of {pairs}{note}", f"{real:.2f} s"))
    rows.append(Row(f"{label}: bare Material, median of {pairs}{note}", f"{base:.2f} s"))
    rows.append(
        Row(
            f"{label}: ratio site / bare (median of pairs)",
            f"{timings.ratio:.2f}×",
            f"≤ {budget}×" if budget else "",
            timings.ratio <= budget if budget else None,
        )
    )
    if timings.real_cpu:
        # Shown, not budgeted: on a busy machine the CPU times move less than the wall times.
        rows.append(Row(f"{label}: ratio of CPU time site / bare (median of pairs)", f"{timings.cpu_ratio:.2f}×"))
    if timings.frozen_base:
        # Shown, not budgeted: hooks/collector.py would speed bare Material's own share too; against bare Material
        # with it, the ratio is what the site's features add.
        rows.append(
            Row(
                f"{label}: ratio site / bare Material with hooks/collector.py (median of runs)",
                f"{timings.frozen_ratio:.2f}× ({statistics.median(timings.frozen_base):.2f} s)",
            )
        )


def _cold_diagram_rows(rows: list[Row], cache_dir: Path) -> None:
    count = cold_diagrams.DIAGRAMS
    progress(f"diagrams: {count} distinct diagrams drawn cold, on one core, then on every core")
    drawing = cold_diagrams.measure(cache_dir, count=count)
    progress(f"diagrams: speed-up {drawing.speedup:.2f}× on {drawing.cores} cores")
    rows.append(Row(f"cold drawing, {count} distinct diagrams: one core (workers=1)", f"{drawing.one_core:.1f} s"))
    rows.append(
        Row(f"cold drawing, {count} distinct diagrams: all {drawing.cores} cores", f"{drawing.all_cores:.1f} s")
    )
    rows.append(
        Row(
            "cold drawing: ratio all cores / one core",
            f"{drawing.ratio:.2f}× (speed-up {drawing.speedup:.2f}× on {drawing.cores} cores)",
        )
    )


def _scale_rows(
    rows: list[Row],
    project: Path,
    work: Path,
    *,
    sizes: list[int],
    rounds: int,
    large_rounds: int,
    real_site_measured: bool,
    diagram_cache: Path,
) -> None:
    started = time.perf_counter()
    if not real_site_measured:  # else the build part's warm rows are the real site's
        progress(f"scale: the real site (10 pages), {rounds} warm pairs, site vs bare Material")
        warm = build.measure_warm(project, work / "builds-real", rounds=rounds, progress=progress)
        _pair_rows(rows, "build warm, the real site (10 pages)", warm, rounds, budget=BUDGET_WARM_RATIO)
    for pages in sizes:
        pairs = rounds if pages <= LARGE_SITE_PAGES else large_rounds
        progress(f"scale: {pages:,} generated pages, a first build of each to fill the caches, then {pairs} pairs")
        site = generated_site.generate(work / f"site-{pages}", pages, diagram_cache=diagram_cache)
        out = work / f"builds-{pages}"
        warm = build.measure_warm(site, out, rounds=pairs, progress=progress)
        note = ""
        if pairs < rounds:
            each = statistics.median(r + b for r, b in zip(warm.real, warm.base, strict=True))
            note = f" ({pairs} pairs, not {rounds}: a pair takes {each:.0f} s)"
        _pair_rows(rows, f"build warm, {pages:,} pages", warm, pairs, budget=BUDGET_SCALE_RATIO, note=note)
        # What this size drew, the next size has; a 1,000-page site is 0.6 GB built twice over.
        shutil.copytree(site / ".cache" / "diagrams", diagram_cache, dirs_exist_ok=True)
        shutil.rmtree(out)
        shutil.rmtree(site)
    minutes = (time.perf_counter() - started) / 60
    rows.append(Row(f"scale: time for this part ({', '.join(f'{n:,}' for n in sizes)} pages)", f"{minutes:.1f} min"))


def _serve_rows(rows: list[Row], project: Path, warm_base: float | None, *, edits: int) -> None:
    progress(f"serve: {edits} edits of docs/ukraine.md (copy) under mkdocs serve")
    times = serve.measure(project, edits=edits)
    edit = statistics.median(times)
    rows.append(Row(f"live edit: save → page served, median of {len(times)}", f"{edit:.2f} s"))
    if warm_base is not None:
        ratio = edit / warm_base
        rows.append(
            Row(
                "live edit / warm bare-Material build",
                f"{ratio:.2f}×",
                f"≤ {BUDGET_EDIT_RATIO}×",
                ratio <= BUDGET_EDIT_RATIO,
            )
        )


def _weight_rows(rows: list[Row], hosted: Path, offline: Path) -> None:
    progress("page weight: every page in Chromium, hosted and offline")
    weights = weight.measure(hosted, offline)
    for w in weights:
        parts = " · ".join(f"{k} {_kb(w.bytes[k])}" for k in weight.KINDS)
        note = " (diagram)" if w.has_diagram else ""
        rows.append(Row(f"weight {w.mode} {w.page}{note}", f"{_kb(w.total)}: {parts}"))
    stray = [f"{w.mode} {w.page}" for w in weights if w.loads_mermaid and not w.has_diagram]
    rows.append(
        Row(
            "pages without a diagram that load Mermaid",
            str(len(stray)) + (f" ({', '.join(stray)})" if stray else ""),
            "0",
            not stray,
        )
    )
    blocked = sorted({url for w in weights for url in w.blocked})
    rows.append(
        Row(
            "requests off this machine (blocked)",
            str(len(blocked)) + (f" {blocked[:3]}" if blocked else ""),
            "0",
            not blocked,
        )
    )


def _lighthouse_rows(rows: list[Row], hosted: Path, work: Path, *, runs: int) -> None:
    server = static_server(hosted)
    base_url = next(server)
    try:
        for src in LIGHTHOUSE_PAGES:
            path = src.removesuffix(".md") + "/" if src != "index.md" else ""
            reports, found = [], []
            # Lighthouse's scores vary from run to run; its documentation advises the median of several runs.
            for run in range(1, runs + 1):
                progress(f"lighthouse: /{path} run {run} of {runs}")
                reports.append(work / f"lighthouse-{src.removesuffix('.md')}-{run}.json")
                found.append(lighthouse.scores(base_url + path, reports[-1]))
            for category, budget in BUDGET_SCORES.items():
                each = [scores[category] for scores in found]
                median = statistics.median_low(each)
                ok = median >= budget
                # Explained from the run that gave the median score.
                report = reports[each.index(median)]
                why = "" if ok else " — " + "; ".join(lighthouse.failing_audits(report, category))[:200]
                value = f"{median}" + (f" (runs: {', '.join(map(str, each))})" if len(set(each)) > 1 else "")
                budget_text = f"≥ {budget}" if budget < 100 else "100"
                rows.append(Row(f"lighthouse /{path} {category}, median of {runs}", value + why, budget_text, ok))
    finally:
        server.close()


def _kb(n: int) -> str:
    return f"{n / 1024:.1f} KiB"


def progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
