"""``smartspec analyse REGION``: the regional S3 analysis and its report."""

import sys
import time
from pathlib import Path

from smartspec.errors import SmartspecError
from smartspec.optional import import_optional

#: --level names → regional tiers.
TIERS = {"kommun": "kommun", "fa": "fa", "lan": "nuts3", "nuts3": "nuts3", "nuts2": "nuts2", "nuts1": "nuts1",
         "country": "country"}

def register(sub):
    p = sub.add_parser("analyse", help="analyse a region (or every region of a level) and write its report "
                                       "(HTML, PDF, JSON, XLSX)")
    p.add_argument("region", nargs="?", help="code or name: SE31, Värmland, 17, Karlstad, FA Karlstad, Oberbayern …")
    p.add_argument("--all", action="store_true", help="analyse every region of --level (in parallel processes)")
    p.add_argument("--level", choices=sorted(TIERS), default="nuts2", help="with --all: the regional level")
    p.add_argument("--country", help="with --all: only the regions of this country (e.g. SE)")
    p.add_argument("--out-dir", metavar="DIR", help="with --all: where the reports and summary.parquet/.xlsx go")
    p.add_argument("--format", default="json", help="with --all: output formats, comma-separated (json,html,xlsx,pdf)")
    p.add_argument("--jobs", type=int, help="with --all: worker processes (default: the machine's cores)")
    p.add_argument("--dataset", action="append", metavar="[ROLE=]NAME",
                   help="a stored dataset to analyse (repeatable; any region × activity × year count table: the "
                        "mirror's, data fetch, data import, microdata aggregate). ROLE is structure, series or "
                        "reference (e.g. --dataset my_lan_divisions --dataset reference=sbs_r_nuts06_r2); default: "
                        "chosen by coverage, and the choice is printed")
    p.add_argument("--year", type=int, help="year of the cross-section (default: the latest available)")
    p.add_argument("--compare-with", action="append", default=[], metavar="REGION",
                   help="a region to include among the benchmark regions (repeatable)")
    p.add_argument("--peers", type=int, default=10, help="number of benchmark and partner regions (default 10)")
    p.add_argument("--lang", default="en",
                   help="sv or en; with --all also both, comma-separated (sv,en): a report per language")
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
    langs = [lang.strip() for lang in args.lang.split(",") if lang.strip()]
    if any(lang not in ("sv", "en") for lang in langs) or not langs:
        raise SmartspecError(f"--lang {args.lang!r}: use sv, en or sv,en")
    if args.all:
        return cmd_analyse_all(args, langs, progress)
    if not args.region:
        raise SmartspecError("name a region (e.g. smartspec analyse Värmland) or use --all --level nuts2")
    args.lang = langs[0]
    return cmd_analyse_one(args, progress)


def cmd_analyse_all(args, langs, progress):
    """Every region of a level: reports in --out-dir and the summary across them."""
    batch = import_optional("smartspec.report.batch", "Batch analysis with its summary workbook")  # ~0.3 s

    if not args.out_dir:
        raise SmartspecError("--all needs --out-dir DIR for the reports and the summary")
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    regions = batch.regions_at(TIERS[args.level], datasets=args.dataset, country=args.country)
    if not regions:
        raise SmartspecError(f"no {args.level} regions{' in ' + args.country if args.country else ''} in the datasets")
    started = time.perf_counter()
    summary = batch.analyse_all(regions, out_dir=args.out_dir, formats=formats, langs=langs, jobs=args.jobs,
                          progress=progress, datasets=args.dataset, year=args.year, peers=args.peers,
                          weights=args.weights, relatedness=args.relatedness)
    failed = summary[summary["status"] != "ok"]
    print(f"{len(summary) - len(failed)} of {len(summary)} regions analysed, {len(failed)} failed "
          f"(listed with their reasons in {Path(args.out_dir) / 'summary.xlsx'})")
    print(f"done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


def _report():
    """The report package (HTML, PDF, XLSX), an extra: one sentence when it is missing."""
    return import_optional("smartspec.report", "An HTML, PDF or XLSX report")


def cmd_analyse_one(args, progress):
    # lazy: the analysis costs ~180 ms at start-up of every other command
    from smartspec.analysis import analyse, write_json

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
        path = write_json(result, out) if Path(out).suffix.lower() == ".json" else _report().write(result, Path(out))
        print(path)
    print(f"done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0
