"""Test set-up: the offline mirror as data directory, a fresh workspace per session."""

import os
from pathlib import Path

import pytest

from smartspec.data.paths import MissingDataError
from smartspec.errors import OfflineError

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


def _data_dir() -> Path | None:
    env = os.environ.get("SMARTSPEC_DATA_DIR")
    path = Path(env) if env else REPO.parent / "shared" / "data"
    return path if (path / "README.md").exists() else None


#: The offline mirror (None when absent: the tests that need it skip, the rest run).
DATA_DIR = _data_dir()
os.environ.setdefault("SMARTSPEC_WARM", "0")  # the wsgi module computes no evidence at import in the tests
if DATA_DIR is not None:
    os.environ["SMARTSPEC_DATA_DIR"] = str(DATA_DIR)
else:
    os.environ.pop("SMARTSPEC_DATA_DIR", None)
    os.environ["SMARTSPEC_OFFLINE"] = "1"  # no fetching from publishers either: the suite runs offline
if not os.environ.get("SMARTSPEC_HOME"):
    import tempfile

    os.environ["SMARTSPEC_HOME"] = tempfile.mkdtemp(prefix="smartspec-test-")


@pytest.fixture(scope="session", autouse=True)
def smartspec_home():
    return Path(os.environ["SMARTSPEC_HOME"])


@pytest.fixture
def data_dir() -> Path:
    if DATA_DIR is None:
        pytest.skip(MIRROR_MISSING)
    return DATA_DIR


MIRROR_MISSING = "needs the offline data mirror (set SMARTSPEC_DATA_DIR)"


def _needs_mirror(excinfo) -> bool:
    """Whether a failure comes from a missing mirror file (also as the cause of another error)."""
    exc = excinfo.value if excinfo else None
    while exc is not None:
        if isinstance(exc, (MissingDataError, OfflineError)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Without the mirror, a test that stops on a missing mirror file is skipped with the reason."""
    outcome = yield
    report = outcome.get_result()
    if DATA_DIR is None and report.failed and _needs_mirror(call.excinfo):
        report.outcome, report.longrepr = "skipped", (str(item.path), item.location[1] or 0, MIRROR_MISSING)


@pytest.fixture
def fresh_store(tmp_path):
    from smartspec.data.store import Store

    return Store(tmp_path / "store.duckdb")
