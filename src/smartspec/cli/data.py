"""``smartspec data``: list, show, import, fetch and remove datasets."""

import json
import sys

import pandas as pd

from smartspec import data
from smartspec.data import Store
from smartspec.data.classifications import normalise_activity, resolve_region
from smartspec.errors import InputError, SmartspecError


def register(sub):
    p = sub.add_parser("data", help="datasets: list, show, import, fetch, remove")
    s = p.add_subparsers(dest="data_command", metavar="ACTION", required=True)

    ls = s.add_parser("list", help="datasets found, with coverage, source and licence")
    ls.add_argument("--format", choices=["table", "json"], default="table")
    ls.set_defaults(handler=cmd_list)

    show = s.add_parser("show", help="print a slice of a dataset")
    show.add_argument("dataset")
    show.add_argument("--region", action="append", help="region code or name (repeatable)")
    show.add_argument("--year", action="append", type=int)
    show.add_argument("--activity", action="append", help="NACE code (repeatable)")
    show.add_argument("--measure", action="append")
    show.add_argument("--format", choices=["table", "csv", "json"], default="table")
    show.add_argument("--limit", type=int, default=200, help="rows shown as a table (0 = all)")
    show.add_argument("--estimates", action="store_true",
                      help="add each suppressed cell's estimate and interval under the published totals "
                           "(as the analysis uses them; published cells are shown as published)")
    show.set_defaults(handler=cmd_show)
    link = s.add_parser("link", help="one series across NACE Rev. 2 → Rev. 2.1 (SNI 2007 → SNI 2025)")
    link.add_argument("old", help="the stored dataset in NACE Rev. 2 / SNI 2007 (years up to 2024)")
    link.add_argument("new", help="the stored dataset in NACE Rev. 2.1 / SNI 2025 (from 2025)")
    link.add_argument("--dataset", required=True, help="name of the linked series")
    link.set_defaults(handler=cmd_link)

    imp = s.add_parser("import", help="import a file (Eurostat TSV/SDMX-CSV/XLS, SCB JSON/CSV/XLSX, CSV/XLSX/Parquet)")
    imp.add_argument("file")
    imp.add_argument("--format", dest="fmt", help="force a format (default: sniffed)")
    imp.add_argument("--dataset", help="name to store it under (default: the file name)")
    imp.add_argument("--map", action="append", default=[], metavar="CANONICAL=COLUMN",
                     help="map a file column onto region/activity/year/value/measure/unit/flag")
    imp.add_argument("--set", action="append", default=[], metavar="COLUMN=VALUE",
                     help="a constant for a column the file lacks (e.g. year=2020)")
    imp.add_argument("--measure", help="measure name for SCB exports")
    imp.add_argument("--year", type=int, help="year of a workbook that names none")
    imp.set_defaults(handler=cmd_import)

    fetch = s.add_parser("fetch", help="download from Eurostat or SCB")
    fs = fetch.add_subparsers(dest="provider", metavar="PROVIDER", required=True)
    eu = fs.add_parser("eurostat", help="Eurostat dissemination API")
    eu.add_argument("code")
    eu.add_argument("--format", dest="fmt", choices=["tsv", "sdmx-csv"], default="tsv")
    eu.add_argument("--since", type=int)
    eu.add_argument("--until", type=int)
    eu.add_argument("--base-url")
    eu.set_defaults(handler=cmd_fetch_eurostat)
    scb = fs.add_parser("scb", help="SCB PxWeb API (v1 or v2)")
    scb.add_argument("table", help="table id (v2, e.g. TAB6471) or path (v1, e.g. BE/BE0101/BE0101A/BefolkningNy)")
    scb.add_argument("--api", type=int, choices=[1, 2], default=2)
    scb.add_argument("--select", action="append", default=[], metavar="VAR=V1,V2",
                     help="values to fetch for a variable (default: all)")
    scb.add_argument("--lang", choices=["sv", "en"], default="sv")
    scb.add_argument("--annual", choices=["mean", "sum"],
                     help="turn months/quarters into complete years: mean for stocks (employments), sum for "
                          "flows; incomplete years are left out (default: keep the periods)")
    scb.add_argument("--activity", action="append", default=[], metavar="CODE=SNI",
                     help="the SNI 2007 code of one of SCB's own industry groups (repeatable)")
    scb.add_argument("--dataset", help="name to store it under (default: the table id)")
    scb.add_argument("--base-url")
    scb.set_defaults(handler=cmd_fetch_scb)

    rm = s.add_parser("remove", help="remove a stored dataset (all versions, or one)")
    rm.add_argument("dataset")
    rm.add_argument("--version", type=int)
    rm.set_defaults(handler=cmd_remove)


def _pairs(items, what):
    out = {}
    for item in items:
        if "=" not in item:
            raise InputError(f"{what} {item!r} must look like NAME=VALUE")
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def cmd_list(args, progress):
    rows = data.catalog_status()
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return 0
    if not rows:
        print("No datasets. Set SMARTSPEC_DATA_DIR to the offline mirror, or use `smartspec data fetch`.")
        return 0
    for r in rows:
        print(f"{r['dataset']}  (v{r['version']}{', versions ' + str(r['versions']) if len(r['versions']) > 1 else ''})")
        print(f"  {r['title']}")
        print(f"  regions:    {r['regions']} ({r['region_levels']})")
        print(f"  activities: {r['activities']} ({r['activity_levels']})")
        print(f"  years:      {r['years']}")
        print(f"  measures:   {', '.join(r['measures'])}   unit: {', '.join(u or '-' for u in r['units'])}")
        print(f"  values:     {r['observations']:,} ({r['missing']:,} missing/suppressed, kept as missing)")
        print(f"  source:     {r['source']}, retrieved {r['retrieved_at']}  {r['url']}")
        print(f"  licence:    {r['licence']}")
        print()
    return 0


def cmd_show(args, progress):
    regions = None
    if args.region:
        regions = [resolve_region(r).code for r in args.region]
    activities = [normalise_activity(a) for a in args.activity] if args.activity else None
    frame = data.load(args.dataset, regions=regions, years=args.year, activities=activities, measures=args.measure)
    if frame.empty:
        raise SmartspecError(f"{args.dataset}: no observations match this slice")
    if args.estimates:
        from smartspec.analysis.loader import (
            estimated_cells,  # lazy: the analysis costs ~180 ms at start-up
        )

        frame = estimated_cells(args.dataset, frame)
    if args.format == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif args.format == "json":
        print(frame.to_json(orient="records", force_ascii=False))
    else:
        shown = frame if not args.limit else frame.head(args.limit)
        with pd.option_context("display.max_rows", None, "display.width", 200):
            print(shown.to_string(index=False, na_rep="(missing)"))
        if args.limit and len(frame) > args.limit:
            print(f"… {len(frame) - args.limit:,} more rows (use --limit 0 or --format csv)")
    return 0


def cmd_link(args, progress):
    name, version, created = data.link_series(args.old, args.new, dataset=args.dataset)
    print(f"linked {args.old} (NACE Rev. 2, recoded) and {args.new} (NACE Rev. 2.1) as {name} version {version}"
          + ("" if created else " (unchanged)"))
    return 0


def cmd_import(args, progress):
    name, version, created = data.import_file(args.file, dataset=args.dataset, fmt=args.fmt,
                                              mapping=_pairs(args.map, "--map") or None,
                                              defaults=_pairs(args.set, "--set") or None,
                                              measure=args.measure, year=args.year, progress=progress)
    if created:
        print(f"imported {args.file} as {name} version {version}")
    else:
        print(f"{args.file} is already stored as {name} version {version}; nothing to do")
    return 0


def cmd_fetch_eurostat(args, progress):
    from smartspec.data.fetch import (  # lazy: the online fetchers cost ~8 ms at start-up
        EurostatClient,
        fetch_eurostat,
    )

    version, created = fetch_eurostat(args.code, fmt=args.fmt, start=args.since, end=args.until, progress=progress,
                                      client=EurostatClient(args.base_url))
    print(f"{args.code}: {'stored as version' if created else 'unchanged, already stored as version'} {version}")
    return 0


def cmd_fetch_scb(args, progress):
    from smartspec.data.fetch import (  # lazy: the online fetchers cost ~8 ms at start-up
        PxWebClient,
        fetch_scb,
    )

    selection = {k: v.split(",") for k, v in _pairs(args.select, "--select").items()} or None
    client = PxWebClient(api=args.api, base_url=args.base_url, lang=args.lang, annual=args.annual,
                         activity_map=_pairs(args.activity, "--activity"))
    if selection is not None:
        full = client.metadata(args.table)
        selection = {**full, **selection}
    version, created = fetch_scb(args.table, api=args.api, selection=selection, lang=args.lang, progress=progress,
                                 dataset=args.dataset, client=client)
    name = args.dataset or args.table.split("/")[-1]
    print(f"{name}: {'stored as version' if created else 'unchanged, already stored as version'} {version}")
    return 0


def cmd_remove(args, progress):
    n = Store().remove(args.dataset, args.version)
    print(f"removed {n} version(s) of {args.dataset}")
    return 0
