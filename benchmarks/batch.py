"""Batch analysis as whole processes on this machine (issue 15's targets):

* every NUTS 2 region of the mirror's SBS table as JSON (target ≤ 60 s);
* Sweden's 21 län with HTML reports in Swedish and English (target ≤ 60 s).

Each case runs twice: cold (a fresh workspace: the suppression estimates, complexity reading and
industry-space layout are computed) and warm (they are read from the workspace). Peak memory of the
process tree from GNU time (the parent; workers are forked from it).

Run: ``python benchmarks/batch.py`` with SMARTSPEC_DATA_DIR set.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SMARTSPEC = str(Path(sys.executable).with_name("smartspec"))
CASES = {
    "Europe's NUTS 2 regions → JSON (≤ 60 s)": ["--level", "nuts2", "--dataset", "sbs_r_nuts06_r2",
                                                "--format", "json"],
    "Sweden's 21 län → HTML sv + en (≤ 60 s)": ["--level", "lan", "--country", "SE", "--format", "html",
                                                "--lang", "sv,en"],
}


def run(args, home: Path, out: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([SMARTSPEC, "analyse", "--all", *args, "--out-dir", str(out)], check=True,
                          capture_output=True, text=True, env={**os.environ, "SMARTSPEC_HOME": str(home)})
    return time.perf_counter() - started, done.stdout.strip().splitlines()[0]


def main() -> None:
    print(f"{'case':45} {'cold':>8} {'warm':>8}  result")
    for name, args in CASES.items():
        home = Path(tempfile.mkdtemp(prefix="smartspec-batch-"))
        cold, _ = run(args, home, home / "out1")
        warm, said = run(args, home, home / "out2")
        print(f"{name:45} {cold:7.1f}s {warm:7.1f}s  {said}")


if __name__ == "__main__":
    main()
