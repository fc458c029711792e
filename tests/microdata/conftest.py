"""Microdata fixtures: a hand-worked folder, a generated one, and one Spark session."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ESTABLISHMENTS = [  # id, region, industry, year, employees
    (1, "1780", "2611", 2020, 10), (2, "1780", "2612", 2020, 5), (3, "1980", "6201", 2020, 0),
    (1, "1780", "2611", 2021, 12), (2, "1780", "2612", 2021, 5), (3, "1980", "6201", 2021, 3),
]
SPELLS = [  # person, establishment, industry, region, year
    (1, 1, "2611", "1780", 2019), (1, 2, "2612", "1780", 2020), (1, 3, "6201", "1980", 2021),
    (2, 1, "2611", "1780", 2020), (2, 1, "2611", "1780", 2021),
    (3, 3, "6201", "1980", 2019), (3, 1, "2611", "1780", 2021),  # a gap year: not a move
    (4, 2, "2612", "1780", 2020), (4, 1, "2611", "1780", 2021),
]
PATENTS = [  # id, year, technology, region, fraction
    ("P1", 2020, "H04L", "1780", 1 / 3), ("P1", 2020, "H04L", "1780", 1 / 3), ("P1", 2020, "H04L", "1980", 1 / 3),
    ("P2", 2020, "H04L", "1980", 1.0),
]


def write_table(folder, rows, names, *, partition_year=False, fmt="parquet"):
    table = pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})
    folder.mkdir(parents=True, exist_ok=True)
    if partition_year:
        pq.write_to_dataset(table, folder, partition_cols=["year"])
        return
    if fmt == "csv":
        table.to_pandas().to_csv(folder / "part-0.csv", index=False)
    else:
        pq.write_table(table, folder / "part-0.parquet")


def write_hand(root, fmt="parquet"):
    write_table(root / "establishments", ESTABLISHMENTS, ["id", "region", "industry", "year", "employees"],
                partition_year=fmt == "parquet")
    write_table(root / "spells", SPELLS, ["person", "establishment", "industry", "region", "year"], fmt=fmt)
    write_table(root / "patents", PATENTS, ["id", "year", "technology", "region", "fraction"], fmt=fmt)
    return root


@pytest.fixture
def hand(tmp_path):
    return write_hand(tmp_path / "hand")


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    from smartspec.microdata import generate

    root = tmp_path_factory.mktemp("generated") / "md"
    generate(root, 200_000, seed=7)
    return root


@pytest.fixture(scope="session")
def spark_engine():
    from smartspec.microdata.engines import SparkEngine

    engine = SparkEngine(master="local[2]")
    yield engine
    engine.spark.stop()
