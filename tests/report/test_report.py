"""The report in all four formats and both languages: content, self-containment, safety."""

import json
import subprocess

import openpyxl
import pytest

from smartspec import report
from smartspec.analysis import analyse
from smartspec.cli import main
from smartspec.errors import SmartspecError
from tests.browser import chromium_page

SECTIONS = ["profile", "specialisations", "portfolio", "relatedness", "outside", "priorities", "methods"]


@pytest.fixture(scope="module")
def result():
    return analyse("SE31", draws=100)


@pytest.fixture(scope="module")
def written(result, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return {fmt: report.write(result, out / f"SE31.{fmt}") for fmt in report.FORMATS}


def test_json_has_every_number(result, written):
    back = json.loads(written["json"].read_text())
    assert back["schema_version"] == "2.0"
    assert back["sections"]["relatedness"]["eci"] == result["sections"]["relatedness"]["eci"]
    rows = back["sections"]["specialisations"]["activities"]["rows"]
    assert len(rows) == len(result["sections"]["specialisations"]["activities"]["rows"]) > 60


def test_html_sections_and_offline_rendering(written):
    html = written["html"].read_text()
    for sid in SECTIONS:
        assert f'<section id="{sid}">' in html
    assert "<script src=" not in html and "<link " not in html
    with chromium_page() as page:
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(written["html"].as_uri())
        page.wait_for_selector("#chart-map svg", timeout=20000)
        charts = page.locator("div.chart svg").count()
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:", "about:"))] == []
    assert charts >= 10


def test_pdf_has_the_sections(written):
    text = subprocess.run(["pdftotext", str(written["pdf"]), "-"], capture_output=True, text=True, check=True).stdout
    for heading in ("1. Profile", "2. Specialisations", "3. Strength portfolio", "4. Relatedness and opportunities",
                    "5. The outside world", "6. Declared priorities against the evidence", "7. Methods and sources"):
        assert heading in text
    assert "CC BY 4.0" in text and "EuroGeographics" in text


def test_xlsx_one_sheet_per_table(written):
    book = openpyxl.load_workbook(written["xlsx"])
    assert {"profile", "specialisations", "shift_share", "portfolio", "opportunities", "peers", "partners",
            "declared_areas", "similar_areas", "sources", "parameters"} <= set(book.sheetnames)
    ws = book["specialisations"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["activity", "employment", "lq"] and "name" in header  # names added at render


def test_formula_injection_is_neutralised():
    assert report.safe_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert report.safe_cell("+1") == "'+1" and report.safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert report.safe_cell("-2") == "'-2" and report.safe_cell(-2.0) == -2.0 and report.safe_cell("SE31") == "SE31"


def test_swedish_report(tmp_path):
    res = analyse("SE311", lang="sv", draws=50, peers=5)
    path = report.write(res, tmp_path / "v.pdf")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for heading in ("1. Profil", "2. Specialiseringar", "3. Styrkeportfölj", "4. Släktskap och möjligheter",
                    "5. Omvärlden", "6. Uttalade prioriteringar mot underlaget", "7. Metoder och källor"):
        assert heading in text
    assert "pappersvarutillverkning" in " ".join(text.split())  # SCB's name of division 17, applied at render


def test_cli_analyse_writes_all_formats(tmp_path, capsys):
    outs = [str(tmp_path / f"r.{f}") for f in ("html", "json", "xlsx")]
    assert main(["analyse", "Oberbayern", "--peers", "4", *sum((["--out", o] for o in outs), [])]) == 0
    captured = capsys.readouterr()
    assert "[1/8] data" in captured.err and "DE21 Oberbayern (nuts2)" in captured.err
    assert "structure: sbs_r_nuts06_r2 v1 (V16910), division × nuts2 for DE21" in captured.err
    assert all((tmp_path / f"r.{f}").stat().st_size > 1000 for f in ("html", "json", "xlsx"))


def test_cli_errors(tmp_path, capsys):
    assert main(["analyse", "Atlantis"]) == 2
    assert "unknown region 'Atlantis'" in capsys.readouterr().err
    assert main(["analyse", "DE21", "--dataset", "nama_10r_3empers"]) == 2
    assert "no dataset covers DE21 (Oberbayern, nuts2) among nama_10r_3empers" in capsys.readouterr().err
    assert main(["analyse", "SE31", "--out", str(tmp_path / "x.docx")]) == 2
    assert "unknown report format 'docx'" in capsys.readouterr().err
    # a user error is one line and exit status 2, never a traceback; --debug shows the traceback
    assert main(["analyse", "SE31", "--lang", "de"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "--lang 'de'" in err
    with pytest.raises(SmartspecError):
        main(["--debug", "analyse", "SE31", "--lang", "de"])

