"""The Examples of the docstrings in smartspec.metrics and smartspec.data run, and say what they show.

Every module of both packages is searched for doctests; each docstring's examples are one test.
Examples that use a dataset of the offline mirror skip (with the reason) when the mirror is missing.
Output is compared with NORMALIZE_WHITESPACE (pandas pads its headers) and ELLIPSIS (``...``).
"""

import doctest
import importlib
import pkgutil
import warnings

import pytest

from tests.conftest import DATA_DIR, MIRROR_MISSING

PACKAGES = ("smartspec.metrics", "smartspec.data")
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def _modules():
    for package in PACKAGES:
        pkg = importlib.import_module(package)
        yield pkg
        for info in pkgutil.walk_packages(pkg.__path__, package + "."):
            yield importlib.import_module(info.name)


def _doctests():
    finder = doctest.DocTestFinder(exclude_empty=True)
    seen = set()
    for module in _modules():
        for test in finder.find(module, module.__name__):
            # a function re-exported by a package is found in both: run it where it is defined
            key = (test.filename, test.lineno)
            if key in seen or not any(ex for ex in test.examples if "+SKIP" not in ex.source):
                continue
            seen.add(key)
            yield test


def _needs_mirror(test) -> bool:
    from smartspec.data.catalog import KNOWN

    source = "".join(ex.source for ex in test.examples)
    return "catalog_status" in source or any(f'"{code}"' in source for code in KNOWN)


TESTS = sorted(_doctests(), key=lambda t: t.name)


def test_the_packages_have_examples():
    """Guard against the collection silently finding nothing."""
    names = {t.name.rsplit(".", 1)[-1] for t in TESTS}
    assert {"location_quotient", "proximity", "eci_pci", "estimate_suppressed", "load", "import_file"} <= names


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_docstring_examples(test):
    if DATA_DIR is None and _needs_mirror(test):
        pytest.skip(MIRROR_MISSING)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. ComplexityWarning on the small example matrices
        runner.run(test, out=report.append, clear_globs=True)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, "".join(report)
