"""Which complexity measure to report, and when none: the rule of ``docs/methods.md``
("Which complexity measure, and when none").

Pure functions of a binary regions × activities matrix and, optionally, GDP per head;
no data loading.

The rule. The candidates are computed and checked in this order of preference:

1. ``eci`` — the eigenvector ECI/PCI (Hidalgo & Hausmann 2009; Atlas normalisation,
   signed so that ECI correlates positively with diversity): the established measure,
   and the one PCI, COI and COG are built on;
2. ``fitness`` — fitness and complexity (Tacchella et al. 2012), iterated until the
   rankings are stable (Mariani et al. 2015), on the log scale;
3. ``genepy`` — GENEPY (Sciarra et al. 2020), which combines the diversification
   (first eigenvector) and the ECI partition (second eigenvector).

The first candidate that passes every check is reported:

* **one connected matrix** — regions that share no activity with the others cannot be
  ranked against them (checked once, before any candidate);
* **diversity**: Spearman ρ of the region measure with diversity ≥ 0.3. All three
  measures are built as corrections of diversity; one that has lost it measures
  something else (on the mirror's SBS matrix the ECI keeps ρ = 0.20 and orders
  manufacturing against service regions, on world trade ρ = 0.63);
* **income**, when GDP per head is known for at least 30 of the regions: ρ with GDP per
  head > 0, with a one-sided p < 0.05. That complexity rises with income is the fact
  each measure was validated on;
* **eigengap** (ECI only): (λ2 − λ3)/λ2 ≥ 0.1, so that ECI is not an arbitrary mix of
  two nearly tied partitions.

When no candidate passes, ``measure`` is None: the data at hand give no reading of
complexity, and complexity should leave the report's rankings and the opportunity
score. The activity values of the chosen measure are checked separately
(``activity_validated``): with GDP per head, their ρ with the income of the regions
that hold each activity must be > 0 with p < 0.05 (None without GDP per head).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from smartspec.optional import thread_limits

from smartspec.errors import InputError
from smartspec.metrics.complexity import components, eci_pci, fitness_complexity, genepy
from smartspec.metrics.complexity_diagnostics import complexity_diagnostics
from smartspec.metrics.relatedness import _binary

__all__ = ["PREFERENCE", "RULE", "candidate_measures", "choose_measure"]

PREFERENCE = ("eci", "fitness", "genepy")
MIN_DIVERSITY_RHO = 0.3
MIN_GDP_REGIONS = 30
ALPHA = 0.05
MIN_EIGENGAP = 0.1
FITNESS_ITERATIONS, FITNESS_STABLE = 1000, 100

RULE = (f"First of {', '.join(PREFERENCE)} (in this order) whose region values have Spearman ρ ≥ "
        f"{MIN_DIVERSITY_RHO} with diversity and, when GDP per head is known for ≥ {MIN_GDP_REGIONS} regions, "
        f"ρ > 0 with GDP per head (one-sided p < {ALPHA}); ECI also needs a relative eigengap ≥ {MIN_EIGENGAP}; "
        "the regions must form one connected matrix. None when no measure passes.")

SCALE = {"eci": "ECI z-scored (population sd); PCI with ECI's mean and sd (Atlas)",
         "fitness": "log fitness and log complexity, each z-scored",
         "genepy": "log GENEPY of regions and of activities, each z-scored"}


def _z(v: pd.Series) -> pd.Series:
    return (v - v.mean()) / v.std(ddof=0)


def candidate_measures(M) -> dict:
    """Region and activity values of every candidate: ``{name: (regions, activities)}``
    as Series (NaN for regions without specialisations and activities present nowhere),
    on the scales of ``SCALE``. ``M``: a binary regions × activities DataFrame."""
    eci, pci = eci_pci(M)
    f, q = fitness_complexity(M, iterations=FITNESS_ITERATIONS, stable=FITNESS_STABLE, tol=1e-10, log=True)
    gr, ga = genepy(M)
    with np.errstate(divide="ignore"):
        gr, ga = np.log(gr.where(gr > 0)), np.log(ga.where(ga > 0))
    return {"eci": (eci, pci), "fitness": (_z(f), _z(q)), "genepy": (_z(gr), _z(ga))}


def _fmt(test: dict | None) -> str:
    if not test or test["rho"] is None:
        return "n/a"
    return f"ρ = {test['rho']:.2f} (p = {test['p']:.2g}, n = {test['n']})"


def _failures(name: str, diag: dict, use_gdp: bool) -> list[str]:
    out = []
    div = diag["diversity"]
    if div["rho"] is None or div["rho"] < MIN_DIVERSITY_RHO:
        out.append(f"diversity {_fmt(div)} below {MIN_DIVERSITY_RHO}")
    if use_gdp:
        g = diag["gdp_per_head"]
        if g["rho"] is None or g["rho"] <= 0 or g["p"] >= ALPHA:
            out.append(f"GDP per head {_fmt(g)}, not positive at p < {ALPHA}")
    if name == "eci":
        gap = (diag.get("spectrum") or {}).get("eigengap")
        if gap is None or gap < MIN_EIGENGAP:
            out.append(f"eigengap {gap if gap is None else round(gap, 3)} below {MIN_EIGENGAP}")
    return out


def choose_measure(M, *, gdp_per_head=None, diversity=None) -> dict:
    """Apply the rule (module docstring) to a binary regions × activities matrix.

    ``gdp_per_head``: optional Series by region code (regions it lacks are left out of
    the income checks). ``diversity``: optional Series by region (default: M's row sums).
    Returns a dict:

    * ``measure``: ``"eci"``, ``"fitness"``, ``"genepy"`` or None;
    * ``reason``: why (the checks each candidate failed, and what the chosen one showed);
    * ``diagnostics``: ``{name: complexity_diagnostics(...)}`` for every candidate computed;
    * ``region_values`` / ``activity_values``: Series of the chosen measure on its
      ``scale`` (all NaN when ``measure`` is None);
    * ``activity_validated``: True/False from the activity income check, None without
      GDP per head or without a measure;
    * ``checked_against``: ``["diversity"]`` or ``["diversity", "gdp_per_head"]``; ``rule``.
    """
    m = _binary(M)
    if m.dense().ndim != 2:
        raise InputError("choose_measure takes one regions × activities matrix, not a panel")
    if m.rows is None:  # arrays: label by position
        M = pd.DataFrame(m.dense(), index=pd.RangeIndex(m.dense().shape[0], name="region"),
                         columns=pd.RangeIndex(m.dense().shape[1], name="activity"))
    else:
        M = pd.DataFrame(m.dense(), index=m.rows, columns=m.cols)
    x = M.to_numpy()
    rows, cols = x.sum(axis=1) > 0, x.sum(axis=0) > 0
    empty = {"region_values": pd.Series(np.nan, index=M.index, name="complexity"),
             "activity_values": pd.Series(np.nan, index=M.columns, name="complexity"),
             "activity_validated": None, "scale": None, "rule": RULE}

    gdp = None
    if gdp_per_head is not None:
        if hasattr(gdp_per_head, "reindex"):
            gdp = gdp_per_head.reindex(M.index).astype(float)
        else:
            arr = np.asarray(gdp_per_head, dtype=float)
            if arr.shape != (len(M.index),):
                raise InputError(f"gdp_per_head: expected {len(M.index)} values, got shape {arr.shape}")
            gdp = pd.Series(arr, index=M.index)
        gdp = gdp.where(gdp > 0)
    n_gdp = int(gdp[rows].notna().sum()) if gdp is not None else 0
    use_gdp = n_gdp >= MIN_GDP_REGIONS
    checked = ["diversity", "gdp_per_head"] if use_gdp else ["diversity"]

    if rows.sum() < 3 or cols.sum() < 3:
        return {"measure": None, "diagnostics": {}, "checked_against": checked, **empty,
                "reason": "fewer than three regions or activities with specialisations: no complexity to read"}
    groups = int(components(x[rows][:, cols]).max()) + 1
    if groups > 1:
        return {"measure": None, "diagnostics": {}, "checked_against": checked, **empty,
                "reason": f"the regions fall into {groups} groups that share no activity: complexity cannot "
                          "rank them against each other (compute it within each group)"}

    diags, notes, chosen = {}, [], None
    with thread_limits(1):  # small eigenproblems: one BLAS thread is several times faster here
        values = candidate_measures(M)
        for name in PREFERENCE:
            reg, act = values[name]
            diags[name] = complexity_diagnostics(M, reg, act, gdp_per_head=gdp if use_gdp else None, method=name,
                                                 diversity=diversity)
    for name in PREFERENCE:
        failed = _failures(name, diags[name], use_gdp)
        if failed:
            notes.append(f"{name} fails: " + "; ".join(failed))
        elif chosen is None:
            chosen = name
    if chosen is None:
        reason = ("no measure passes, the data at hand give no reading of complexity. " + ". ".join(notes)
                  + ("" if use_gdp else f". Checked against diversity only (GDP per head known for {n_gdp} regions)"))
        return {"measure": None, "diagnostics": diags, "checked_against": checked, **empty, "reason": reason}

    d = diags[chosen]
    said = f"{chosen}: diversity {_fmt(d['diversity'])}"
    if use_gdp:
        said += f", GDP per head {_fmt(d['gdp_per_head'])}"
    else:
        said += f"; checked against diversity only (GDP per head known for {n_gdp} regions)"
    before = [n for n in notes if PREFERENCE.index(n.split(" ")[0]) < PREFERENCE.index(chosen)]
    reason = ". ".join(before + [said])
    validated = None
    if use_gdp:
        ai = d["activity_income"]
        validated = bool(ai and ai["rho"] is not None and ai["rho"] > 0 and ai["p"] < ALPHA)
        if not validated:
            reason += (f". Its activity values do not rise with the income of the regions that hold them "
                       f"({_fmt(ai)}): keep them out of activity rankings")
    reg, act = values[chosen]
    return {"measure": chosen, "reason": reason, "diagnostics": diags, "checked_against": checked,
            "region_values": reg.rename("complexity"), "activity_values": act.rename("complexity"),
            "activity_validated": validated, "scale": SCALE[chosen], "rule": RULE}
