"""The outside world: structurally similar benchmark regions, and partner regions."""

from __future__ import annotations

import numpy as np

from smartspec.errors import InputError
from smartspec.metrics._input import pd, safe_divide
from smartspec.metrics.relatedness import relatedness_density


def structural_similarity(features: pd.DataFrame, region, *, weights=None, k: int = 10,
                          exclude_same_country: bool = False, country=None) -> pd.DataFrame:
    r"""The ``k`` regions most similar to ``region`` on structural variables.

    Each variable is standardised (z-score across the regions given), weighted, and
    the synthetic distance is the weighted Euclidean distance

    .. math:: D_{ab} = \sqrt{\sum_v w_v (z_{av} - z_{bv})^2 / \sum_v w_v}

    Regions with a missing variable are compared on the variables both have
    (weights renormalised). Use structural variables only (population, density,
    industrial structure, education…), never performance variables.
    ``exclude_same_country`` drops regions of the same country (the first two
    letters of the code, or ``country`` as a Series).

    Parameters
    ----------
    features : DataFrame
        Regions × structural variables.
    region : label
        The region to compare.
    weights : dict or Series, optional
        Weight of each variable (default: equal; variables not named get 0).
    k : int, default 10
        The number of regions returned.
    exclude_same_country : bool, default False
        Leave out the region's own country.
    country : Series, optional
        Each region's country (default: the code's first two letters).

    Returns
    -------
    DataFrame
        The ``k`` nearest regions, nearest first, with their distance.

    Raises
    ------
    InputError
        When ``region`` is not among the regions of ``features``.

    References
    ----------
    Navarro, M., Gibaja, J. J., Franco, S., Murciego, A., Gianelle, C., Hegyi, F. B.
    & Kleibrink, A. (2014). Regional benchmarking in the smart specialisation
    process: identification of reference regions based on structural similarity.
    JRC S3 Working Paper 03/2014.

    Examples
    --------
    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> f = pd.DataFrame({"population": [280, 290, 1500, 300], "density": [16, 18, 300, 10]},
    ...                  index=["SE311", "SE312", "DE300", "FI1D1"])
    >>> mt.structural_similarity(f, "SE311", k=2).round(3)
           distance  variables_compared  rank
    SE312     0.018                   2     1
    FI1D1     0.044                   2     2
    >>> mt.structural_similarity(f, "SE311", k=2, exclude_same_country=True).round(3)
           distance  variables_compared  rank
    FI1D1     0.044                   2     1
    DE300     2.313                   2     2
    """
    if region not in features.index:
        raise InputError(f"region {region!r} is not among the {len(features)} regions with these variables")
    z = (features - features.mean()) / features.std(ddof=0).replace(0, np.nan)
    w = pd.Series(1.0, index=features.columns) if weights is None else pd.Series(weights).reindex(features.columns).fillna(0.0)
    diff2 = (z - z.loc[region]) ** 2
    known = diff2.notna()
    wsum = known.mul(w, axis=1).sum(axis=1)
    dist = np.sqrt(safe_divide(diff2.fillna(0.0).mul(w, axis=1).sum(axis=1), wsum))
    out = pd.DataFrame({"distance": dist, "variables_compared": known.sum(axis=1)}).drop(index=region)
    out = out[out["variables_compared"] > 0]
    if exclude_same_country:
        cc = country if country is not None else pd.Series(features.index.str[:2], index=features.index)
        out = out[cc.reindex(out.index) != cc[region]]
    out = out.sort_values(["distance"]).head(k)
    out["rank"] = np.arange(1, len(out) + 1)
    return out


def partner_scores(rca: pd.DataFrame, relatedness: pd.DataFrame, home, *, threshold: float = 1.0,
                   weights=(0.5, 0.5), exclude_same_country: bool = False, evidence: int = 5) -> pd.DataFrame:
    r"""Score every other region as a potential partner of ``home``.

    * similarity: cosine of the two RCA vectors (shared specialisation profile);
    * complementarity: the share of the partner's specialisations that ``home``
      lacks but is related to, weighted by ``home``'s relatedness density there,

      .. math:: C_{h,c} = \frac{\sum_p M_{cp}(1-M_{hp})\,\omega_{hp}}{\sum_p M_{cp}}

    score = weighted mean of the two, each rescaled to [0, 1] over the candidates.
    The evidence columns list the shared specialisations and the complementary
    activities (highest :math:`\omega_{hp}` first).

    Parameters
    ----------
    rca : DataFrame
        Regions × activities RCA (complete: no missing values).
    relatedness : DataFrame
        Activities × activities relatedness (e.g. proximity).
    home : label
        The home region.
    threshold : float, default 1.0
        The RCA of a specialisation.
    weights : tuple of float, default (0.5, 0.5)
        Weights of similarity and complementarity.
    exclude_same_country : bool, default False
        Leave out regions of the home region's country (first two letters).
    evidence : int, default 5
        How many activities the evidence columns list.

    Returns
    -------
    DataFrame
        One row per candidate, best first: ``score``, ``similarity``,
        ``complementarity`` and the evidence columns.

    Raises
    ------
    InputError
        When ``home`` is not in ``rca``, or ``rca`` has missing values.

    References
    ----------
    Balland, P.-A., Boschma, R., Crespo, J. & Rigby, D. L. (2019). Smart
    specialization policy in the European Union. Regional Studies 53(9), 1252-1268
    (relatedness as the basis of complementary partners); Navarro et al. (2014),
    JRC S3 Working Paper 03/2014.

    Examples
    --------
    >>> import pandas as pd
    >>> from smartspec import metrics as mt
    >>> X = pd.DataFrame([[20, 10, 10], [10, 10, 20], [10, 20, 10], [20, 12, 8]],
    ...                  index=["a", "b", "c", "d"], columns=["x", "y", "z"])
    >>> rca = mt.location_quotient(X)
    >>> phi = mt.proximity(mt.location_quotient(X, threshold=1))
    >>> mt.partner_scores(rca, phi, "a")[["score", "similarity", "complementarity"]].round(3)
       score  similarity  complementarity
    d  0.500       0.992              0.0
    c  0.016       0.844              0.0
    b  0.000       0.839              0.0
    """
    if home not in rca.index:
        raise InputError(f"region {home!r} is not in the RCA matrix")
    M = (rca >= threshold).astype(float).where(rca.notna())
    if M.isna().any().any():
        raise InputError("rca has missing values; compute it from complete data or fill them first")
    r = rca.to_numpy()
    h = r[rca.index.get_loc(home)]
    norms = np.linalg.norm(r, axis=1) * np.linalg.norm(h)
    similarity = pd.Series(safe_divide(r @ h, norms), index=rca.index)
    omega = relatedness_density(M.loc[[home]], relatedness).iloc[0]
    mh = M.loc[home]
    gain = M.mul((1 - mh) * omega, axis=1).sum(axis=1)
    complementarity = pd.Series(safe_divide(gain.to_numpy(), M.sum(axis=1).to_numpy()), index=rca.index)
    out = pd.DataFrame({"similarity": similarity, "complementarity": complementarity}).drop(index=home)
    if exclude_same_country:
        out = out[out.index.str[:2] != str(home)[:2]]
    scaled = (out - out.min()) / (out.max() - out.min()).replace(0, np.nan)
    out["score"] = (weights[0] * scaled["similarity"].fillna(0) + weights[1] * scaled["complementarity"].fillna(0)) / sum(weights)
    cols = np.asarray(M.columns)
    own = mh.to_numpy() == 1
    order = np.argsort(-omega.to_numpy(), kind="stable")
    rows = M.loc[out.index].to_numpy() == 1
    out["shared"] = [", ".join(cols[row & own]) for row in rows]
    out["complementary"] = [", ".join(cols[order[(row & ~own)[order]]][:evidence]) for row in rows]
    return out.sort_values("score", ascending=False)
