"""A kommun × activity register dataset for the analysis tests: synthetic microdata for
2016–2020, aggregated on DuckDB and imported; removed again when the module is done,
since other tests choose datasets by coverage."""

import pandas as pd

from smartspec import data
from smartspec.cli import main


def imported_register(tmp_path_factory, name: str, *also_remove: str):
    """Generator for a module-scoped fixture: yields (dataset, employees rows, folder)."""
    root = tmp_path_factory.mktemp(name)
    assert main(["microdata", "generate", "--rows", "150000", "--years", "2016-2020", "--seed", "3",
                 "--out", str(root / "in")]) == 0
    assert main(["microdata", "aggregate", str(root / "in"), "--out", str(root / "agg.parquet")]) == 0
    dataset, _, _ = data.import_file(root / "agg.parquet", dataset=name)
    frame = pd.read_parquet(root / "agg.parquet")
    yield dataset, frame[frame["measure"] == "employees"], root
    store = data.Store()
    for stored in (name, *also_remove):
        if store.find(stored):
            store.remove(stored)
