"""Readers on the real files of the offline mirror, and their errors."""


import numpy as np
import pandas as pd
import pytest

from smartspec.data import readers
from smartspec.data.readers.detect import read_any, sniff_format
from smartspec.data.tidy import COLUMNS
from smartspec.errors import InputError

FIX = "fixtures"


def _cell(frame, **where):
    sel = frame
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, (where, sel)
    return sel.iloc[0]


def test_eurostat_tsv_values_and_flags(data_dir):
    frame = readers.read_eurostat_tsv(data_dir / FIX / "eurostat_tsv/employed_per_sector_sample_data.tsv")
    assert list(frame.columns) == COLUMNS
    assert len(frame) == 99 * 28
    row = _cell(frame, region="DE234", activity="F", year=2020, measure="SAL")
    assert row.value == 3.16 and row.flag == "p" and row.unit == "THS"
    assert _cell(frame, region="DE234", activity="F", year=2019, measure="SAL").flag == ""
    missing = _cell(frame, region="DE234", activity="F", year=2022, measure="SAL")
    assert np.isnan(missing.value) and missing.flag == "na"
    assert set(frame.flag) == {"", "na", "p", "b"}
    assert "M-N" in set(frame.activity)  # Eurostat's M_N


def test_eurostat_tsv_gdp_partial(data_dir):
    frame = readers.read_eurostat_tsv(data_dir / FIX / "eurostat_tsv/gdp_sample_data_HEAD_partial.tsv")
    assert frame.region.nunique() <= 30 and set(frame.activity) == {"TOTAL"}
    row = _cell(frame, region="HU22", year=2000)
    assert row.value == 11312.74 and row.unit == "MIO_PPS_EU27_2020"
    assert _cell(frame, region="AL035", year=2021).flag == "p"


def test_sdmx_csv_matches_tsv(data_dir, tmp_path):
    """SDMX-CSV written from the real TSV's rows reads back to the same table."""
    tsv = readers.read_eurostat_tsv(data_dir / FIX / "eurostat_tsv/employed_per_sector_sample_data.tsv")
    lines = ["DATAFLOW,LAST UPDATE,freq,unit,wstatus,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"]
    for r in tsv.itertuples():
        value = "" if np.isnan(r.value) else repr(r.value)
        flag = "" if r.flag == "na" else r.flag
        nace = r.activity.replace("-", "_") if r.activity == "M-N" else r.activity
        lines.append(f"ESTAT:NAMA_10R_3EMPERS(1.0),27/05/24 23:00:00,A,{r.unit},{r.measure},{nace},{r.region},{r.year},{value},{flag}")
    path = tmp_path / "x.csv"
    path.write_text("\n".join(lines) + "\n")
    assert sniff_format(path) == "sdmx-csv"
    sdmx = readers.read_sdmx_csv(path)
    pd.testing.assert_frame_equal(sdmx.sort_values(COLUMNS[:5]).reset_index(drop=True),
                                  tsv.sort_values(COLUMNS[:5]).reset_index(drop=True))


def test_sbs_workbook_matches_mirror_table(data_dir):
    book = readers.read_sbs_workbook(data_dir / "eurostat/sbs_r_nuts06_r2_2014_workbook.xls")
    tidy = pd.read_csv(data_dir / "eurostat/sbs_r_nuts06_r2_2014.csv", dtype=str, keep_default_na=False)
    assert len(book) == len(tidy)
    assert (book.flag == "na").sum() == (tidy.obs_flag == "c_or_na").sum() == 9419
    # The same values, row by row, in the same order (regions × industries).
    tidy_values = pd.to_numeric(tidy.obs_value.replace("", np.nan))
    np.testing.assert_array_equal(book.value.to_numpy(), tidy_values.to_numpy())
    assert (book.activity.to_numpy() == tidy.nace_r2.to_numpy()).all()
    assert book.year.unique().tolist() == [2014]


def test_scb_jsonstat2_v2(data_dir):
    frame = readers.read_jsonstat2(data_dir / FIX / "pxweb/pxwebpy_scb_v2/TAB6471_data.json")
    assert len(frame) == 21 * 11 * 3 * 4
    # län 01 is NUTS3 SE110; monthly periods are kept apart in the measure
    row = _cell(frame, region="SE110", measure="0-9,TotSa,000007SF,period=2026M01")
    assert row.value == 245284 and row.year == 2026
    assert set(frame.region) == set(readers.scb.LAN_NUTS3.values())


def test_scb_jsonstat2_v1_without_region(data_dir):
    frame = readers.read_jsonstat2(data_dir / FIX / "pxweb/pxwebpy_scb_v1_history/response_se.json")
    assert len(frame) == 9 and set(frame.region) == {"SE"}
    assert _cell(frame, year=2020, measure="1,tot16+,HE0110J8").value == 332.8


def test_pxweb_json(data_dir):
    frame = readers.read_pxweb_json(data_dir / FIX / "pxweb/rOpenGov_pxweb_scb_v1/pxd_example_BefolkningNy_POST_json_v1.reconstructed.json")
    assert _cell(frame, year=2015, measure="OG,1,BE0101N1").value == 2762601


def test_scb_api_csv_windows1252(data_dir):
    """A verbatim SCB CSV answer: Windows-1252, thousands separated by a space."""
    frame = readers.read_scb_export(data_dir / FIX / "pxweb/rOpenGov_pxweb_scb_v1/responseTest_responseOK_KLStabell14LpMan_2013_content.csv")
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row.value == 34550 and row.year == 2013 and "period=2013M09" in row.measure
    assert "statlig sektor" in row.measure and "män" in row.measure


def _scb_export_rows(data_dir):
    """Real employment figures (nama_10r_3empers) laid out as SCB's download exports them."""
    emp = pd.read_csv(data_dir / "eurostat/nama_10r_3empers_SE.csv", dtype={"geo": str})
    emp = emp[emp.geo.isin(["SE311", "SE312"]) & emp.nace_r2.isin(["C", "F"]) & emp.time_period.isin([2016, 2017])]
    labels = {"SE311": "17 Värmlands län", "SE312": "20 Dalarnas län", "C": "C Tillverkning", "F": "F Byggverksamhet"}
    rows = []
    for (geo, nace), g in emp.groupby(["geo", "nace_r2"]):
        v = dict(zip(g.time_period, g.obs_value))
        rows.append([labels[geo], labels[nace], f"{v[2016]:.1f}".replace(".", ","), f"{v[2017]:.1f}".replace(".", ",")])
    rows[-1][-1] = ".."
    return emp, rows


def test_scb_export_csv_latin1_decimal_comma(data_dir, tmp_path):
    emp, rows = _scb_export_rows(data_dir)
    text = ["Förvärvsarbetande efter region, näringsgren SNI 2007 och år", "",
            '"region";"näringsgren SNI 2007";"2016";"2017"']
    text += [";".join(f'"{c}"' for c in r) for r in rows]
    text += ["", "Källa: SCB"]
    path = tmp_path / "export.csv"
    path.write_bytes("\r\n".join(text).encode("cp1252"))
    frame = read_any(path, fmt="scb-csv")
    assert set(frame.region) == {"SE311", "SE312"} and set(frame.activity) == {"C", "F"}
    expected = emp.set_index(["geo", "nace_r2", "time_period"]).obs_value
    for r in frame.itertuples():
        if r.region == "SE312" and r.activity == "F" and r.year == 2017:
            assert np.isnan(r.value) and r.flag == ".."
        else:
            assert r.value == expected[(r.region, r.activity, r.year)]


def test_scb_export_xlsx(data_dir, tmp_path):
    import openpyxl

    emp, rows = _scb_export_rows(data_dir)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Förvärvsarbetande efter region, näringsgren SNI 2007 och år"])
    ws.append([])
    ws.append(["region", "näringsgren SNI 2007", "2016", "2017"])
    for r in rows:
        ws.append(r)
    path = tmp_path / "export.xlsx"
    wb.save(path)
    frame = read_any(path)
    assert len(frame) == 8 and frame.value.isna().sum() == 1


def test_generic_csv_parquet_xlsx_roundtrip(tmp_path):
    frame = pd.DataFrame({"region": ["SE311", "SE311"], "activity": ["C", "F"], "year": [2017, 2017],
                          "value": [31000.0, np.nan], "flag": ["", "c"]})
    frame.to_csv(tmp_path / "a.csv", index=False)
    frame.to_parquet(tmp_path / "a.parquet")
    frame.to_excel(tmp_path / "a.xlsx", index=False)
    for name in ("a.csv", "a.parquet", "a.xlsx"):
        out = read_any(tmp_path / name)
        assert out.value.iloc[0] == 31000 and np.isnan(out.value.iloc[1]) and out.flag.iloc[1] == "c", name


def test_generic_mapping_and_defaults(tmp_path):
    (tmp_path / "b.csv").write_text("geo;nace;jobs\nSE311;C;31000\nSE312;C;29000\n")
    out = readers.read_table(tmp_path / "b.csv", mapping={"region": "geo", "activity": "nace", "value": "jobs"},
                             defaults={"year": 2017})
    assert out.value.sum() == 60000 and (out.year == 2017).all()


@pytest.mark.parametrize("content, message", [
    ("region,activity,year,value\nSE311,C,20x7,5\n", r"b.csv, line 2, column 'year': year '20x7' is not a whole year"),
    ("region,activity,year,value\nSE311,C,2017,5\nSE311,C,2017,five\n", r"line 3, column 'value': value 'five' is not a number"),
    ("region,activity,year,value\nSE311,ZZ,2017,5\n", r"line 2, column 'activity': unknown NACE Rev. 2 code 'ZZ'"),
    ("region,activity,value\nSE311,C,5\n", r"missing columns \['year'\]"),
    ("region,activity,year,value\n,C,2017,5\n", r"line 2, column 'region': empty region code"),
    ("region,activity,year,value\nSE311,C,2017,5,9\n", r"b.csv, line 2: more fields than the header's 4 columns"),
])
def test_generic_errors_name_the_place(tmp_path, content, message):
    path = tmp_path / "b.csv"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        readers.read_table(path)


def test_malformed_eurostat_tsv(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("freq,unit,geo\\TIME_PERIOD\t2020\t2021\nA,THS,SE311\t3.1\t3.x p\n")
    with pytest.raises(InputError, match=r"bad.tsv, line 2, column '2021': cell '3.x p'"):
        readers.read_eurostat_tsv(path)
    path.write_text("freq,unit,geo\\TIME_PERIOD\t2020\nA,THS\t3.1\n")
    with pytest.raises(InputError, match="line 2: expected 3 dimension codes"):
        readers.read_eurostat_tsv(path)


def test_bad_json_and_xlsx(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"class": "dataset", "id": [')
    with pytest.raises(InputError, match="not valid JSON"):
        readers.read_jsonstat2(path)
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(InputError, match="not an XLSX file"):
        readers.read_table(fake)


def test_xlsx_zip_bomb_is_refused(tmp_path):
    import zipfile

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    with pytest.raises(InputError, match="zip bomb"):
        readers.read_table(bomb)


def test_suppressed_cells_never_become_zero(data_dir):
    frame = readers.mirror.read_mirror_sbs([data_dir / "eurostat/sbs_r_nuts06_r2_2014.csv"])
    suppressed = frame[frame.flag == "c_or_na"]
    assert len(suppressed) > 8000 and suppressed.value.isna().all()
    assert not ((frame.value == 0) & (frame.flag != "")).any()
