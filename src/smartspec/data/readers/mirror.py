"""Readers for the offline mirror's tidy re-layouts (see the data directory's README.md)."""

import numpy as np
import pandas as pd

from smartspec.data.tidy import finalise


def read_mirror_sbs(paths) -> pd.DataFrame:
    """``eurostat/sbs_r_nuts06_r2_2014.csv``: persons employed (V16910) by NUTS × NACE.

    Rows without a code (``unmatched``) and the NUTS 2010 duplicates (``*_legacy``) are
    left out. Suppressed cells (``obs_flag = c_or_na``) stay missing with that flag.
    """
    raw = pd.read_csv(paths[0], dtype=str, keep_default_na=False)
    raw = raw[raw["geo_level"].isin(["country", "nuts1", "nuts2"])]
    frame = pd.DataFrame({
        "region": raw["geo"], "activity": raw["nace_r2"], "year": raw["time_period"],
        "measure": raw["indic_sb"], "unit": "PER",
        "value": raw["obs_value"].where(raw["obs_flag"] == "", ""), "flag": raw["obs_flag"]})
    return finalise(frame, path=paths[0], line_of=lambda i: int(i) + 2)


def read_mirror_nama_empers(paths) -> pd.DataFrame:
    """``nama_10r_3empers_*.csv``: employment (persons) by NUTS × A10, one or more files."""
    frames = []
    for path in paths:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        frames.append(finalise(pd.DataFrame({
            "region": raw["geo"], "activity": raw["nace_r2"], "year": raw["time_period"],
            "measure": raw["wstatus"], "unit": raw["unit"], "value": raw["obs_value"], "flag": ""}),
            path=path, line_of=lambda i: int(i) + 2))
    out = pd.concat(frames, ignore_index=True)
    return out.drop_duplicates(["region", "activity", "year", "measure", "unit"], keep="first")


def read_mirror_gdp(paths) -> pd.DataFrame:
    """``nama_10r_3gdp_SE.csv``: regional GDP in several units (activity TOTAL)."""
    raw = pd.read_csv(paths[0], dtype=str, keep_default_na=False)
    return finalise(pd.DataFrame({
        "region": raw["geo"], "activity": "TOTAL", "year": raw["time_period"], "measure": "GDP",
        "unit": raw["unit"], "value": raw["obs_value"], "flag": ""}), path=paths[0], line_of=lambda i: int(i) + 2)


def read_mirror_indicators(paths) -> pd.DataFrame:
    """``nuts2_indicators_2007_2018.csv``: one column per indicator, melted to one measure each."""
    raw = pd.read_csv(paths[0], dtype={"NUTS_ID": str})
    skip = ["year", "NUTS_ID", "CNTR_CODE", "NUTS_NAME", "LEVL_CODE"]
    long = raw.melt(id_vars=["year", "NUTS_ID"], value_vars=[c for c in raw.columns if c not in skip],
                    var_name="measure", value_name="value")
    long = long.dropna(subset=["value"])
    return finalise(pd.DataFrame({"region": long["NUTS_ID"], "activity": "TOTAL", "year": long["year"],
                                  "measure": long["measure"], "unit": "", "value": long["value"],
                                  "flag": ""}), path=paths[0])


def read_mirror_rd(paths) -> pd.DataFrame:
    """``rd_p_persreg_2009_2018.csv``: R&D personnel, FTE."""
    raw = pd.read_csv(paths[0], dtype=str, keep_default_na=False)
    measure = raw["prof_pos"] + "," + raw["sex"] + "," + raw["sectperf"]
    value = raw["values"].replace({":": ""})
    return finalise(pd.DataFrame({"region": raw["geo"], "activity": "TOTAL", "year": raw["time"],
                                  "measure": measure, "unit": raw["unit"], "value": value,
                                  "flag": np.where(value == "", "na", "")}),
                    path=paths[0], line_of=lambda i: int(i) + 2)
