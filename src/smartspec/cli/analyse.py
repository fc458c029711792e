"""``smartspec analyse REGION``: the regional S3 analysis and its report."""

import sys
import time
from pathlib import Path


def register(sub):
    p = sub.add_parser("analyse", help="analyse a region and write its report (HTML, PDF, JSON, XLSX)")
    p.add_argument("region", help="code or name: SE31, Värmland, 17, Oberbayern …")
    p.add_argument("--dataset", action="append", metavar="[ROLE=]NAME",
                   help="a stored dataset to analyse (repeatable; any region × activity × year count table: the "
                        "mirror's, data fetch, data import, microdata aggregate). ROLE is structure, series or "
                        "reference (e.g. --dataset my_lan_divisions --dataset reference=sbs_r_nuts06_r2); default: "
                        "chosen by coverage, and the choice is printed")
    p.add_argument("--year", type=int, help="year of the cross-section (default: the latest available)")
    p.add_argument("--compare-with", action="append", default=[], metavar="REGION",
                   help="a region to include among the benchmark regions (repeatable)")
    p.add_argument("--peers", type=int, default=10, help="number of benchmark and partner regions (default 10)")
    p.add_argument("--lang", choices=["sv", "en"], default="en")
    p.add_argument("--weights", default="balanced", choices=["low-hanging fruit", "balanced", "long jump"],
                   help="opportunity weight preset")
    p.add_argument("--relatedness", metavar="FILE",
                   help="external relatedness: a job-flow table (e.g. smartspec microdata aggregate's -flows.parquet) "
                        "or a relatedness matrix (source, target, weight); default: co-occurrence proximity")
    p.add_argument("--out", action="append", default=[], metavar="FILE",
                   help="output file(s): .html, .pdf, .json or .xlsx (repeatable; default REGION-LANG.html)")
    p.set_defaults(handler=cmd_analyse)


def describe_use(use: dict) -> str:
    """One line saying what a role of the analysis uses, and why."""
    r = use["reason"]
    where = use["home"] + ("" if use["own"] else " (the region containing it)")
    summed = f", summed up from {use['source_tier']}" if use["source_tier"] != use["tier"] else ""
    why = {"structure": "the finest complete activity level covering the region",
           "series": "the longest series for the region itself", "reference": "named"}[use["role"]]
    others = f"; also possible: {', '.join(r['alternatives'])}" if r.get("alternatives") else ""
    return (f"{use['role']}: {use['dataset']} v{use['version']} ({use['measure']}), {use['level']} × {use['tier']} "
            f"for {where}{summed}, {use['years'][0]}–{use['years'][1]}; {why}{others}")


def cmd_analyse(args, progress):
    # lazy: the analysis and the report cost ~180 ms at start-up of every other command
    from smartspec import report
    from smartspec.analysis import analyse

    started = time.perf_counter()
    result = analyse(args.region, datasets=args.dataset, year=args.year, compare_with=args.compare_with,
                     peers=args.peers, lang=args.lang, weights=args.weights, relatedness=args.relatedness,
                      progress=progress)
    region = result["region"]
    print(f"{region['code']} {region['name']} ({region['tier']})", file=sys.stderr)
    for use in result["data"]["uses"]:
        print(f"  {describe_use(use)}", file=sys.stderr)
    outs = args.out or [f"{region['code']}-{args.lang}.html"]
    for out in outs:
        progress(f"writing {out}")
        path = report.write(result, Path(out))
        print(path)
    print(f"done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0
