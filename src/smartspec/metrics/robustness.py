"""Robustness of specialisations built on small counts."""

from __future__ import annotations

import numpy as np

from smartspec.metrics._input import as_matrix, as_vector, safe_divide


def specialisation_stability(X, *, threshold: float = 1.0, draws: int = 500, method: str = "poisson",
                             seed: int | None = 0, totals=None, missing="raise"):
    r"""Share of resampled draws in which each cell's RCA ≥ ``threshold``.

    * ``poisson``: every count is redrawn as :math:`\tilde X_{rp} \sim \text{Poisson}(X_{rp})`;
    * ``multinomial``: each region's total is redistributed over its activities with
      probabilities :math:`X_{rp}/X_r` (a bootstrap of the region's jobs).

    RCA is recomputed on every draw with the draw's own totals, or against fixed
    activity ``totals`` (e.g. Europe's, which one region's noise barely moves). A value near 1 (or 0)
    is a stable specialisation (or non-specialisation); values in between, typical
    of small counts, flag fragile specialisations. Deterministic for a given ``seed``.

    Reference: the small-count instability of LQs is discussed by O'Donoghue, D. &
    Gleave, B. (2004). A note on methods for measuring industrial agglomeration.
    Regional Studies 38(4), 419-427 (which proposes a standardised LQ).
    """
    m = as_matrix(X, missing=missing, allow_sparse=False, allow_panel=False)
    x = m.values
    fixed = None if totals is None else as_vector(totals, name="totals", labels=m.cols, length=x.shape[1])
    rng = np.random.default_rng(seed)
    hits = np.zeros_like(x)
    chunk = max(1, int(2e7 // max(1, x.size)))
    done = 0
    while done < draws:
        n = min(chunk, draws - done)
        if method == "poisson":
            sample = rng.poisson(np.broadcast_to(x, (n,) + x.shape)).astype(float)
        elif method == "multinomial":
            totals = x.sum(axis=1).astype(np.int64)
            probs = safe_divide(x, x.sum(axis=1, keepdims=True))
            sample = np.stack([rng.multinomial(totals, probs) for _ in range(n)]).astype(float)
        else:
            raise ValueError("method must be 'poisson' or 'multinomial'")
        if fixed is None:
            share = safe_divide(sample.sum(axis=-2, keepdims=True), sample.sum(axis=(-2, -1), keepdims=True))
        else:
            share = fixed / fixed.sum()
        rca = safe_divide(safe_divide(sample, sample.sum(axis=-1, keepdims=True)), share)
        hits += (rca >= threshold).sum(axis=0)
        done += n
    return m.like(hits / draws)
