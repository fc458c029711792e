"""``smartspec microdata``: generate synthetic microdata and aggregate microdata on DuckDB or Spark."""

import argparse
import sys

from smartspec.microdata import aggregate, generate
from smartspec.microdata.hierarchy import ACTIVITY_LEVELS, REGION_LEVELS


def register(sub):
    p = sub.add_parser("microdata", help="establishments, employment spells and patents: generate, aggregate")
    s = p.add_subparsers(dest="microdata_command", metavar="ACTION", required=True)

    gen = s.add_parser("generate", help="write realistic synthetic microdata as partitioned Parquet")
    gen.add_argument("--rows", type=_count, required=True, help="spell rows to write (e.g. 1e6, 10000000)")
    gen.add_argument("--out", required=True, help="output folder (new or empty)")
    gen.add_argument("--years", default="2005-2024", help="first-last year (default 2005-2024)")
    gen.add_argument("--seed", type=int, default=0)
    gen.set_defaults(handler=cmd_generate)

    agg = s.add_parser("aggregate", help="aggregate a microdata folder into observations, flows and co-location")
    agg.add_argument("directory", help="folder with establishments/, spells/ and/or patents/")
    agg.add_argument("--out", required=True, help="output FILE.parquet (flows etc. are written beside it)")
    agg.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    agg.add_argument("--spark-master", help="Spark master URL (default local[*]; e.g. spark://host:7077, yarn)")
    agg.add_argument("--region-levels", default=",".join(REGION_LEVELS), help="comma-separated region levels")
    agg.add_argument("--activity-levels", default=",".join(ACTIVITY_LEVELS), help="comma-separated NACE levels")
    agg.add_argument("--window", type=int, default=3, help="years per flow window (default 3)")
    agg.add_argument("--colocation", default="nuts3,division", metavar="REGION_LEVEL,ACTIVITY_LEVEL")
    agg.add_argument("--memory-limit", help="DuckDB memory limit, e.g. 6GB (default: DuckDB's 80%% of RAM)")
    agg.add_argument("--threads", type=int, help="DuckDB threads (default: all cores)")
    agg.set_defaults(handler=cmd_aggregate)


def _count(text: str) -> int:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number such as 1000000 or 1e6, not {text!r}") from None
    return int(value)


def cmd_generate(args, progress):
    try:
        y0, y1 = (int(y) for y in args.years.split("-"))
    except ValueError:
        raise SystemExit(f"smartspec: error: --years must look like 2005-2024, not {args.years!r}") from None
    summary = generate(args.out, args.rows, years=(y0, y1), seed=args.seed, progress=progress)
    print(f"{summary['rows']:,} spell rows, {summary['persons']:,} persons, {summary['establishments']:,} "
          f"establishments, {summary['patents']:,} patents → {args.out}")
    return 0


def cmd_aggregate(args, progress):
    result = aggregate(args.directory, args.out, engine=args.engine, spark_master=args.spark_master,
                       region_levels=_levels(args.region_levels), activity_levels=_levels(args.activity_levels),
                       window=args.window, colocation=tuple(_levels(args.colocation)),
                       memory_limit=args.memory_limit, threads=args.threads, progress=progress)
    for name, (path, rows) in result["outputs"].items():
        print(f"{name:13} {rows:>10,} rows  {path}")
    print(f"engine {result['engine']}: {sum(result['seconds'].values()):.1f} s", file=sys.stderr)
    return 0


def _levels(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]
