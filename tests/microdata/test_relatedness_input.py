"""Skill-relatedness from flows: read, rolled up, and fed to the analysis."""

import numpy as np
import pandas as pd
import pytest

from smartspec.analysis import analyse
from smartspec.analysis.relatedness_input import read_relatedness
from smartspec.errors import InputError
from smartspec.microdata import aggregate


def test_flows_by_hand(tmp_path):
    # two industries, flows a→a 6, a→b 2, b→a 2, b→b 6: SR(a,b) = 2 / (8·8/16) = 0.5 → (0.5−1)/(0.5+1) = −1/3
    path = tmp_path / "f.csv"
    pd.DataFrame({"source": ["26.11", "26.11", "62.01", "62.01"], "target": ["26.11", "62.01", "26.11", "62.01"],
                  "moves": [6, 2, 2, 6]}).to_csv(path, index=False)
    matrix, label = read_relatedness(path, level="division")
    assert list(matrix.index) == ["26", "62"]
    assert matrix.at["26", "62"] == pytest.approx(-1 / 3)
    assert matrix.at["26", "26"] == 1.0
    assert "16 job moves" in label


def test_uk_flows_rolled_up_to_divisions(data_dir):
    """Independent check: sum the UK flows by division with pandas and apply the formula by hand."""
    path = data_dir / "relatedness/uk_sic2007_skill_relatedness/flows_2009_2018.csv"
    matrix, _ = read_relatedness(path, level="division")
    raw = pd.read_csv(path, dtype={"StartIndst": str, "FinalIndst": str})
    raw = raw[(raw.StartIndst != "0000") & (raw.FinalIndst != "0000")]
    s, t = raw.StartIndst.str.zfill(4).str[:2], raw.FinalIndst.str.zfill(4).str[:2]  # the file drops leading zeros
    f = raw.assign(s=s, t=t).pivot_table(
        index="s", columns="t", values="Counts", aggfunc="sum", fill_value=0)
    labels = sorted(set(f.index) | set(f.columns))
    f = f.reindex(index=labels, columns=labels, fill_value=0).to_numpy(float)
    expected_flows = np.outer(f.sum(1), f.sum(0)) / f.sum()
    sr = np.divide(f, expected_flows, out=np.zeros_like(f), where=expected_flows > 0)  # no flows: unrelated
    expected = (sr - 1) / (sr + 1)
    np.fill_diagonal(expected, 1.0)
    got = matrix.reindex(index=labels, columns=labels).to_numpy()
    assert np.allclose(got, expected, atol=1e-12)


def test_matrix_input_is_averaged(tmp_path):
    path = tmp_path / "m.csv"
    pd.DataFrame({"source": ["2611", "2612", "2611", "2612"], "target": ["6201", "6201", "2612", "2611"],
                  "weight": [0.2, 0.4, 0.9, 0.9]}).to_csv(path, index=False)
    matrix, label = read_relatedness(path, level="division")
    assert matrix.at["26", "62"] == pytest.approx(0.3)
    assert "averaged" in label


def test_bad_relatedness_file(tmp_path):
    path = tmp_path / "x.csv"
    pd.DataFrame({"source": ["26"], "target": ["62"], "score": [1]}).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"x\.csv.*flow column"):
        read_relatedness(path)


def test_generated_flows_feed_the_analysis(generated, tmp_path):
    """The analysis' density under flow-based skill-relatedness equals the formula
    applied by hand to the same matrix (clipped at 0)."""
    out = tmp_path / "agg.parquet"
    aggregate(generated, out)
    flows = out.with_name("agg-flows.parquet")
    result = analyse("SE31", relatedness=flows, draws=50)
    rel = result["sections"]["relatedness"]
    assert rel["relatedness"].startswith("skill-relatedness from ")
    assert result["parameters"]["relatedness"] == rel["relatedness"]
    matrix, _ = read_relatedness(flows, level="division")
    baseline = analyse("SE31", draws=50)["sections"]["relatedness"]
    acts = [row["activity"] for row in baseline["scatter"]]
    M = pd.Series({row["activity"]: float(row["specialised"]) for row in baseline["scatter"]})
    R = matrix.reindex(index=acts, columns=acts).fillna(0.0).clip(lower=0.0).to_numpy(copy=True)
    np.fill_diagonal(R, 1.0)
    expected = (M.to_numpy() @ R) / R.sum(axis=0)
    got = pd.Series({row["activity"]: row["density"] for row in rel["scatter"]}).reindex(acts)
    assert np.allclose(got.to_numpy(), expected, atol=1e-12)
    assert not np.allclose(got.to_numpy(), [row["density"] for row in baseline["scatter"]])
