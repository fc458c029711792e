"""Bad input at import: codes in no classification, mixed classification versions, one
region in two notations. Each error names the dataset and the codes, and nothing is stored."""

import pytest

from smartspec import data
from smartspec.errors import InputError

pytestmark = pytest.mark.usefixtures("data_dir")  # names, codes and coverage come from the mirror


def _csv(path, rows):
    path.write_text("region,activity,year,value\n" + "".join(f"{r},{a},{y},{v}\n" for r, a, y, v in rows))
    return path


@pytest.mark.parametrize("rows, message", [
    ([("SE311", "10.11", 2020, 5), ("SE311", "10.99", 2020, 3)], r"bad_codes: activity codes that exist in no classification .*10\.99"),
    ([("SE311", "62.01", 2020, 5), ("SE312", "62.10", 2020, 3)], r"mixed: .*62\.01.*62\.10|mixed: .*62\.10.*62\.01"),
    ([("17", "16", 2020, 5), ("SE311", "17", 2020, 3)], r"twice: the same regions are given in two notations \(17 = SE311\)"),
])
def test_bad_tables_are_refused_and_nothing_is_stored(tmp_path, rows, message):
    name = message.split(":")[0]
    store = data.Store()
    before = set(store.datasets()["dataset"])
    with pytest.raises(InputError, match=message):
        data.import_file(_csv(tmp_path / f"{name}.csv", rows), dataset=name)
    assert set(store.datasets()["dataset"]) == before


def test_rev21_table_is_accepted(tmp_path):
    name, version, created = data.import_file(_csv(tmp_path / "new.csv", [("SE311", "62.10", 2025, 5),
                                                                          ("SE311", "68.12", 2025, 2)]),
                                              dataset="rev21_table")
    assert created
    data.Store().remove(name)
