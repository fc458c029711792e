"""The platform's table exports (actors, monitoring …), written in one place: XLSX, and CSV
that Excel opens right in the user's language — UTF-8 with a byte-order mark, and under
Swedish settings semicolons between the fields and a decimal comma (Excel's list separator
and decimal sign in a Swedish locale)."""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpResponse

from smartspec.report import safe_cell

#: Field separator and decimal sign of a CSV file, by language (Excel's regional settings).
CSV_STYLE = {"sv": (";", ","), "en": (",", ".")}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def number(value, lang: str) -> str:
    """A number as Excel reads it under ``lang``'s settings (no thousands separator)."""
    text = f"{value:.10g}" if isinstance(value, float) else str(value)
    return text.replace(".", CSV_STYLE.get(lang, CSV_STYLE["en"])[1])


def _cell(value, lang: str):
    value = safe_cell(value)
    if isinstance(value, bool) or value is None:
        return "" if value is None else value
    return number(value, lang) if isinstance(value, (int, float)) else value


def csv_bytes(header: list, rows: list[list], lang: str = "en") -> bytes:
    """The table as CSV: BOM, then ``;`` and decimal comma under Swedish, ``,`` and point otherwise."""
    delimiter = CSV_STYLE.get(lang, CSV_STYLE["en"])[0]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(v, lang) for v in row] for row in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(header: list, rows: list[list], sheet: str = "data") -> bytes:
    import openpyxl  # lazy: openpyxl costs ~65 ms at start-up (every manage command imports the views)

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append(header)
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def table_download(header: list, rows: list[list], fmt: str, name: str, lang: str = "en",
                   sheet: str = "data") -> HttpResponse:
    """The table as an attachment ``name.fmt`` (``xlsx`` or ``csv``)."""
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(header, rows, sheet), content_type=XLSX_TYPE)
    elif fmt == "csv":
        response = HttpResponse(csv_bytes(header, rows, lang), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
