"""Fuzzing the readers: any input gives a table or a clear InputError, never another exception."""

from hypothesis import given, settings
from hypothesis import strategies as st

from smartspec.data import readers
from smartspec.errors import InputError

lines = st.lists(st.text(alphabet=st.sampled_from(list("ABSE0123456789.,;:\t \"-pcbe\\")), max_size=40), max_size=6)


def _check(reader, path):
    try:
        frame = reader(path)
    except InputError as exc:
        assert str(path) in str(exc)
    else:
        assert list(frame.columns)[:7] == ["region", "activity", "year", "measure", "unit", "value", "flag"]


@settings(max_examples=150, deadline=None)
@given(lines)
def test_eurostat_tsv_fuzz(tmp_path_factory, body):
    path = tmp_path_factory.mktemp("f") / "x.tsv"
    path.write_text("freq,unit,geo\\TIME_PERIOD\t2020\t2021\n" + "\n".join(body))
    _check(readers.read_eurostat_tsv, path)


@settings(max_examples=150, deadline=None)
@given(lines)
def test_generic_csv_fuzz(tmp_path_factory, body):
    path = tmp_path_factory.mktemp("f") / "x.csv"
    path.write_text("region,activity,year,value\n" + "\n".join(body))
    _check(readers.read_table, path)


@settings(max_examples=150, deadline=None)
@given(lines)
def test_scb_export_fuzz(tmp_path_factory, body):
    path = tmp_path_factory.mktemp("f") / "x.csv"
    path.write_text('"region";"näringsgren SNI 2007";"2016"\n' + "\n".join(body))
    _check(readers.read_scb_export, path)
