"""Benchmark: the full complexity suite in smartspec and in the anchor libraries, side by side.

Synthetic panels (regions × activities × years, about 60 % zeros):
small 21 × 88 × 10, medium 290 × 615 × 10, large 1,200 × 615 × 20.
Suite: RCA, binary specialisation, proximity, density, ECI/PCI, COI/COG for every year.
``smartspec`` holds every year's outputs (``complexity_suite``); ``smartspec-by-year`` takes them
year by year (``iter_complexity_suite``), as economic-complexity's loop over years does.
Each library runs in its own process (and its own venv under benchmarks/.venvs/),
timed as a whole process (interpreter start, imports, loading the panel, computing);
peak memory is the process's maximum resident set size (MiB, printed as MB). Each line gives
wall time and peak memory side by side, each also as a multiple of smartspec's.

    python benchmarks/complexity_suite.py                # all sizes; ecomplexity on small and medium
    python benchmarks/complexity_suite.py --sizes medium --repeat 3
    python benchmarks/complexity_suite.py --all          # also ecomplexity on large (about 6 min, 7 GB)
"""

import argparse
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
VENVS = HERE / ".venvs"
SIZES = {"small": (21, 88, 10), "medium": (290, 615, 10), "large": (1200, 615, 20)}
ANCHORS = {
    "ecomplexity": ["pandas<3", "ecomplexity==0.5.3"],
    "econcomplex": ["pandas<3", "econcomplex==1.0.1"],
    "economic-complexity": ["pandas<3", "economic-complexity==0.3.0"],
}

SCRIPTS = {
    "smartspec": """
        import numpy as np
        from smartspec.metrics import complexity_suite
        x = np.load(PATH)
        out = complexity_suite(x)
        print(float(np.nansum(out["eci"])))
    """,
    "smartspec-by-year": """
        import numpy as np
        from smartspec.metrics import iter_complexity_suite
        x = np.load(PATH)
        print(sum(float(np.nansum(year["eci"])) for year in iter_complexity_suite(x)))
    """,
    "ecomplexity": """
        import numpy as np, pandas as pd, warnings
        warnings.simplefilter("ignore")
        from ecomplexity import ecomplexity
        x = np.load(PATH)
        T, R, A = x.shape
        idx = pd.MultiIndex.from_product([range(T), range(R), range(A)], names=["time", "loc", "prod"])
        df = pd.DataFrame({"val": x.ravel()}, index=idx).reset_index()
        out = ecomplexity(df, {"time": "time", "loc": "loc", "prod": "prod", "val": "val"},
                          check_logsupermodularity=False, verbose=False)
        print(float(out["eci"].sum()))
    """,
    "econcomplex": """
        import numpy as np, pandas as pd, warnings
        warnings.simplefilter("ignore")
        import econcomplex as ecx
        x = np.load(PATH)
        T, R, A = x.shape
        idx = pd.MultiIndex.from_product([range(T), range(R), range(A)], names=["time", "loc", "act"])
        df = pd.DataFrame({"val": x.ravel()}, index=idx).reset_index()
        out = ecx.compute_complexity(df, {"loc": "loc", "act": "act", "val": "val", "time": "time"})
        print(float(out.filter(like="eci").sum().sum()))
    """,
    "economic-complexity": """
        import numpy as np, pandas as pd, warnings
        warnings.simplefilter("ignore")
        import economic_complexity as ec
        x = np.load(PATH)
        total = 0.0
        for t in range(x.shape[0]):
            rca = ec.rca(pd.DataFrame(x[t]))
            prox = ec.proximity(rca)
            dens = ec.relatedness(rca, proximities=prox)
            eci, pci = ec.complexity(rca)
            gain = ec.opportunity_gain(rca, proximities=prox, pci=pci)
            total += float(eci.sum())
        print(total)
    """,
}


def panel(size: str) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{size}.npy"
    if not path.exists():
        r, a, t = SIZES[size]
        rng = np.random.default_rng(42)
        scale = rng.lognormal(3, 1.2, size=(1, r, 1)) * rng.lognormal(0, 1.0, size=(1, 1, a))
        x = rng.poisson(scale * rng.uniform(0.8, 1.2, size=(t, r, a))).astype(np.float64)
        x[rng.random((t, r, a)) < 0.6] = 0.0
        np.save(path, x)
    return path


def python_for(lib: str) -> str:
    if lib.startswith("smartspec"):
        return sys.executable
    venv = VENVS / lib
    py = venv / "bin" / "python"
    if not py.exists():
        print(f"… creating {venv} with {' '.join(ANCHORS[lib])}", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", *ANCHORS[lib]], check=True)
    return str(py)


def run(lib: str, path: Path) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one whole process running the suite."""
    code = f"PATH = {str(path)!r}\n" + textwrap.dedent(SCRIPTS[lib])
    python = python_for(lib)  # a venv being created is not timed
    start = time.perf_counter()
    proc = subprocess.Popen([python, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{lib} failed: {err[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--libs", default="smartspec,smartspec-by-year,econcomplex,economic-complexity,ecomplexity")
    parser.add_argument("--repeat", type=int, default=1, help="runs per library (the median is reported)")
    parser.add_argument("--all", action="store_true", help="also run ecomplexity on the large panel")
    args = parser.parse_args()
    print(f"{'size':8} {'library':22} {'wall s':>8} {'× time':>8} {'peak MB':>8} {'× memory':>9}")
    for size in args.sizes.split(","):
        path = panel(size)
        base = None
        for lib in args.libs.split(","):
            if lib == "ecomplexity" and size == "large" and not args.all:
                print(f"{size:8} {lib:22} skipped (use --all: about 350 s, 7 GB)")
                continue
            runs = [run(lib, path) for _ in range(args.repeat)]
            wall = sorted(r[0] for r in runs)[len(runs) // 2]  # medians, each on its own
            mem = sorted(r[1] for r in runs)[len(runs) // 2]
            if lib == "smartspec":
                base = (wall, mem)
            times = f"{wall / base[0]:7.1f}×" if base else f"{'':8}"
            memory = f"{mem / base[1]:8.1f}×" if base else f"{'':9}"
            print(f"{size:8} {lib:22} {wall:8.2f} {times} {mem:8.0f} {memory}", flush=True)

if __name__ == "__main__":
    main()
