"""The documentation site builds strictly, with the tutorial executed and the API reference complete.

Runs ``mkdocs build --strict`` (what ``scripts/docs.sh`` runs) into a temporary directory: any warning
fails it — a broken link, a docstring that does not parse, a tutorial block that raises, a screenshot
the coordinator's guide shows that the browser tests did not write.
"""

import importlib.util
import os
import re
import subprocess
import sys
import time

import pytest

from tests.conftest import DATA_DIR, MIRROR_MISSING, REPO

pytestmark = pytest.mark.slow

SCREENSHOTS = os.environ.get("SMARTSPEC_SCREENSHOTS", str(REPO / "out" / "screenshots"))


def _guide_screenshots() -> list[str]:
    text = (REPO / "docs" / "guide" / "coordinator.md").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"assets/screenshots/([\w.-]+\.png)", text)))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if DATA_DIR is None:
        pytest.skip(MIRROR_MISSING)
    for module in ("mkdocs", "mkdocstrings", "markdown_exec", "material"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"needs the docs extra (pip install -e '.[docs]'): {module} is missing")
    missing = [name for name in _guide_screenshots() if not os.path.exists(os.path.join(SCREENSHOTS, name))]
    if missing:
        pytest.skip(f"the browser tests have not written the guide's screenshots {missing} to {SCREENSHOTS}")
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "SMARTSPEC_DATA_DIR": str(DATA_DIR), "SMARTSPEC_SCREENSHOTS": SCREENSHOTS,
           "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=1200)
    seconds = time.perf_counter() - started
    print(f"docs build: {seconds:.1f} s")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-6000:]
    return out


def test_the_tutorial_ran_during_the_build(site):
    from smartspec import data
    from smartspec import metrics as mt

    X = data.matrix("sbs_r_nuts06_r2", year=2014, region_level=2, activity_level="division")
    lq = mt.location_quotient(X, missing="ignore").loc["SE31", "17"]
    html = (site / "tutorial" / "index.html").read_text(encoding="utf-8")
    assert f"LQ of SE31 in division 17 (paper): {lq:.3f}" in html  # computed in step 2, not pasted
    assert "my_lan_jobs version 1 created" in html and "scratch workspace removed: True" in html
    assert "Execution of python code block exited with errors" not in html


def test_the_api_reference_lists_every_public_function(site):
    import smartspec.data
    import smartspec.metrics

    metrics = (site / "api" / "metrics" / "index.html").read_text(encoding="utf-8")
    listed = set(re.findall(r'id="smartspec\.metrics\.(?:[a-z_]+\.)?([A-Za-z_]+)"', metrics))
    assert set(smartspec.metrics.__all__) - {"PRESETS"} <= listed
    assert "Balassa" in metrics and "References" in metrics
    data_page = (site / "api" / "data" / "index.html").read_text(encoding="utf-8")
    assert set(smartspec.data.__all__) <= set(re.findall(r'id="smartspec\.data\.([A-Za-z_]+)"', data_page))
    assert 'id="smartspec.analysis.analyse"' in (site / "api" / "analysis" / "index.html").read_text(encoding="utf-8")


def test_the_guide_shows_the_screenshots(site):
    html = (site / "guide" / "coordinator" / "index.html").read_text(encoding="utf-8")
    for name in _guide_screenshots():
        assert f"assets/screenshots/{name}" in html
        assert (site / "assets" / "screenshots" / name).stat().st_size > 1000
