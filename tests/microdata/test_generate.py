"""The synthetic generator: exact size, reproducible, and realistic in the ways it claims."""

import json

import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pytest

from smartspec.errors import InputError
from smartspec.microdata import generate


def _table(root, name):
    return ds.dataset(root / name, format="parquet", partitioning="hive").to_table().to_pandas()


def test_exact_rows_and_layout(generated):
    spells = _table(generated, "spells")
    assert len(spells) == 200_000
    assert not spells.duplicated(["person", "year"]).any()  # one main job per person and year
    assert sorted(p.name for p in (generated / "spells").iterdir())[0] == "year=2005"
    meta = json.loads((generated / "_smartspec.json").read_text())
    assert meta["synthetic"] is True and meta["rows"] == 200_000
    assert set(spells["region"].astype(str).str.len()) == {4}
    assert set(spells["industry"].astype(str).str.len()) == {4}


def test_reproducible_with_a_seed(tmp_path):
    a = generate(tmp_path / "a", 5_000, seed=3)
    b = generate(tmp_path / "b", 5_000, seed=3)
    c = generate(tmp_path / "c", 5_000, seed=4)
    ta, tb, tc = (_table(tmp_path / x, "spells") for x in "abc")
    assert a == b and ta.equals(tb)
    assert not ta.equals(tc) and c["rows"] == 5_000


def test_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    with pytest.raises(InputError, match="not empty"):
        generate(tmp_path / "x", 100)


def test_establishment_sizes_are_skewed(generated):
    est = _table(generated, "establishments")
    year = est[est["year"] == 2015]["employees"].sort_values(ascending=False).to_numpy()
    top_decile = year[: len(year) // 10].sum() / year.sum()
    assert top_decile > 0.4  # a tenth of the establishments employs more than 40 %
    assert np.median(year) < year.mean() / 1.5


def test_regional_structure_follows_eurostat(generated):
    from smartspec import data

    spells = _table(generated, "spells")
    nama = data.load("nama_10r_3empers", years=[2017], activities=["TOTAL"])
    lan = nama[nama["region"].str.len().eq(5) & nama["region"].str.startswith("SE")].set_index("region")["value"]
    km = pd.read_csv(data.paths.require_data_file("sweden/kommun_lan_nuts3.csv"), dtype=str)
    nuts3 = spells["region"].astype(str).map(dict(zip(km["kommun_kod"], km["nuts3_2016"])))
    synthetic = nuts3.value_counts()
    r = np.corrcoef(lan.reindex(synthetic.index), synthetic)[0, 1]
    assert r > 0.95


def test_moves_concentrate_among_related_industries(generated, data_dir):
    """Moves follow the UK skill-relatedness used to draw them: the recovered
    skill-relatedness of frequent pairs agrees in sign with the published one."""
    spells = _table(generated, "spells").sort_values(["person", "year"])
    nxt = spells.groupby("person").shift(-1)
    moved = (nxt["year"] == spells["year"] + 1) & (nxt["establishment"] != spells["establishment"])
    pairs = pd.DataFrame({"s": spells.loc[moved, "industry"].astype(str), "t": nxt.loc[moved, "industry"].astype(str)})
    uk = pd.read_csv(data_dir / "relatedness/uk_sic2007_skill_relatedness/skill_relatedness_2009_2018.csv",
                     dtype={"StartIndst": str, "FinalIndst": str}, usecols=["StartIndst", "FinalIndst", "weight"])
    w = uk.set_index(["StartIndst", "FinalIndst"])["weight"]
    off = pairs[pairs.s != pairs.t]
    observed = w.reindex(pd.MultiIndex.from_frame(off)).dropna()
    # the same origins with destinations drawn at random from all movers' destinations
    rng = np.random.default_rng(0)
    shuffled = pd.MultiIndex.from_arrays([off.s.to_numpy(), rng.permutation(off.t.to_numpy())])
    baseline = w.reindex(shuffled).dropna()
    assert observed.mean() > baseline.mean() + 0.3
    assert (pairs.s.str[:2] == pairs.t.str[:2]).mean() > 0.3  # many moves stay in the division


def test_patent_fractions_sum_to_one(generated):
    p = _table(generated, "patents")
    assert np.allclose(p.groupby("id")["fraction"].sum(), 1.0)
    assert p["technology"].str.fullmatch(r"[A-H]\d\d[A-Z]").all()
