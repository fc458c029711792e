"""``smartspec microdata``: generate synthetic microdata and aggregate microdata on DuckDB or Spark."""

import argparse
import shutil
import sys
from pathlib import Path

from smartspec.errors import SmartspecError
from smartspec.microdata import aggregate, generate
from smartspec.microdata.engines import open_engine
from smartspec.microdata.hierarchy import ACTIVITY_LEVELS, REGION_LEVELS
from smartspec.microdata.schema import discover


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
    agg.add_argument("--engine", choices=["duckdb", "spark"], default=None,
                     help="duckdb (default) or spark")
    agg.add_argument("--spark-master", help="Spark master URL (default local[*]; e.g. spark://host:7077, yarn)")
    agg.add_argument("--spark-remote", metavar="sc://HOST:PORT",
                     help="run through a Spark Connect server instead (implies --engine spark)")
    agg.add_argument("--spark-partitions", type=int, metavar="N",
                     help="Spark shuffle partitions (default 8 in local mode, else 200; about 2-4 per executor core "
                          "for small inputs)")
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
    engine, scratch = args.engine or ("spark" if args.spark_remote else "duckdb"), None
    if args.spark_remote and engine != "spark":
        raise SmartspecError("--spark-remote runs on Spark: leave out --engine duckdb")
    if engine == "spark":  # opened here, so that the cluster's stage progress reaches the terminal
        discover(args.directory)  # bad input fails before a JVM starts
        out = Path(args.out)
        scratch = out.parent / f".{out.stem}-tmp"
        engine = open_engine("spark", spark_master=args.spark_master, spark_remote=args.spark_remote,
                             temp_dir=scratch, progress=progress, spark_partitions=args.spark_partitions)
    try:
        result = aggregate(args.directory, args.out, engine=engine, spark_master=args.spark_master,
                           region_levels=_levels(args.region_levels), activity_levels=_levels(args.activity_levels),
                           window=args.window, colocation=tuple(_levels(args.colocation)),
                           memory_limit=args.memory_limit, threads=args.threads, temp_dir=scratch,
                           progress=progress)
    finally:
        if scratch is not None:
            engine.stop()
            shutil.rmtree(scratch, ignore_errors=True)
    for name, (path, rows) in result["outputs"].items():
        print(f"{name:13} {rows:>10,} rows  {path}")
    print(f"engine {result['engine']}: {sum(result['seconds'].values()):.1f} s", file=sys.stderr)
    return 0


def _levels(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]
