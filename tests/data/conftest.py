"""The data tests import datasets into the shared store; each test's imports are removed
after it, since the analysis tests choose datasets by coverage among everything stored."""

import pytest

from smartspec.data.store import Store


@pytest.fixture(autouse=True)
def remove_imports():
    store = Store()
    before = set(store.datasets()["dataset"])
    yield
    for name in set(store.datasets()["dataset"]) - before:
        store.remove(name)
