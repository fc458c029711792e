"""Aggregation on a hand-worked case, both engines, and bad input."""

import pandas as pd
import pyarrow.parquet as pq
import pytest

from smartspec.errors import InputError
from smartspec.microdata import aggregate
from tests.microdata.conftest import write_hand, write_table


def _outputs(out):
    return {name: pd.read_parquet(out.with_name(out.stem + suffix + ".parquet"))
            for name, suffix in (("obs", ""), ("patents", "-patents"), ("flows", "-flows"),
                                 ("regionflows", "-regionflows"), ("colocation", "-colocation"))}


def _value(obs, region, activity, year, measure):
    hit = obs[(obs.region == region) & (obs.activity == activity) & (obs.year == year) & (obs.measure == measure)]
    assert len(hit) == 1, (region, activity, year, measure, hit)
    return hit["value"].iloc[0]


@pytest.fixture
def hand_out(hand, tmp_path):
    out = tmp_path / "agg.parquet"
    result = aggregate(hand, out, engine="duckdb")
    return result, _outputs(out)


def test_observations_by_hand(hand_out):
    result, o = hand_out
    obs = o["obs"]
    assert _value(obs, "1780", "26.11", 2020, "employees") == 10
    assert _value(obs, "1780", "26", 2020, "employees") == 15
    assert _value(obs, "SE311", "26", 2021, "employees") == 17
    assert _value(obs, "SE", "C", 2021, "employees") == 17
    assert _value(obs, "SE", "J", 2020, "establishments") == 1  # an establishment with no employees still counts
    assert _value(obs, "SE", "J", 2020, "employees") == 0
    # workers: person-years
    assert _value(obs, "1780", "26.12", 2020, "workers") == 2
    assert _value(obs, "1780", "26.11", 2021, "workers") == 3
    assert _value(obs, "SE12", "62", 2019, "workers") == 1
    assert _value(obs, "SE", "C", 2019, "workers") == 1
    assert set(obs["flag"]) == {""}
    assert set(obs["measure"]) == {"employees", "establishments", "workers"}
    assert list(result["outputs"]) == ["observations", "patents", "flows", "regionflows", "colocation"]
    # patents: fractional counts by technology; three thirds are exactly one
    pat = o["patents"].set_index(["region", "technology", "year"])["patents"]
    assert pat[("1780", "H04L", 2020)] == pytest.approx(2 / 3, abs=1e-9)
    assert pat[("SE12", "H04L", 2020)] == pytest.approx(4 / 3, abs=1e-9)
    assert pat[("SE", "H04L", 2020)] == 2.0


def test_flows_by_hand(hand_out):
    _, o = hand_out
    f = o["flows"]
    assert set(zip(f.window_start, f.window_end)) == {(2019, 2021)}
    cls = f[f.level == "class"].set_index(["source", "target"])["moves"].to_dict()
    assert cls == {("26.11", "26.12"): 1, ("26.12", "62.01"): 1, ("26.12", "26.11"): 1}
    div = f[f.level == "division"].set_index(["source", "target"])["moves"].to_dict()
    assert div == {("26", "26"): 2, ("26", "62"): 1}
    sec = f[f.level == "section"].set_index(["source", "target"])["moves"].to_dict()
    assert sec == {("C", "C"): 2, ("C", "J"): 1}
    r = o["regionflows"]
    kommun = r[r.level == "kommun"].set_index(["source", "target"])["moves"].to_dict()
    assert kommun == {("1780", "1780"): 2, ("1780", "1980"): 1}
    nuts2 = r[r.level == "nuts2"].set_index(["source", "target"])["moves"].to_dict()
    assert nuts2 == {("SE31", "SE31"): 2, ("SE31", "SE12"): 1}


def test_colocation_by_hand(hand_out):
    _, o = hand_out
    c = o["colocation"].set_index(["year", "source", "target"])["regions"].to_dict()
    # 2020: the IT establishment in Västerås has no employees, so only division 26 is present (in SE311)
    assert c == {(2020, "26", "26"): 1, (2021, "26", "26"): 1, (2021, "62", "62"): 1}


def test_windows_split_moves(hand, tmp_path):
    out = tmp_path / "w1.parquet"
    aggregate(hand, out, engine="duckdb", window=1, activity_levels=("class", "division"))
    f = _outputs(out)["flows"]
    div = f[f.level == "division"].groupby(["window_start", "source", "target"])["moves"].sum().to_dict()
    assert div == {(2019, "26", "26"): 1, (2020, "26", "26"): 1, (2020, "26", "62"): 1}
    assert set(f.level) == {"class", "division"}


def test_csv_input_gives_the_same_result(hand, tmp_path):
    csv_root = write_hand(tmp_path / "hand_csv", fmt="csv")
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    aggregate(hand, a)
    aggregate(csv_root, b)
    for suffix in ("", "-patents", "-flows", "-regionflows", "-colocation"):
        assert pq.read_table(a.with_name(f"a{suffix}.parquet")).equals(pq.read_table(b.with_name(f"b{suffix}.parquet")))


def test_spark_matches_duckdb_by_hand(hand, tmp_path, spark_engine):
    _same_on_both(hand, tmp_path, spark_engine)


def test_spark_matches_duckdb_on_generated_data(generated, tmp_path, spark_engine):
    sizes = _same_on_both(generated, tmp_path, spark_engine)
    assert sizes["observations"] > 10_000 and sizes["flows"] > 1_000


def _same_on_both(root, tmp_path, spark_engine):
    duck, spark = tmp_path / "duck.parquet", tmp_path / "spark.parquet"
    aggregate(root, duck, engine="duckdb")
    result = aggregate(root, spark, engine=spark_engine)
    assert result["engine"] == "spark"
    sizes = {}
    for name, (path, rows) in result["outputs"].items():
        other = duck.with_name(path.rsplit("/", 1)[1].replace("spark", "duck"))
        a, b = pq.read_table(other), pq.read_table(path)
        assert a.num_rows == b.num_rows == rows
        assert a.equals(b), name
        sizes[name] = rows
    return sizes


def test_missing_column_names_file_and_column(tmp_path):
    root = tmp_path / "bad"
    write_table(root / "spells", [(1, 1, "2611", 2019)], ["person", "establishment", "industry", "year"])
    with pytest.raises(InputError, match=r"part-0\.parquet.*lacks region"):
        aggregate(root, tmp_path / "x.parquet")


def test_numeric_codes_are_refused(tmp_path):
    root = tmp_path / "bad"
    write_table(root / "spells", [(1, 1, "2611", 114, 2019)], ["person", "establishment", "industry", "region", "year"])
    with pytest.raises(InputError, match=r"column 'region'.*leading zeros"):
        aggregate(root, tmp_path / "x.parquet")


def test_unknown_codes_are_listed(tmp_path):
    root = tmp_path / "bad"
    write_table(root / "spells", [(1, 1, "2611", "9999", 2019), (2, 1, "9999", "1780", 2019)],
                ["person", "establishment", "industry", "region", "year"])
    with pytest.raises(InputError, match=r"region.*'9999'"):
        aggregate(root, tmp_path / "x.parquet")
    write_table(root / "spells", [(1, 1, "2699", "1780", 2019)], ["person", "establishment", "industry", "region", "year"])
    with pytest.raises(InputError, match=r"industry.*'2699'"):
        aggregate(root, tmp_path / "x.parquet")
    assert not (tmp_path / "x.parquet").exists()


def test_empty_or_wrong_folder(tmp_path):
    with pytest.raises(InputError, match="no microdata tables"):
        aggregate(tmp_path, tmp_path / "x.parquet")
    with pytest.raises(InputError, match=r"\.parquet file"):
        aggregate(tmp_path, tmp_path / "x.csv")


def test_a_failed_write_leaves_the_previous_outputs(hand, tmp_path, monkeypatch):
    import pyarrow.parquet as pq_module

    out = tmp_path / "agg.parquet"
    aggregate(hand, out, window=3)
    before = {p.name: p.read_bytes() for p in tmp_path.glob("agg*.parquet")}
    real, calls = pq_module.write_table, []

    def failing(table, where, **kw):
        calls.append(where)
        if len(calls) == 3:
            raise OSError("disk full")
        return real(table, where, **kw)

    monkeypatch.setattr(pq_module, "write_table", failing)
    with pytest.raises(OSError, match="disk full"):
        aggregate(hand, out, window=1)
    assert {p.name: p.read_bytes() for p in tmp_path.glob("agg*.parquet")} == before
    assert not list(tmp_path.glob(".*.part"))


def test_a_bad_value_names_file_line_and_column(tmp_path):
    from smartspec.errors import SmartspecError

    folder = tmp_path / "bad" / "establishments"
    folder.mkdir(parents=True)
    (folder / "part-0.csv").write_text("id,region,industry,year,employees\n1,1780,2611,2020,10\n2,1780,2611,2020,many\n")
    with pytest.raises(SmartspecError, match=r"Line: 3.*\"employees\".*part-0\.csv"):
        aggregate(tmp_path / "bad", tmp_path / "x.parquet")
    with pytest.raises(SmartspecError, match=r"DuckDB: .*Memory"):
        aggregate(tmp_path / "bad", tmp_path / "x.parquet", memory_limit="lots")
