"""Optional dependencies, as pandas handles them: the core (data, metrics, analysis, JSON
output) needs numpy, scipy, pandas, pyarrow and duckdb only; everything else comes with an
extra, and a feature whose extra is missing says in one sentence what to install.

=========  =================================================================
extra      what it brings
=========  =================================================================
report     HTML, PDF and XLSX reports; Excel input; result validation; progress bars
platform   the web platform (Django and its companions), with ``report``
spark      the microdata engine's Spark backend and Spark Connect client
test       everything the test suite needs
bench      the benchmarks' load generator and server
docs       the documentation site
=========  =================================================================
"""

from __future__ import annotations

import importlib
from contextlib import nullcontext
from types import ModuleType

from smartspec.errors import MissingExtraError

#: The extra that brings each optional module.
EXTRA = {
    "jinja2": "report", "vl_convert": "report", "weasyprint": "report", "openpyxl": "report", "xlrd": "report",
    "jsonschema": "report", "rich": "report",
    "django": "platform", "dj_database_url": "platform", "django_htmx": "platform", "axes": "platform",
    "whitenoise": "platform", "psycopg": "platform", "pyspark": "spark",
}


def import_optional(name: str, purpose: str) -> ModuleType:
    """Import an optional module, or raise :class:`~smartspec.errors.MissingExtraError`
    saying which extra brings it.

    Examples
    --------
    >>> import_optional("json", "reading JSON").__name__
    'json'
    >>> import_optional("no_such_module", "Flying")
    Traceback (most recent call last):
    ...
    smartspec.errors.MissingExtraError: Flying needs no_such_module, which is not installed: pip install 'smartspec[all]'
    """
    try:
        return importlib.import_module(name)
    except ImportError as exc:  # the module itself, or one it imports
        raise missing_extra(exc, purpose, name) from None


def missing_extra(exc: ImportError, purpose: str, name: str = "") -> MissingExtraError:
    """The one-sentence error for an ImportError met while ``purpose`` ran."""
    missing = (exc.name or name).split(".")[0]
    return MissingExtraError(f"{purpose} needs {missing}, which is not installed: "
                             f"pip install 'smartspec[{EXTRA.get(missing, 'all')}]'")


def thread_limits(n: int):
    """A context that limits the BLAS/OpenMP threads to ``n`` (threadpoolctl, when installed;
    else nothing: the limit only avoids oversubscription when work runs in parallel)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: a speed measure, not a result
        return nullcontext()
    return threadpool_limits(n)
