"""The command line: version, data list/show/import, and error messages."""

import pytest
import json
import subprocess
import sys

from smartspec import __version__
from smartspec.cli import main

pytestmark = pytest.mark.usefixtures("data_dir")  # names, codes and coverage come from the mirror


def test_version_and_module_entry():
    out = subprocess.run([sys.executable, "-m", "smartspec", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"smartspec {__version__}"


def test_data_list_shows_mirror_coverage(capsys):
    assert main(["data", "list"]) == 0
    out = capsys.readouterr().out
    for code in ("sbs_r_nuts06_r2", "nama_10r_3empers", "nama_10r_3gdp", "nuts2_indicators", "rd_p_persreg"):
        assert f"{code}  (v" in out
    assert "regions:    455 (29 NUTS0, 109 NUTS1, 317 NUTS2)" in out
    assert "activities: 101 (68 division, 21 group, 12 section)" in out
    assert "8,304 missing/suppressed" in out
    assert "licence:    CC BY 4.0" in out


def test_data_list_json(capsys):
    assert main(["data", "list", "--format", "json"]) == 0
    rows = {r["dataset"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["nama_10r_3empers"]["years"] == "2000–2018"
    assert rows["nama_10r_3gdp"]["region_levels"] == "1 NUTS0, 4 NUTS1, 8 NUTS2, 21 NUTS3"


def test_data_show_by_region_name(capsys):
    assert main(["data", "show", "nama_10r_3empers", "--region", "Värmland", "--year", "2017", "--activity", "C",
                 "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "region,activity,year,measure,unit,value,flag"
    assert lines[1].startswith("SE311,C,2017,EMP,PER,16000.0")


def test_data_show_suppressed_as_missing(capsys):
    assert main(["data", "show", "sbs_r_nuts06_r2", "--region", "SE12", "--activity", "07"]) == 0
    out = capsys.readouterr().out
    assert "(missing)" in out and "c_or_na" in out


def test_import_and_errors(tmp_path, capsys):
    good = tmp_path / "jobs.csv"
    good.write_text("geo,nace,jobs\nSE311,C,16000\n")
    assert main(["data", "import", str(good), "--dataset", "cli_jobs", "--map", "region=geo", "--map", "activity=nace",
                 "--map", "value=jobs", "--set", "year=2017"]) == 0
    assert "imported" in capsys.readouterr().out
    assert main(["data", "import", str(good), "--dataset", "cli_jobs", "--map", "region=geo", "--map", "activity=nace",
                 "--map", "value=jobs", "--set", "year=2017"]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert main(["data", "import", str(good)]) == 2
    err = capsys.readouterr().err
    assert "jobs.csv, line 1: missing columns" in err and "--map region=geo" in err
    assert main(["data", "show", "no_such_dataset"]) == 2
    assert "unknown dataset 'no_such_dataset'" in capsys.readouterr().err
    assert main(["data", "show", "nama_10r_3empers", "--region", "Stockholm"]) == 2
    assert "ambiguous" in capsys.readouterr().err
