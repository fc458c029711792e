"""CSV/XLSX import of actors, validated row by row; all or nothing."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from smartspec import config
from smartspec.data.readers.generic import xlsx_rows
from smartspec.data.readers.text import decode_text, sniff_dialect
from smartspec.errors import InputError
from smartspec.platform.core.forms import clean_nace_list
from smartspec.platform.core.models import Actor
from smartspec.platform.core.services import record

MAX_BYTES = 5 * 1024 * 1024
ALIASES = {"university": "academia", "företag": "firm", "akademi": "academia", "offentlig": "public",
           "civilsamhälle": "civil", "kluster": "cluster"}


def _rows(name: str, data: bytes) -> list[dict]:
    if len(data) > MAX_BYTES:
        raise InputError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB", path=name)
    if data[:2] == b"PK":
        rows = _xlsx(name, data)
        header = [str(c or "").strip().lower() for c in rows[0]] if rows else []
        return [dict(zip(header, ["" if c is None else str(c).strip() for c in r])) for r in rows[1:]]
    if b"\x00" in data[:1024]:
        raise InputError("not a text (CSV) or XLSX file", path=name)
    text = decode_text(data, name)
    reader = csv.DictReader(io.StringIO(text), dialect=sniff_dialect(text))
    rows = []
    for r in reader:
        if None in r:  # DictReader keeps the cells beyond the header under None
            raise InputError("the row has more cells than the header has columns", path=name, line=reader.line_num)
        rows.append({(k or "").strip().lower(): (v or "").strip() for k, v in r.items()})
    return rows


def _xlsx(name: str, data: bytes) -> list:
    """The rows of an uploaded workbook, read from a temporary copy; an error names the
    upload, not the copy (no server path in a message)."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            return xlsx_rows(Path(tmp.name))
        except InputError as exc:
            raise InputError(hide_path(str(exc), tmp.name, name)) from None
        except Exception:  # noqa: BLE001 — openpyxl's own errors on a damaged workbook
            raise InputError("not a readable XLSX workbook", path=name) from None


def hide_path(message: str, path, name: str) -> str:
    """``message`` with the server's ``path`` (a temporary copy) replaced by the file's own ``name``."""
    return message.replace(str(path), name)


def public_message(error) -> str:
    """An error's message as a user may see it: the server's directories (data directory,
    workspace, temporary directory) are named, not shown."""
    text = str(error)
    dirs = [(config.data_dir(), "<data directory>"), (config.home(), "<workspace>"),
            (Path(tempfile.gettempdir()), "<temporary directory>")]
    for path, label in sorted(((str(p), label) for p, label in dirs if p), key=lambda d: -len(d[0])):
        text = text.replace(path, label)
    return text


def import_actors(strategy, user, name: str, data: bytes) -> list[Actor]:
    rows = _rows(name, data)
    if not rows:
        raise InputError("the file has no rows", path=name)
    if "name" not in rows[0] or "type" not in rows[0]:
        raise InputError(f"the header must name the columns 'name' and 'type'; found {sorted(rows[0])}", path=name, line=1)
    actors = []
    seen = set(strategy.actors.values_list("name", flat=True))
    for i, r in enumerate(rows, start=2):
        r = {"name": "", "type": "", **r}  # a short XLSX row lacks the last columns
        kind = ALIASES.get(r["type"].lower(), r["type"].lower())
        if not r["name"]:
            raise InputError("empty name", path=name, line=i, column="name")
        if kind not in {k.value for k in Actor.Kind}:
            raise InputError(f"type {r['type']!r} is not one of firm, academia, public, civil, cluster",
                             path=name, line=i, column="type")
        if r["name"] in seen:
            raise InputError(f"actor {r['name']!r} exists already (or twice in the file)", path=name, line=i, column="name")
        seen.add(r["name"])
        try:
            nace = clean_nace_list(r.get("nace", ""))
        except ValidationError as exc:
            raise InputError(exc.messages[0], path=name, line=i, column="nace") from None
        actor = Actor(strategy=strategy, name=r["name"][:300], kind=kind, contact_name=r.get("contact", "")[:200],
                      contact_email=r.get("email", "")[:254], nace=nace, website=r.get("website", "")[:200])
        try:
            actor.full_clean(exclude=["strategy"], validate_unique=False)
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise InputError(messages[0], path=name, line=i, column=field) from None
        actors.append(actor)
    with transaction.atomic():
        for a in actors:
            a.save()
            record(user, strategy.region, "create", a, summary=f"imported actor {a.name}")
    return actors
