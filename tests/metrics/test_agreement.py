"""Agreement with the anchor libraries on the real SBS 2014 NUTS2 × division matrix.

The reference values in tests/fixtures/reference/ were produced by
scripts/make-reference-fixtures.sh with the versions in VERSIONS.txt.
"""

import numpy as np
import pandas as pd
import pytest

from smartspec import metrics as mt
from tests.conftest import FIXTURES
from tests.reference import sbs_reference_matrix

REF = FIXTURES / "reference"
TOL = 1e-9


def ref(name, index_col=0):
    keys = index_col if isinstance(index_col, list) else [index_col]
    return pd.read_csv(REF / f"{name}.csv.gz", dtype={k: str for k in keys}, index_col=index_col)


@pytest.fixture(scope="module")
def X():
    return sbs_reference_matrix()


@pytest.fixture(scope="module")
def M(X):
    return mt.location_quotient(X, threshold=1)


@pytest.fixture(scope="module")
def cells():
    return ref("ecomplexity_cells", index_col=[0, 1])


def _long(frame):
    s = frame.stack()
    s.index.names = ["loc", "prod"]
    return s


def test_input_is_the_real_matrix(X):
    assert X.shape == (282, 68)
    assert X.loc["SE31", "10"] == 2854


def test_rca_matches_ecomplexity_and_economic_complexity(X, cells):
    rca = mt.location_quotient(X)
    np.testing.assert_allclose(_long(rca).reindex(cells.index), cells["rca"], rtol=0, atol=TOL)
    ec = ref("ec_rca", index_col=0)
    np.testing.assert_allclose(rca.to_numpy(), ec.reindex(index=rca.index, columns=rca.columns).to_numpy(), atol=TOL)


def test_binary_specialisation_matches(M, cells):
    np.testing.assert_array_equal(_long(M).reindex(cells.index).to_numpy(), cells["mcp"].to_numpy())


def test_proximity_diagonal_conventions(M):
    ecomp = ref("ecomplexity_proximity", index_col=[0, 1])["proximity"].unstack()
    phi = mt.proximity(M)  # diagonal 1 (py-ecomplexity)
    np.testing.assert_allclose(phi.to_numpy(), ecomp.reindex(index=phi.index, columns=phi.columns).to_numpy(), atol=TOL)
    ec = ref("ec_proximity", index_col=0)
    phi0 = mt.proximity(M, diagonal=0)  # diagonal 0 (economic-complexity / Datawheel)
    np.testing.assert_allclose(phi0.to_numpy(), ec.reindex(index=phi0.index, columns=phi0.columns).to_numpy(), atol=TOL)


def test_density_both_conventions(M, cells):
    dens = mt.relatedness_density(M, mt.proximity(M))
    np.testing.assert_allclose(_long(dens).reindex(cells.index), cells["density"], atol=TOL)
    ec = ref("ec_relatedness", index_col=0)
    d0 = mt.relatedness_density(M, mt.proximity(M, diagonal=0))
    np.testing.assert_allclose(d0.to_numpy(), ec.reindex(index=d0.index, columns=d0.columns).to_numpy(), atol=TOL)
    # EconGeo / econcomplex scale: ×100
    np.testing.assert_allclose(mt.relatedness_density(M, mt.proximity(M), scale=100).to_numpy(), 100 * dens.to_numpy())


def test_eci_pci_match_ecomplexity(M):
    regions = ref("ecomplexity_regions", index_col=0)
    acts = ref("ecomplexity_activities", index_col=0)
    eci, pci = mt.eci_pci(M)
    np.testing.assert_allclose(eci.reindex(regions.index), regions["eci"], atol=TOL)
    np.testing.assert_allclose(pci.reindex(acts.index), acts["pci"], atol=TOL)
    div, ubi = mt.diversity_ubiquity(M)
    np.testing.assert_array_equal(div.reindex(regions.index), regions["diversity"])
    np.testing.assert_array_equal(ubi.reindex(acts.index), acts["ubiquity"])
    # the convention: ECI of a region = mean PCI of its specialisations
    np.testing.assert_allclose(eci, (M @ pci) / M.sum(axis=1), atol=1e-12)
    assert np.corrcoef(eci, div)[0, 1] > 0


def test_coi_cog_ecomplexity_convention(M, cells):
    regions = ref("ecomplexity_regions", index_col=0)
    eci_raw, pci_raw = mt.eci_pci(M, normalise=None)
    coi, cog = mt.complexity_outlook(M, mt.proximity(M), pci_raw, convention="ecomplexity", eci_sd=np.std(eci_raw))
    np.testing.assert_allclose(coi.reindex(regions.index), regions["coi"], atol=TOL)
    np.testing.assert_allclose(_long(cog).reindex(cells.index), cells["cog"], atol=TOL)


def test_suite_reproduces_ecomplexity(X, cells):
    suite = mt.complexity_suite(X.to_numpy(), convention="ecomplexity")
    regions = ref("ecomplexity_regions", index_col=0).reindex(X.index)
    np.testing.assert_allclose(suite["eci"], regions["eci"], atol=TOL)
    np.testing.assert_allclose(suite["coi"], regions["coi"], atol=TOL)
    cog = pd.DataFrame(suite["cog"], index=X.index, columns=X.columns)
    np.testing.assert_allclose(_long(cog).reindex(cells.index), cells["cog"], atol=TOL)


def test_reflections_match_economic_complexity(M):
    eci = ref("ec_eci_reflections", index_col=0)["eci"]
    pci = ref("ec_pci_reflections", index_col=0)["pci"]
    kc, kp = mt.method_of_reflections(M, iterations=18, ddof=1)
    np.testing.assert_allclose(kc.reindex(eci.index), eci, atol=TOL)
    np.testing.assert_allclose(kp.reindex(pci.index), pci, atol=TOL)


def test_subnational_eci_matches(M):
    pci = ref("ec_pci_reflections", index_col=0)["pci"]
    expected = ref("ec_subnational_se", index_col=0)["eci"]
    se = M.loc[[r for r in M.index if r.startswith("SE")]]
    got = mt.subnational_eci(se, pci)
    np.testing.assert_allclose(got.reindex(expected.index), expected, atol=TOL)


def test_specialisation_indices_match_econcomplex(X):
    regions = ref("ecx_regions", index_col=0).reindex(X.index)
    np.testing.assert_allclose(mt.krugman_index(X), regions["krugman"], atol=TOL)
    np.testing.assert_allclose(mt.herfindahl(X), regions["herfindahl"], atol=TOL)
    np.testing.assert_allclose(mt.herfindahl(X, normalised=True), regions["herfindahl_normalised"], atol=TOL)
    np.testing.assert_allclose(mt.shannon_entropy(X), regions["entropy"], atol=TOL)
    acts = ref("ecx_activities", index_col=0).reindex(X.columns)
    np.testing.assert_allclose(mt.hoover_index(X, scale=100), acts["hoover"], atol=TOL)  # econcomplex: percent
    # econcomplex reports the area between the curves (0.5 − area); the Gini scale is twice that
    np.testing.assert_allclose(mt.locational_gini(X) / 2, acts["locational_gini"], atol=TOL)


def test_fitness_complexity_fixed_point(M):
    fit = ref("ecx_fitness", index_col=0)["fitness"]
    comp = ref("ecx_complexity", index_col=0)["complexity"]
    f, q = mt.fitness_complexity(M, iterations=5000, tol=1e-15)
    # econcomplex updates Q with the new F (Gauss-Seidel), smartspec with the previous F
    # (Tacchella 2012); both reach the same fixed point.
    np.testing.assert_allclose(f.reindex(fit.index), fit, atol=TOL)
    np.testing.assert_allclose(q.reindex(comp.index), comp, atol=TOL)


@pytest.mark.parametrize("method, ours", [("probability", "prob"), ("association", "association"),
                                          ("cosine", "cosine"), ("jaccard", "jaccard")])
def test_cooccurrence_normalisations_incidence_margins(M, method, ours):
    expected = ref(f"ecx_relatedness_{method}", index_col=0)
    got = mt.relatedness(M, ours, margins="incidence")
    np.testing.assert_allclose(got.to_numpy(), expected.reindex(index=got.index, columns=got.columns).to_numpy(), atol=TOL)
