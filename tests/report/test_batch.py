"""Every region of a level: parallel analyses, their reports in both languages, and one
summary table across them; a region that fails is listed with its reason."""

import pandas as pd

from smartspec.cli import main
from smartspec.report.batch import analyse_all, regions_at


def test_all_swedish_nuts2_regions_in_both_languages(tmp_path, capsys):
    out = tmp_path / "se"
    assert main(["analyse", "--all", "--level", "nuts2", "--country", "SE", "--out-dir", str(out),
                 "--format", "json,html", "--lang", "sv,en", "--jobs", "2"]) == 0
    assert "8 of 8 regions analysed, 0 failed" in capsys.readouterr().out
    summary = pd.read_parquet(out / "summary.parquet")
    assert list(summary["region"]) == ["SE11", "SE12", "SE21", "SE22", "SE23", "SE31", "SE32", "SE33"]
    assert (summary["status"] == "ok").all() and (summary["level"] == "division").all()
    stockholm = summary.set_index("region").loc["SE11"]
    assert stockholm["complexity_rank_country"] == 1 and "59" in stockholm["strengths"]
    for code in summary["region"]:
        assert (out / f"{code}.json").exists()
        assert "Specialiseringar" in (out / f"{code}-sv.html").read_text(encoding="utf-8")
        assert "Specialisations" in (out / f"{code}-en.html").read_text(encoding="utf-8")
    assert pd.read_excel(out / "summary.xlsx").shape[0] == 8


def test_a_failing_region_does_not_stop_the_others(tmp_path):
    summary = analyse_all(["SE33", "XX99", "SE31"], out_dir=tmp_path, jobs=2, draws=20, peers=3)
    rows = summary.set_index("region")
    assert rows.loc["XX99", "status"] == "failed" and "unknown region 'XX99'" in rows.loc["XX99", "reason"]
    assert (rows.loc[["SE31", "SE33"], "status"] == "ok").all()


def test_regions_of_a_level():
    assert len(regions_at("nuts3", datasets=["nama_10r_3empers"], country="SE")) == 21
    assert "SE11" in regions_at("nuts2", country="se")
