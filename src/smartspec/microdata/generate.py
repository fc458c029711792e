"""Synthetic microdata with a realistic structure, for tests, demos and benchmarks.

What is drawn from real data (the data directory or the fetchers):

* employment by län × NACE A10 group (``nama_10r_3empers``, 2017), split into
  divisions by the NUTS 2 region's division mix (``sbs_r_nuts06_r2``, 2014;
  suppressed cells take the national mix) and spread over kommuner by
  population (``sweden/kommun_lan_nuts3.csv``) with a lognormal local tilt per
  kommun × division, so that kommuner specialise;
* classes within a division get Zipf weights;
* job moves go to industry j from industry i with probability ∝ employment of j
  × exp(β·w_ij), where w_ij is the published UK skill-relatedness between the
  four-digit classes (relatedness/uk_sic2007_skill_relatedness, when present)
  or, for pairs it lacks, a step by the NACE tree (same group 0.5, division
  0.2, section −0.3, else −0.7); 70% of moves stay in the län.

Establishment sizes are lognormal (σ = 1.3: most are small, a few are large).
Each person holds one job a year over a career of 1–Y years; ``rows`` is the
exact number of spell rows. Everything is seeded and reproducible.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from smartspec import config, data
from smartspec.data.classifications.nace import ancestor_at, divisions_of, known_classes
from smartspec.data.paths import require_data_file
from smartspec.errors import InputError

MOVE_RATE = 0.12
STAY_IN_LAN = 0.7
BETA = 3.0
SIZE_SIGMA = 1.3

#: IPC subclasses and the NACE divisions whose regions invent in them.
IPC = {
    "A01B": ("01",), "A23L": ("10",), "A61K": ("21",), "A61B": ("26", "32"), "A47L": ("27",),
    "B01D": ("28", "20"), "B23K": ("25", "28"), "B27N": ("16",), "B60W": ("29",), "B63B": ("30",),
    "B64C": ("30",), "B65D": ("17", "22"), "C08L": ("20", "22"), "C12N": ("21", "72"), "C21D": ("24",),
    "C22C": ("24",), "D21H": ("17",), "E04B": ("41", "43"), "F03D": ("28", "35"), "F16C": ("28",),
    "F24F": ("28", "43"), "G01N": ("26", "72"), "G05B": ("26", "28", "62"), "G06F": ("26", "62"),
    "G06Q": ("62", "63", "64"), "H01M": ("27",), "H02J": ("27", "35"), "H04L": ("26", "61"),
    "H04W": ("26", "61"), "H05K": ("26",),
}


def generate(out, rows: int, *, years=(2005, 2024), seed: int = 0, progress=None) -> dict:
    """Write establishments/, spells/ and patents/ under ``out``; return a summary."""
    if rows < 1:
        raise InputError(f"--rows must be positive, not {rows}")
    y0, y1 = years
    if y1 < y0:
        raise InputError(f"the first year {y0} is after the last {y1}")
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise InputError("the output folder exists and is not empty; choose a new one", path=out)
    rng = np.random.default_rng(seed)
    say = progress or (lambda message: None)
    say("drawing the region × industry structure from Eurostat and SCB data")
    world = _World.build(rng)
    careers = _careers(rng, rows, y0, y1)
    est = world.establishments(rng, n=max(len(world.classes), math.ceil(len(careers[0]) / 8)))
    say(f"{len(careers[0]):,} persons, {len(est['region']):,} establishments, {len(world.classes)} industries")
    employees = _write_spells(out / "spells", rng, world, est, careers, y0, y1, say)
    _write_establishments(out / "establishments", est, employees, world)
    n_patents = _write_patents(out / "patents", rng, world, max(100, rows // 500), y0, y1)
    summary = {"synthetic": True, "rows": rows, "persons": int(len(careers[0])),
               "establishments": int(len(est["region"])), "patents": n_patents, "years": [y0, y1], "seed": seed,
               "industries": len(world.classes), "move_rate": MOVE_RATE, "stay_in_lan": STAY_IN_LAN, "beta": BETA,
               "relatedness_source": world.relatedness_source,
               "structure_sources": ["nama_10r_3empers (Eurostat, CC BY 4.0)", "sbs_r_nuts06_r2 (Eurostat, CC BY 4.0)",
                                     "kommun_lan_nuts3.csv (SCB, CC BY 4.0)"]}
    (out / "_smartspec.json").write_text(json.dumps(summary, indent=2))
    say(f"wrote {rows:,} spell rows to {out}")
    return summary


class _World:
    """Kommun × class employment weights and the industry transition kernel."""

    def __init__(self, kommuner, lan_of, classes, weights, kernel, relatedness_source):
        self.kommuner, self.lan_of, self.classes = kommuner, lan_of, classes
        self.weights, self.kernel, self.relatedness_source = weights, kernel, relatedness_source

    @classmethod
    def build(cls, rng):
        km, lan_div = _lan_division_employment()
        classes, class_div = _classes(lan_div.columns)
        lan_codes = sorted(km["nuts3_2016"].unique())
        lan_index = {c: i for i, c in enumerate(lan_codes)}
        lan_of = km["nuts3_2016"].map(lan_index).to_numpy()
        pop = km["population"].to_numpy(float)
        pop_share = pop / pd.Series(pop).groupby(lan_of).transform("sum").to_numpy()
        divisions = list(lan_div.columns)
        tilt = rng.lognormal(0.0, 0.8, size=(len(km), len(divisions)))
        kd = pop_share[:, None] * tilt
        kd /= pd.DataFrame(kd).groupby(lan_of).transform("sum").to_numpy()
        kd *= lan_div.reindex(lan_codes).to_numpy()[lan_of]
        col = np.array([divisions.index(d) for d in class_div])
        within = _zipf_within(rng, class_div)
        weights = kd[:, col] * within[None, :]
        keep = weights.sum(axis=0) > 0
        classes, class_div, weights = [c for c, k in zip(classes, keep) if k], class_div[keep], weights[:, keep]
        w, source = _relatedness_weights(classes)
        kernel = weights.sum(axis=0)[None, :] * np.exp(BETA * w)
        kernel /= kernel.sum(axis=1, keepdims=True)
        return cls(km["kommun_kod"].to_numpy(), lan_of, classes, weights, kernel, source)

    def establishments(self, rng, n: int) -> dict:
        n_k, n_c = self.weights.shape
        flat = self.weights.ravel() / self.weights.sum()
        cells = rng.choice(flat.size, size=n - n_c, p=flat)
        by_class = self.weights / self.weights.sum(axis=0)  # one establishment per industry, placed by weight
        seed_kommun = (by_class.cumsum(axis=0) < rng.random(n_c)).sum(axis=0).clip(max=n_k - 1)
        seed_cells = seed_kommun * n_c + np.arange(n_c)
        cells = np.concatenate([seed_cells, cells])
        kommun, klass = np.divmod(cells, n_c)
        return {"region": kommun, "industry": klass, "lan": self.lan_of[kommun],
                "size": rng.lognormal(0.0, SIZE_SIGMA, size=n)}


def _lan_division_employment():
    km = pd.read_csv(require_data_file("sweden/kommun_lan_nuts3.csv"), dtype={"kommun_kod": str, "lan_kod": str})
    if km["population"].isna().all():  # a kommun table fetched from SCB has no population: equal weights
        km["population"] = 1.0
    km = km.dropna(subset=["population"])
    nama = data.load("nama_10r_3empers", years=[2017])
    groups = ("A", "B-E", "F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U")
    a10 = nama[nama["region"].str.len().eq(5) & nama["region"].str.startswith("SE") & nama["activity"].isin(groups)]
    a10 = a10.pivot_table(index="region", columns="activity", values="value").fillna(0.0)
    sbs = data.load("sbs_r_nuts06_r2", years=[2014])
    sbs = sbs[sbs["region"].str.startswith("SE") & sbs["activity"].str.fullmatch(r"\d\d")]
    wide = sbs.pivot_table(index="region", columns="activity", values="value", dropna=False)
    national = wide.loc["SE"] / wide.loc["SE"].sum()
    cols = {}
    for g in groups:
        divs = list(divisions_of(g))
        for lan in a10.index:
            mix = wide.reindex(index=[lan[:4]], columns=divs).iloc[0]
            mix = mix.fillna(national.reindex(divs) * wide.loc[lan[:4]].sum()) if mix.notna().any() else None
            mix = mix if mix is not None and mix.sum() > 0 else pd.Series(1.0, index=divs)
            share = (mix / mix.sum()).fillna(0.0)
            for d in divs:
                cols.setdefault(d, {})[lan] = a10.at[lan, g] * share[d]
    return km, pd.DataFrame(cols).fillna(0.0)


def _classes(divisions):
    classes = [c for c in sorted(known_classes()) if c[:2] in set(divisions)]
    if not classes:  # no class list in the data directory: one class per division
        classes = [f"{d}.00" for d in divisions]
    return classes, np.array([c[:2] for c in classes])


def _zipf_within(rng, class_div):
    weights = np.empty(len(class_div))
    for d in np.unique(class_div):
        idx = np.flatnonzero(class_div == d)
        ranks = rng.permutation(len(idx)) + 1
        w = 1.0 / ranks
        weights[idx] = w / w.sum()
    return weights


def _relatedness_weights(classes):
    codes = np.array(classes)
    same_group = np.equal.outer([c[:4] for c in codes], [c[:4] for c in codes])
    same_div = np.equal.outer([c[:2] for c in codes], [c[:2] for c in codes])
    sec = [ancestor_at(c, "section") for c in codes]
    same_sec = np.equal.outer(sec, sec)
    w = np.where(same_group, 0.5, np.where(same_div, 0.2, np.where(same_sec, -0.3, -0.7)))
    source = "NACE tree steps"
    path = (config.data_dir() or Path("/nonexistent")) / "relatedness/uk_sic2007_skill_relatedness/skill_relatedness_2009_2018.csv"
    if path.exists():
        uk = pd.read_csv(path, dtype={"StartIndst": str, "FinalIndst": str}, usecols=["StartIndst", "FinalIndst", "weight"])
        uk = uk[(uk["StartIndst"] != "0000") & (uk["FinalIndst"] != "0000")]
        index = {c.replace(".", ""): i for i, c in enumerate(codes)}
        i = uk["StartIndst"].map(index)
        j = uk["FinalIndst"].map(index)
        ok = i.notna() & j.notna()
        w[i[ok].astype(int).to_numpy(), j[ok].astype(int).to_numpy()] = uk.loc[ok, "weight"].to_numpy()
        source = "UK ASHE skill-relatedness 2009-2018 (ONS via the Alan Turing Institute), NACE tree steps elsewhere"
    np.fill_diagonal(w, 1.0)
    return w, source


def _careers(rng, rows: int, y0: int, y1: int):
    span = y1 - y0 + 1
    n = int(rows / (0.5 * span + 0.5 * (span + 1) / 2) * 1.1) + 10
    full = rng.random(n) < 0.5
    length = np.where(full, span, rng.integers(1, span + 1, size=n))
    cum = np.cumsum(length)
    last = int(np.searchsorted(cum, rows))
    while last >= n:  # unlikely: draw more
        extra = rng.integers(1, span + 1, size=n)
        length = np.concatenate([length, extra])
        cum = np.cumsum(length)
        last = int(np.searchsorted(cum, rows))
        n = len(length)
    length = length[: last + 1].copy()
    length[-1] -= int(cum[last] - rows)
    start = y0 + (rng.random(len(length)) * (span - length + 1)).astype(np.int64)
    return start, length


def _grouped_cdf(group, weight, n_groups):
    """Keys ``g + cumulative share within g`` (sorted) and the item order, for vectorised sampling."""
    order = np.lexsort((np.arange(len(group)), group))
    g, w = group[order], weight[order]
    totals = np.bincount(g, weights=w, minlength=n_groups)
    cum = np.cumsum(w)
    before = np.concatenate([[0.0], np.cumsum(totals)])[g]
    share = (cum - before) / np.where(totals[g] > 0, totals[g], 1.0)
    last = np.r_[g[1:] != g[:-1], True]
    share[last] = 1.0
    return g + share, order, totals > 0


def _pick(keys, order, group, rng):
    idx = np.searchsorted(keys, group + rng.random(len(group)), side="right")
    return order[np.minimum(idx, len(order) - 1)]


def _write_spells(folder, rng, world, est, careers, y0, y1, say):
    start, length = careers
    n_c, n_l = len(world.classes), int(world.lan_of.max()) + 1
    size = est["size"]
    global_cdf = np.cumsum(size) / size.sum()
    by_class = _grouped_cdf(est["industry"], size, n_c)
    by_cell = _grouped_cdf(est["industry"] * n_l + est["lan"], size, n_c * n_l)
    kernel_keys = (np.arange(n_c)[:, None] + np.cumsum(world.kernel, axis=1)).ravel()
    kernel_keys[n_c - 1::n_c] = np.arange(1, n_c + 1)
    current = np.full(len(start), -1, dtype=np.int64)
    industry_dict = pa.array([c.replace(".", "") for c in world.classes])
    region_dict = pa.array(world.kommuner.astype(str))
    employees = {}
    for year in range(y0, y1 + 1):
        active = (start <= year) & (year < start + length)
        enter = active & (current < 0)
        current[enter] = np.searchsorted(global_cdf, rng.random(int(enter.sum())), side="right").clip(max=len(size) - 1)
        movers = np.flatnonzero(active & ~enter & (rng.random(len(start)) < MOVE_RATE))
        if len(movers):
            current[movers] = _move(rng, world, est, current[movers], kernel_keys, by_class, by_cell, n_l)
        ids = np.flatnonzero(active)
        e = current[ids]
        table = pa.table({
            "person": pa.array(ids, pa.int64()), "establishment": pa.array(e, pa.int64()),
            "industry": pa.DictionaryArray.from_arrays(pa.array(est["industry"][e], pa.int32()), industry_dict),
            "region": pa.DictionaryArray.from_arrays(pa.array(est["region"][e], pa.int32()), region_dict)})
        part = folder / f"year={year}"
        part.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, part / "part-0.parquet", row_group_size=1 << 20, compression="zstd")
        employees[year] = np.bincount(e, minlength=len(size))
        say(f"spells {year}: {len(ids):,} rows ({100 * (year - y0 + 1) // (y1 - y0 + 1)}%)")
    return employees


def _move(rng, world, est, origin, kernel_keys, by_class, by_cell, n_l):
    klass = est["industry"][origin]
    target = np.searchsorted(kernel_keys, klass + rng.random(len(origin)), side="right") - klass * len(world.classes)
    target = target.clip(0, len(world.classes) - 1)
    lan = est["lan"][origin]
    cell = target * n_l + lan
    local = (rng.random(len(origin)) < STAY_IN_LAN) & by_cell[2][cell]
    dest = np.empty(len(origin), dtype=np.int64)
    dest[local] = _pick(by_cell[0], by_cell[1], cell[local], rng)
    dest[~local] = _pick(by_class[0], by_class[1], target[~local], rng)
    return dest


def _write_establishments(folder, est, employees, world):
    n = len(est["region"])
    industry = np.array([c.replace(".", "") for c in world.classes])[est["industry"]]
    region = world.kommuner.astype(str)[est["region"]]
    for year, counts in employees.items():
        part = folder / f"year={year}"
        part.mkdir(parents=True, exist_ok=True)
        table = pa.table({"id": pa.array(np.arange(n), pa.int64()), "region": pa.array(region),
                          "industry": pa.array(industry), "employees": pa.array(counts, pa.int64())})
        pq.write_table(table, part / "part-0.parquet", compression="zstd")


def _write_patents(folder, rng, world, n: int, y0: int, y1: int) -> int:
    div = np.array([c[:2] for c in world.classes])
    subclasses = list(IPC)
    regional = np.stack([world.weights[:, np.isin(div, IPC[s])].sum(axis=1) for s in subclasses], axis=1)
    tech_p = regional.sum(axis=0) / regional.sum()
    tech = rng.choice(len(subclasses), size=n, p=tech_p)
    inventors = rng.integers(1, 4, size=n)
    rows = np.repeat(np.arange(n), inventors)
    t = tech[rows]
    region = np.empty(len(rows), dtype=np.int64)
    for k in np.unique(t):
        idx = np.flatnonzero(t == k)
        p = regional[:, k] / regional[:, k].sum()
        region[idx] = rng.choice(len(p), size=len(idx), p=p)
    table = pa.table({
        "id": pa.array([f"P{i:08d}" for i in rows]), "year": pa.array(rng.integers(y0, y1 + 1, size=n)[rows], pa.int32()),
        "technology": pa.array(np.array(subclasses)[t]), "region": pa.array(world.kommuner.astype(str)[region]),
        "fraction": pa.array(1.0 / inventors[rows], pa.float64())})
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / "part-0.parquet", compression="zstd")
    return n
