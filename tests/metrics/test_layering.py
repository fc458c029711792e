"""The layer rule, read from the source with ``ast`` (imports inside functions count too).

* ``smartspec.metrics`` is pure (numpy, scipy, pandas): of smartspec it imports only
  itself, ``smartspec.errors`` and ``smartspec.optional`` (optional dependencies).
* ``smartspec.data`` imports nothing of the layers above it: metrics, analysis,
  report, platform.
"""

import ast
from pathlib import Path

import pytest

import smartspec

SRC = Path(smartspec.__file__).resolve().parent


def _imports(path: Path, root: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports, as (line, absolute dotted name); ``from a import b`` gives ``a.b``."""
    package = ".".join(path.relative_to(root.parent).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            out += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None))
              in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            out.append((node.lineno, node.args[0].value))
    return out


def _within(name: str, packages) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def _violations(package: str, allowed=None, forbidden=None, root: Path = SRC) -> list[str]:
    found = []
    for path in sorted((root / package).rglob("*.py")):
        for line, name in _imports(path, root):
            if not _within(name, ("smartspec",)):
                continue
            if (allowed is not None and not _within(name, allowed)) or (forbidden and _within(name, forbidden)):
                found.append(f"{path.relative_to(root.parent)}:{line} imports {name}")
    return found


def test_the_checker_sees_every_kind_of_import(tmp_path):
    pkg = tmp_path / "smartspec" / "metrics"
    pkg.mkdir(parents=True)
    (pkg / "x.py").write_text("import smartspec.data\nfrom smartspec import data\nfrom ..data import nace\n"
                              "def f():\n    from smartspec.data.classifications.nace import ancestor_at\n"
                              "    importlib.import_module('smartspec.report')\n"
                              "from smartspec.errors import InputError\nfrom . import _input\n")
    found = _violations("metrics", allowed=("smartspec.metrics", "smartspec.errors"), root=tmp_path / "smartspec")
    assert [v.rsplit(" ", 1)[1] for v in found] == [
        "smartspec.data", "smartspec.data", "smartspec.data.nace", "smartspec.data.classifications.nace.ancestor_at",
        "smartspec.report"]


def test_metrics_imports_only_itself_and_errors():
    allowed = ("smartspec.metrics", "smartspec.errors", "smartspec.optional")
    assert _violations("metrics", allowed=allowed) == []


@pytest.mark.parametrize("upper", ["smartspec.metrics", "smartspec.analysis", "smartspec.report", "smartspec.platform"])
def test_data_imports_no_upper_layer(upper):
    assert _violations("data", forbidden=(upper,)) == []
