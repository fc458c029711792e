"""Issue 15's figures in one run, side by side: microdata aggregation rows per second on
DuckDB, Spark local[1]/local[2] and a standalone cluster; the batch analysis times (all NUTS 2
regions → JSON, Sweden's län → HTML in both languages); the indicator suite's time and peak
memory against the anchor libraries.

Run: ``python benchmarks/beyond_one_machine.py [--rows 1e6] [--sizes medium,large]`` with
SMARTSPEC_DATA_DIR set. Each part is its own script (benchmarks/microdata.py, batch.py,
complexity_suite.py), run here one after the other as separate processes, so that they do
not share memory or caches.
"""

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def part(title: str, script: str, *args: str) -> None:
    print(f"\n=== {title} ===", flush=True)
    subprocess.run([sys.executable, str(HERE / script), *args], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="1e6", help="spell rows of the microdata case (default 1e6)")
    parser.add_argument("--sizes", default="small,medium,large", help="panels of the indicator suite")
    opts = parser.parse_args()
    part("Microdata aggregation: rows per second", "microdata.py", "--sizes", opts.rows,
         "--engines", "duckdb,local[1],local[2],standalone", "--spark-partitions", "8")
    part("Batch analysis of every region", "batch.py")
    part("Indicator suite: time and peak memory against the anchors", "complexity_suite.py", "--sizes", opts.sizes)


if __name__ == "__main__":
    main()
