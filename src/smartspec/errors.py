"""Errors with a location: every message names the file, row or column at fault."""


class SmartspecError(Exception):
    """Base class of smartspec's own errors (shown to users without a traceback)."""


class InputError(SmartspecError, ValueError):
    """Bad input: names where it is (file, line, column or cell) and what was expected."""

    def __init__(self, message, *, path=None, line=None, column=None):
        self.path, self.line, self.column = path, line, column
        where = []
        if path is not None:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class UnknownCodeError(SmartspecError, KeyError):
    """A region, activity or dataset code that is not known."""

    def __str__(self):
        return str(self.args[0])


class AmbiguousNameError(SmartspecError, LookupError):
    """A name that matches several regions; the message lists the candidates."""


class OfflineError(SmartspecError, ConnectionError):
    """A fetch that needs the internet, on a machine without it."""


class MissingExtraError(SmartspecError, ImportError):
    """A feature needs an optional part of smartspec that is not installed (an extra)."""
