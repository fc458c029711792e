"""The JSON Schema of the analysis result (``analysis-2.0.schema.json``, draft 2020-12,
documented in ``docs/analysis-schema.md``) and :func:`validate`.

Validation has two parts: every value must be plain JSON (``dict`` with string keys,
``list``, ``str``, ``int``, finite ``float``, ``bool``, ``None`` — no NaN, no numpy
scalars, no tuples), and the whole must match the schema. Integers must be ``int``
(2014.0 is not a year).

>>> from smartspec.analysis import analyse
>>> validate(analyse("SE31"))            # doctest: +SKIP
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

from smartspec.errors import SmartspecError
from smartspec.optional import import_optional

VERSION = "2.0"
SCHEMA_FILE = f"analysis-{VERSION}.schema.json"
MAX_REPORTED = 10

__all__ = ["VERSION", "SCHEMA_FILE", "schema", "validate"]


def schema() -> dict:
    """The schema as a dict (a fresh copy)."""
    return json.loads(resources.files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


def _is_int(checker, instance) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


@lru_cache(maxsize=1)
def _validator():
    draft = import_optional("jsonschema", "Validating a result").Draft202012Validator
    doc = schema()
    draft.check_schema(doc)
    strict = import_optional("jsonschema.validators", "Validating a result").extend(
        draft, type_checker=draft.TYPE_CHECKER.redefine("integer", _is_int))
    return strict(doc)


def validate(result) -> None:
    """Raise :class:`~smartspec.errors.SmartspecError` when ``result`` is not a valid
    analysis result; the message names the JSON path (``$.sections.profile…``) of the
    first problems."""
    problems = list(_not_plain(result, "$"))[:MAX_REPORTED]
    if len(problems) < MAX_REPORTED:
        for error in _validator().iter_errors(result):
            problems.append(f"{error.json_path}: {_message(error)}")
            if len(problems) >= MAX_REPORTED:
                break
    if problems:
        more = " (and maybe more)" if len(problems) >= MAX_REPORTED else ""
        raise SmartspecError(f"not a valid smartspec-analysis {VERSION} result{more}:\n  " + "\n  ".join(problems))


def _message(error) -> str:
    """A short message: a forbidden key (``{"not": {}}``) says why it is forbidden; a
    failed ``anyOf``/``oneOf`` gives its branches' messages."""
    if error.validator == "not" and error.validator_value == {}:
        return f"not allowed here ({error.schema.get('description', 'forbidden key').rstrip('.')})"
    if error.validator in ("anyOf", "oneOf") and error.context:
        branches = "; ".join(dict.fromkeys(e.message for e in error.context))
        return _short(f"{error.instance!r} matches none of: {branches}")
    return _short(error.message)


def _not_plain(value, path: str):
    """Paths and reasons of the values that are not plain JSON."""
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                yield f"{path}: key {key!r} is a {_type_name(key)}, not a string"
                continue
            yield from _not_plain(item, f"{path}.{key}")
    elif kind is list:
        for i, item in enumerate(value):
            yield from _not_plain(item, f"{path}[{i}]")
    elif kind is float:
        if not math.isfinite(value):
            yield f"{path}: {value!r} is not a finite number (a missing number is null)"
    elif kind not in (str, int, bool, type(None)):
        yield f"{path}: {_short(repr(value))} is a {_type_name(value)}, not a plain JSON value"


def _type_name(value) -> str:
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _short(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
