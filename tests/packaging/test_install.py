"""The package as users install it: a wheel and an sdist built with ``python -m build``, the
wheel installed with its core dependencies only (numpy, scipy, pandas, pyarrow, duckdb) in a
fresh virtual environment, where the analysis runs and the extras' features say in one
sentence what to install."""

import json
import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from smartspec.analysis.schema import validate

REPO = Path(__file__).resolve().parents[2]
CORE = {"numpy", "scipy", "pandas", "pyarrow", "duckdb"}
PACKAGE_DATA = ("smartspec/platform/templates/base.html", "smartspec/platform/static/smartspec/platform.css",
                "smartspec/locale/sv/LC_MESSAGES/django.mo", "smartspec/analysis/schema/analysis-2.0.schema.json",
                "smartspec/report/templates/report.html")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--sdist", "--outdir", str(out), str(REPO)],
                   check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def core_env(dist, tmp_path_factory):
    """A fresh virtual environment with the wheel and its core dependencies only."""
    root = tmp_path_factory.mktemp("core-env")
    venv.create(root, with_pip=True)
    wheel = next(dist.glob("*.whl"))
    subprocess.run([str(root / "bin" / "pip"), "install", "-q", str(wheel)], check=True, capture_output=True)
    return root


def run(env: Path, *args, **kw):
    environ = {**os.environ, "SMARTSPEC_HOME": str(env / "home")}
    return subprocess.run([str(env / "bin" / args[0]), *args[1:]], capture_output=True, text=True, env=environ,
                          cwd=env, **kw)


def test_wheel_and_sdist_carry_the_package_data(dist):
    names = set(zipfile.ZipFile(next(dist.glob("*.whl"))).namelist())
    missing = [p for p in PACKAGE_DATA if p not in names]
    assert not missing, f"the wheel lacks {missing}"
    with tarfile.open(next(dist.glob("*.tar.gz"))) as tar:
        members = {m.split("/", 1)[1] for m in tar.getnames() if "/" in m}
    assert {"pyproject.toml", "README.md"} <= members and any(m.endswith("django.po") for m in members)


def test_core_install_has_only_the_core_dependencies(core_env):
    listed = run(core_env, "pip", "list", "--format", "json", check=True)
    installed = {p["name"].lower() for p in json.loads(listed.stdout)}
    for extra in ("django", "jinja2", "weasyprint", "vl-convert-python", "psycopg", "pyspark", "jsonschema"):
        assert extra not in installed
    assert CORE <= installed


def test_core_install_imports_and_analyses(core_env, tmp_path):
    done = run(core_env, "python", "-c", "import smartspec.metrics, smartspec.analysis, smartspec.data", check=True)
    assert done.returncode == 0
    out = tmp_path / "se31.json"
    done = run(core_env, "smartspec", "analyse", "SE31", "--out", str(out))
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    validate(result)  # here, where the test extra brings jsonschema
    assert result["region"]["code"] == "SE31"


@pytest.mark.parametrize(("args", "extra"), [
    (["analyse", "SE31", "--out", "x.html"], "report"),
    (["serve"], "platform"),
    (["microdata", "aggregate", "in", "--engine", "spark", "--out", "x.parquet"], "spark"),
])
def test_a_missing_extra_says_what_to_install(core_env, args, extra):
    if "microdata" in args:  # synthetic microdata, made by the core
        run(core_env, "smartspec", "microdata", "generate", "--rows", "2000", "--out", "in", check=True)
    done = run(core_env, "smartspec", *args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert f"pip install 'smartspec[{extra}]'" in lines[-1] and "Traceback" not in done.stderr
