"""Backup and restore of the platform's database and the data store, as one archive.

The archive (tar.gz) holds ``manifest.json``, ``platform.json`` (Django's dumpdata with
natural keys, every app but sessions and login-attempt records) and ``store.duckdb``.
Restore replaces both, atomically for each: the database in one transaction, the store
by moving a complete copy into place.
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from django.core.management import call_command
from django.db import transaction

from smartspec import __version__
from smartspec.data.store import Store
from smartspec.errors import SmartspecError

EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]
FORMAT = "smartspec-backup/1"


def backup(path) -> dict:
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        call_command("dumpdata", natural_foreign=True, natural_primary=True, exclude=EXCLUDE,
                     output=str(tmp / "platform.json"), verbosity=0)
        store = Store()
        has_store = store.path.exists()
        if has_store:
            with store.connect() as con:
                con.execute("CHECKPOINT")
            shutil.copy2(store.path, tmp / "store.duckdb")
        records = json.loads((tmp / "platform.json").read_text())
        manifest = {"format": FORMAT, "smartspec_version": __version__,
                    "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "records": len(records), "store": has_store}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1))
        part = path.with_name(path.name + ".part")
        with tarfile.open(part, "w:gz") as tar:
            for name in ("manifest.json", "platform.json", "store.duckdb"):
                if (tmp / name).exists():
                    tar.add(tmp / name, arcname=name)
        os.replace(part, path)
    return manifest


def restore(path) -> dict:
    path = Path(path)
    if not path.exists():
        raise SmartspecError(f"{path}: no such backup file")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        try:
            with tarfile.open(path, "r:gz") as tar:
                names = set(tar.getnames())
                if not {"manifest.json", "platform.json"} <= names or names - {"manifest.json", "platform.json", "store.duckdb"}:
                    raise SmartspecError(f"{path}: not a smartspec backup (unexpected contents {sorted(names)})")
                tar.extractall(tmp, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise SmartspecError(f"{path}: not a readable backup archive ({exc})") from None
        manifest = json.loads((tmp / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise SmartspecError(f"{path}: unknown backup format {manifest.get('format')!r}")
        with transaction.atomic():
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(tmp / "platform.json"), verbosity=0)
        if (tmp / "store.duckdb").exists():
            target = Store().path
            staged = target.with_name(target.name + ".restoring")
            shutil.copy2(tmp / "store.duckdb", staged)
            os.replace(staged, target)
            wal = target.with_name(target.name + ".wal")
            if wal.exists():
                wal.unlink()
    return manifest
