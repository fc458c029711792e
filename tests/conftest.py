"""Test set-up: the offline mirror as data directory, a fresh workspace per session."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


def _data_dir() -> Path:
    env = os.environ.get("SMARTSPEC_DATA_DIR")
    path = Path(env) if env else REPO.parent / "shared" / "data"
    if not (path / "README.md").exists():
        pytest.exit(f"the offline data mirror was not found at {path}; set SMARTSPEC_DATA_DIR", returncode=4)
    return path


DATA_DIR = _data_dir()
os.environ["SMARTSPEC_DATA_DIR"] = str(DATA_DIR)
if not os.environ.get("SMARTSPEC_HOME"):
    import tempfile

    os.environ["SMARTSPEC_HOME"] = tempfile.mkdtemp(prefix="smartspec-test-")


@pytest.fixture(scope="session", autouse=True)
def smartspec_home():
    return Path(os.environ["SMARTSPEC_HOME"])


@pytest.fixture
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture
def fresh_store(tmp_path):
    from smartspec.data.store import Store

    return Store(tmp_path / "store.duckdb")
