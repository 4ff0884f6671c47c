"""`make bench`: measure everything on a copy of the project and print one table with the budgets.

python -m bench [--rounds N] [--edits N] [--lighthouse-runs N] [--skip build,serve,weight,lighthouse]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from bench import build, lighthouse, serve, weight
from bench.server import static_server
from bench.table import Row, render
from tests.sitebuild import build as build_site
from tests.sitebuild import copy_project

BUDGET_WARM_RATIO = 1.8
BUDGET_EDIT_RATIO = 1.5
BUDGET_SCORES = {"accessibility": 100, "best-practices": 100, "seo": 100, "performance": 95}
LIGHTHOUSE_PAGES = ("index.md", "ukraine.md")  # the introduction, and a section with a diagram


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="build pairs per measurement (at least 5)")
    parser.add_argument("--edits", type=int, default=5, help="measured edits under mkdocs serve")
    parser.add_argument("--lighthouse-runs", type=int, default=5, help="Lighthouse runs per page (median)")
    parser.add_argument("--skip", default="", help="comma-separated parts to leave out")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        project = copy_project(work / "project")  # never the real docs: edits and cache clearing happen here
        warm_base = None
        if "build" not in skip:
            warm_base = _build_rows(rows, project, work, rounds=max(args.rounds, 5))
        if "serve" not in skip:
            _serve_rows(rows, project, warm_base, edits=args.edits)
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
    for label, timings, budget in (("cold", cold, None), ("warm", warm, BUDGET_WARM_RATIO)):
        real, base = statistics.median(timings.real), statistics.median(timings.base)
        rows.append(Row(f"build {label}: site, median of {rounds}", f"{real:.2f} s"))
        rows.append(Row(f"build {label}: bare Material, median of {rounds}", f"{base:.2f} s"))
        rows.append(
            Row(
                f"build {label}: ratio site / bare (median of pairs)",
                f"{timings.ratio:.2f}×",
                f"≤ {budget}×" if budget else "",
                timings.ratio <= budget if budget else None,
            )
        )
    # Shown, not budgeted: the same site compiling every template, as bare Material does on each build.
    rows.append(
        Row(
            "build warm: ratio site without its template cache / bare",
            f"{warm.uncached_ratio:.2f}× ({statistics.median(warm.uncached):.2f} s)",
        )
    )
    return statistics.median(warm.base)


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
