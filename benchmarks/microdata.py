"""Benchmark: microdata aggregation on DuckDB and Spark (local mode), side by side.

For each size (spell rows) it generates synthetic microdata once (cached under
benchmarks/.cache/microdata-N, about 10 bytes a row), then runs
``smartspec microdata aggregate`` as a separate process per engine and prints
wall time, spell rows per second and the peak memory of the whole process tree
(Python plus DuckDB, or plus Spark's JVM), sampled every 0.2 s. The Spark
outputs are compared with DuckDB's, table by table, and must be identical.

    python benchmarks/microdata.py                        # DuckDB 1e6, 1e7, 1e8; Spark 1e6, 1e7
    python benchmarks/microdata.py --sizes 1e6 --engines duckdb,spark
    python benchmarks/microdata.py --memory-limit 6GB     # DuckDB's cap (default 4GB; spills to disk beyond it)
    python benchmarks/microdata.py --sizes 1e6 --engines duckdb,local[1],local[2],standalone

Engines: ``duckdb``; ``spark`` (local[*]); ``local[N]`` (Spark local mode with N cores);
``standalone`` (a Spark standalone cluster started here: a master and one worker with
``--worker-cores`` cores and 2 GB as separate JVMs, stopped at the end; the driver is
the command's process). Cluster start-up is not counted; the driver's JVM start is.

Targets (issue #8): 1e8 rows on DuckDB within 10 minutes and 8 GB.
"""

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
SMARTSPEC = [sys.executable, "-m", "smartspec"]
OUTPUTS = ("", "-patents", "-flows", "-regionflows", "-colocation")


def peak_rss(proc: subprocess.Popen) -> tuple[int, float]:
    """Run ``proc`` to the end while sampling its process tree's resident memory."""
    import psutil

    peak = 0
    root = psutil.Process(proc.pid)
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            try:
                procs = [root] + root.children(recursive=True)
                peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.2)

    t0 = time.perf_counter()
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    code = proc.wait()
    seconds = time.perf_counter() - t0
    done.set()
    thread.join()
    if code:
        raise SystemExit(f"the run failed with exit code {code}")
    return peak, seconds


def dataset(rows: int) -> Path:
    folder = CACHE / f"microdata-{rows:.0e}".replace("+", "")
    if not (folder / "_smartspec.json").exists():
        print(f"generating {rows:,} spell rows into {folder} …", flush=True)
        t0 = time.perf_counter()
        subprocess.run([*SMARTSPEC, "microdata", "generate", "--rows", str(rows), "--out", str(folder)],
                       check=True, stderr=subprocess.DEVNULL)
        print(f"  generated in {time.perf_counter() - t0:.0f} s", flush=True)
    return folder


def run(engine: str, folder: Path, out: Path, memory_limit: str, master: str | None = None,
        partitions: int | None = None) -> tuple[int, float]:
    cmd = [*SMARTSPEC, "microdata", "aggregate", str(folder), "--out", str(out),
           "--engine", "duckdb" if engine == "duckdb" else "spark"]
    if engine == "duckdb" and memory_limit:
        cmd += ["--memory-limit", memory_limit]
    if master:
        cmd += ["--spark-master", master]
    if partitions:
        cmd += ["--spark-partitions", str(partitions)]
    return peak_rss(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))


def start_standalone(cores: int):
    """A master and one worker from the pyspark package (tests/microdata/sparkcluster.py)."""
    import tempfile

    sys.path.insert(0, str(HERE.parent))
    from tests.microdata import sparkcluster

    workdir = Path(tempfile.mkdtemp(prefix="smartspec-standalone-"))
    cluster = sparkcluster.StandaloneCluster(workdir)
    cluster.worker_cores, cluster.worker_memory = cores, "2g"
    return cluster.start()


def identical(a: Path, b: Path) -> bool:
    import pyarrow.parquet as pq

    return all(pq.read_table(a.with_name(a.stem + s + ".parquet")).equals(pq.read_table(b.with_name(b.stem + s + ".parquet")))
               for s in OUTPUTS)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1e6,1e7,1e8")
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--spark-max", type=float, default=1e7, help="largest size run on Spark (default 1e7)")
    parser.add_argument("--memory-limit", default="4GB")
    parser.add_argument("--worker-cores", type=int, default=1, help="cores of the standalone worker (default 1)")
    parser.add_argument("--spark-partitions", type=int, help="Spark shuffle partitions (default: the engine's)")
    args = parser.parse_args(argv)
    os.environ.setdefault("SMARTSPEC_DATA_DIR", str(HERE.parent.parent / "shared" / "data"))
    engines = args.engines.split(",")
    cluster = start_standalone(args.worker_cores) if "standalone" in engines else None
    try:
        return _measure(args, engines, cluster)
    finally:
        if cluster:
            cluster.stop()


def _measure(args, engines, cluster) -> int:
    print(f"{'rows':>12} {'engine':10} {'seconds':>8} {'rows/s':>12} {'peak MB':>8}  same as DuckDB")
    for size in (int(float(s)) for s in args.sizes.split(",")):
        folder = dataset(size)
        outs, times = {}, {}
        for engine in engines:
            if engine != "duckdb" and size > args.spark_max:
                continue
            master = (cluster.url if engine == "standalone" else engine if engine.startswith("local") else None)
            name = engine.replace("[", "").replace("]", "")
            out = CACHE / f"agg-{name}-{size:.0e}.parquet".replace("+", "")
            peak, seconds = run(engine, folder, out, args.memory_limit, master,
                                None if engine == "duckdb" else args.spark_partitions)
            outs[engine], times[engine] = out, seconds
            same = "" if engine == "duckdb" or "duckdb" not in outs else ("yes" if identical(outs["duckdb"], out) else "NO")
            print(f"{size:>12,} {engine:10} {seconds:8.1f} {size / seconds:12,.0f} {peak / 2**20:8.0f}  {same}",
                  flush=True)
        if "duckdb" in times and "spark" in times:
            print(f"{'':>12} Spark local takes {times['spark'] / times['duckdb']:.1f}× DuckDB's time", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
