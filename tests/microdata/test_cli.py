"""``smartspec microdata generate|aggregate`` end to end, and the result in the store and the report."""

import json

import pandas as pd

from smartspec.cli import main


def test_generate_aggregate_import_and_analyse(tmp_path, capsys):
    folder, out = tmp_path / "synthetic", tmp_path / "agg.parquet"
    assert main(["microdata", "generate", "--rows", "2e4", "--out", str(folder), "--years", "2015-2020",
                 "--seed", "5"]) == 0
    assert "20,000 spell rows" in capsys.readouterr().out
    assert json.loads((folder / "_smartspec.json").read_text())["years"] == [2015, 2020]

    assert main(["microdata", "aggregate", str(folder), "--out", str(out), "--window", "2",
                 "--region-levels", "kommun,nuts3,country", "--activity-levels", "class,division"]) == 0
    captured = capsys.readouterr()
    assert "[1/9] base_establishments" in captured.err and "% done" in captured.err
    assert "flows" in captured.out and str(out) in captured.out
    flows = pd.read_parquet(tmp_path / "agg-flows.parquet")
    assert set(flows["window_end"] - flows["window_start"]) == {1}
    obs = pd.read_parquet(out)
    assert obs.loc[obs.region.str.len() == 2, "region"].unique().tolist() == ["SE"]

    # the observations import into the store and show like any dataset
    assert main(["data", "import", str(out), "--dataset", "registers"]) == 0
    capsys.readouterr()
    assert main(["data", "show", "registers", "--region", "Stockholms län", "--year", "2020", "--format", "csv",
                 "--limit", "0"]) == 0
    shown = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out), dtype={"activity": str})
    workers = shown[(shown.measure == "workers") & (shown.activity.str.len() == 2)]["value"].sum()
    direct = obs[(obs.region == "SE110") & (obs.year == 2020) & (obs.measure == "workers")
                 & (obs.activity.str.len() == 2)]["value"].sum()
    assert workers == direct > 0

    report = tmp_path / "se31.html"
    assert main(["analyse", "SE31", "--relatedness", str(tmp_path / "agg-flows.parquet"), "--out", str(report)]) == 0
    html = report.read_text()
    assert "skill-relatedness from" in html and "agg-flows.parquet" in html
    # the register data cover SE31 at class level, so the automatic choice took them
    assert "registers" in html
    assert main(["data", "remove", "registers"]) == 0  # later tests' automatic choice sees the mirror alone


def test_bad_engine_and_rows_are_clear(tmp_path, capsys):
    import pytest

    with pytest.raises(SystemExit):
        main(["microdata", "generate", "--rows", "many", "--out", str(tmp_path / "x")])
    assert "--rows: must be a number" in capsys.readouterr().err
    assert main(["microdata", "aggregate", str(tmp_path), "--out", str(tmp_path / "a.parquet")]) == 2
    assert "no microdata tables found" in capsys.readouterr().err
