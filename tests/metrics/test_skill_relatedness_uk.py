"""Skill-relatedness from the UK ASHE labour flows against the published normalised matrix."""

import numpy as np
import pandas as pd

from smartspec import metrics as mt


def test_uk_flows_reproduce_published_matrix(data_dir):
    folder = data_dir / "relatedness/uk_sic2007_skill_relatedness"
    flows = pd.read_csv(folder / "flows_2009_2018.csv", dtype={"StartIndst": str, "FinalIndst": str})
    pub = pd.read_csv(folder / "skill_relatedness_2009_2018.csv", dtype={"StartIndst": str, "FinalIndst": str})
    pub = pub[(pub.StartIndst != "0000") & (pub.FinalIndst != "0000") & (pub.StartIndst != pub.FinalIndst)]
    pairs = pub.merge(flows, on=["StartIndst", "FinalIndst"])[["StartIndst", "FinalIndst", "weight"]]
    sr = mt.skill_relatedness(flows)  # directed, within-industry moves in the margins
    ours = sr.stack().rename("ours")
    ours.index.names = ["StartIndst", "FinalIndst"]
    both = pairs.join(ours, on=["StartIndst", "FinalIndst"])
    diff = (both.ours - both.weight).abs()
    assert len(both) == 3113
    assert np.corrcoef(both.ours, both.weight)[0, 1] > 0.999
    assert diff.median() < 0.01 and (diff < 0.05).mean() > 0.95 and diff.max() < 0.15
    # the other null models agree far less: the published one is directed with the diagonal kept
    sym = mt.skill_relatedness(flows, exclude_diagonal=True, symmetrise=True).stack().rename("sym")
    sym.index.names = ["StartIndst", "FinalIndst"]
    alt = pairs.join(sym, on=["StartIndst", "FinalIndst"])
    assert np.corrcoef(alt.sym, alt.weight)[0, 1] < 0.95
    assert (sr.to_numpy().diagonal() == 1).all()
