"""Text files as users save them: UTF-8 (with or without BOM) or Windows-1252, with a comma,
semicolon or tab as delimiter."""

import csv

from smartspec.errors import InputError


def decode_text(raw: bytes, path) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError("neither UTF-8 nor Latin-1/Windows-1252 text", path=path)


def sniff_dialect(text: str):
    """The CSV dialect of ``text`` (delimiter , ; or tab); the plain comma dialect when unclear."""
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel
