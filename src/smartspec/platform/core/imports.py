"""CSV/XLSX import of actors, validated row by row; all or nothing."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

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
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
            tmp.write(data)
            tmp.flush()
            rows = xlsx_rows(Path(tmp.name))
        header = [str(c or "").strip().lower() for c in rows[0]] if rows else []
        return [dict(zip(header, ["" if c is None else str(c).strip() for c in r])) for r in rows[1:]]
    if b"\x00" in data[:1024]:
        raise InputError("not a text (CSV) or XLSX file", path=name)
    text = decode_text(data, name)
    reader = csv.DictReader(io.StringIO(text), dialect=sniff_dialect(text))
    return [{(k or "").strip().lower(): (v or "").strip() for k, v in r.items()} for r in reader]


def import_actors(strategy, user, name: str, data: bytes) -> list[Actor]:
    rows = _rows(name, data)
    if not rows:
        raise InputError("the file has no rows", path=name)
    if "name" not in rows[0] or "type" not in rows[0]:
        raise InputError(f"the header must name the columns 'name' and 'type'; found {sorted(rows[0])}", path=name, line=1)
    actors = []
    seen = set(strategy.actors.values_list("name", flat=True))
    for i, r in enumerate(rows, start=2):
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
        except Exception as exc:
            raise InputError(str(getattr(exc, "messages", [exc])[0]), path=name, line=i, column="nace") from None
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
