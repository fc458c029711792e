"""The real matrix the agreement tests and the reference fixtures share (needs the data layer).

Kept with the tests, not in :mod:`smartspec.metrics`: the metrics layer imports
nothing of :mod:`smartspec.data`.
"""

import pandas as pd

from smartspec import data


def sbs_reference_matrix() -> pd.DataFrame:
    """SBS 2014 persons employed, NUTS2 × NACE division, all European regions.

    Suppressed cells are set to 0 here, explicitly, because the anchor libraries
    cannot take missing cells; extra-regio codes (``…ZZ``) and all-zero rows and
    columns are dropped (py-ecomplexity drops them too). This is a test input, not
    an analysis: smartspec's analysis keeps suppressed cells missing.
    """
    m = data.matrix("sbs_r_nuts06_r2", year=2014, region_level=2, activity_level="division")
    m = m[~m.index.str.endswith("ZZ")].fillna(0.0)
    m = m.loc[m.sum(axis=1) > 0, m.sum(axis=0) > 0]
    m.index.name, m.columns.name = "region", "activity"
    return m
