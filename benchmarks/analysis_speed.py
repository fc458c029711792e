"""Whole-process timings of ``smartspec analyse`` (issue 12's targets), median of N runs.

* ``analyse SE31 --out x.json`` (target ≤ 1.5 s)
* ``analyse SE31 --out x.html`` (target ≤ 3 s)
* ``analyse Karlstad --dataset <kommun × class, 10 years>`` (target ≤ 3 s), the dataset made by
  ``microdata generate`` → ``aggregate`` → ``data import`` in a scratch workspace.

Run: ``python benchmarks/analysis_speed.py [--runs 5] [--rows 2000000]`` with SMARTSPEC_DATA_DIR set.
The first run of each command (layout of the industry space, dataset summaries) is reported
apart: later runs reuse what the workspace keeps.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SMARTSPEC = str(Path(sys.executable).with_name("smartspec"))


def timed(args, env) -> float:
    started = time.perf_counter()
    subprocess.run([SMARTSPEC, *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=2_000_000)
    opts = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="smartspec-bench-"))
    env = {**os.environ, "SMARTSPEC_HOME": str(work / "home")}
    subprocess.run([SMARTSPEC, "microdata", "generate", "--rows", str(opts.rows), "--years", "2011-2020",
                    "--out", str(work / "in")], env=env, check=True, capture_output=True)
    subprocess.run([SMARTSPEC, "microdata", "aggregate", str(work / "in"), "--out", str(work / "agg.parquet"),
                    "--region-levels", "kommun,nuts3,country", "--activity-levels", "class,division,section"],
                   env=env, check=True, capture_output=True)
    subprocess.run([SMARTSPEC, "data", "import", str(work / "agg.parquet"), "--dataset", "kommun_class"],
                   env=env, check=True, capture_output=True)
    cases = {
        "SE31 → JSON (≤ 1.5 s)": ["analyse", "SE31", "--dataset", "sbs_r_nuts06_r2", "--dataset", "nama_10r_3empers",
                                  "--out", str(work / "x.json")],
        "SE31 → HTML (≤ 3 s)": ["analyse", "SE31", "--dataset", "sbs_r_nuts06_r2", "--dataset", "nama_10r_3empers",
                                "--out", str(work / "x.html")],
        "Karlstad, kommun × class, 10 years → JSON (≤ 3 s)": ["analyse", "Karlstad", "--dataset", "kommun_class",
                                                              "--out", str(work / "k.json")],
    }
    print(f"{'case':55} {'first':>7} {'median':>7}")
    for name, args in cases.items():
        first = timed(args, env)
        runs = [timed(args, env) for _ in range(opts.runs)]
        print(f"{name:55} {first:6.2f}s {statistics.median(runs):6.2f}s")


if __name__ == "__main__":
    main()
