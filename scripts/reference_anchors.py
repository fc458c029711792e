"""Compute reference values with the anchor libraries (run in a throwaway venv).

Usage: python reference_anchors.py INPUT.csv OUTDIR
INPUT.csv is a regions × activities matrix (first column the region codes).
Writes gzipped CSVs of the anchors' outputs to OUTDIR. Run by
scripts/make-reference-fixtures.sh; the tests read the files it writes.
"""

import sys
from pathlib import Path

import pandas as pd

X = pd.read_csv(sys.argv[1], index_col=0, dtype={0: str})
X.columns = [str(c) for c in X.columns]
out = Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)


def save(name, frame):
    frame.to_csv(out / f"{name}.csv.gz", float_format="%.17g")


# --- ecomplexity 0.5.3 (Growth Lab) ---------------------------------------------------------
import ecomplexity  # noqa: E402

long = X.stack().rename("val").reset_index()
long.columns = ["loc", "prod", "val"]
long["time"] = 2014
res = ecomplexity.ecomplexity(long, {"time": "time", "loc": "loc", "prod": "prod", "val": "val"},
                              check_logsupermodularity=False, verbose=False)
save("ecomplexity_cells", res.set_index(["loc", "prod"])[["rca", "mcp", "density", "cog"]])
save("ecomplexity_regions", res.groupby("loc")[["eci", "coi", "diversity"]].first())
save("ecomplexity_activities", res.groupby("prod")[["pci", "ubiquity"]].first())
prox = ecomplexity.proximity(long, {"time": "time", "loc": "loc", "prod": "prod", "val": "val"})
save("ecomplexity_proximity", prox.set_index(["prod_1", "prod_2"])[["proximity"]])

# --- economic-complexity 0.3.0 (Datawheel) ------------------------------------------------------
import economic_complexity as ec  # noqa: E402

rca = ec.rca(X)
save("ec_rca", rca)
save("ec_proximity", ec.proximity(rca))
save("ec_relatedness", ec.relatedness(rca))
eci, pci = ec.complexity(rca, iterations=20)
save("ec_eci_reflections", eci.rename("eci").to_frame())
save("ec_pci_reflections", pci.rename("pci").to_frame())
se = rca.loc[[r for r in rca.index if r.startswith("SE")]]
sub, _ = ec.complexity_subnational(se, pci)
save("ec_subnational_se", sub.rename("eci").to_frame())

# --- econcomplex 1.0.1 ------------------------------------------------------------------------
import econcomplex as ecx  # noqa: E402

spec = pd.DataFrame({
    "krugman": ecx.krugman_index(X),
    "herfindahl": ecx.herfindahl(X, normalize=False),
    "herfindahl_normalised": ecx.herfindahl(X, normalize=True),
    "entropy": ecx.shannon_entropy(X, base=2.0),
})
save("ecx_regions", spec)
save("ecx_activities", pd.DataFrame({"hoover": ecx.hoover_index(X), "locational_gini": ecx.locational_gini(X)}))
fit, comp = ecx.fitness_complexity(X, iterations=5000, tol=1e-15)
save("ecx_fitness", fit.rename("fitness").to_frame())
save("ecx_complexity", comp.rename("complexity").to_frame())
M = ecx.rca(X, binary=True)
for method in ("probability", "association", "cosine", "jaccard"):
    save(f"ecx_relatedness_{method}", ecx.relatedness_index(M, method=method))
print("wrote", sorted(p.name for p in out.iterdir()))
