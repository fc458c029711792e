"""What an IT department checks before go-live: deployment settings, throttled logins,
uploads, formula injection, backup and restore, migrations."""

import io
import os
import secrets
import subprocess
import sys
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from smartspec.platform.core.models import Actor
from tests.platform.conftest import PASSWORD

ENV = {k: v for k, v in os.environ.items() if not k.startswith("SMARTSPEC_ENV")}


def _manage(*args, **env):
    return subprocess.run([sys.executable, "-m", "smartspec", *args], capture_output=True, text=True,
                          env={**ENV, **env}, timeout=120)


def test_check_deploy_is_clean_in_production():
    out = _manage("manage", "check", "--deploy", "--fail-level", "WARNING", SMARTSPEC_ENV="production",
                  SMARTSPEC_SECRET_KEY=secrets.token_urlsafe(50), SMARTSPEC_ALLOWED_HOSTS="s3.example.org")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


@pytest.mark.parametrize("key", ["", "change-me", "django-insecure-abc", "short"])
def test_production_refuses_a_default_or_missing_secret_key(key):
    out = _manage("manage", "check", SMARTSPEC_ENV="production", SMARTSPEC_SECRET_KEY=key)
    assert out.returncode != 0 and "SMARTSPEC_SECRET_KEY must be set" in out.stderr


def test_login_is_throttled(client, world):
    url = reverse("login")
    for _ in range(5):
        client.post(url, {"username": "viewer", "password": "wrong-password"}, REMOTE_ADDR="10.9.9.9")
    response = client.post(url, {"username": "viewer", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code in (403, 429) and not response.wsgi_request.user.is_authenticated
    assert "Too many failed logins" in response.content.decode() or "För många" in response.content.decode()


def test_a_user_name_too_long_to_exist_is_a_form_error(client, world):
    """Found by the form fuzzing on PostgreSQL: the failed-login record could not store it (a 500)."""
    response = client.post(reverse("login"), {"username": "x" * 300, "password": "whatever"})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    assert "150" in response.content.decode()


def test_password_validation():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("12345678")
    validate_password("a-Long-and-unusual-passphrase-2026")


def _import(client, world, name, data):
    client.force_login(world["users"]["coordinator"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = Actor.objects.count()
    response = client.post(reverse("actor_import", args=[world["strategy"].pk]),
                           {"file": SimpleUploadedFile(name, data)}, follow=True)
    return [str(m) for m in response.context["messages"]], Actor.objects.count() - before


@pytest.mark.parametrize("name, data, message", [
    ("big.csv", b"name,type\n" + b"x" * (6 * 1024 * 1024), "larger than 5 MB"),
    ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a text (CSV) or XLSX file"),
    ("bad.csv", b"name,type\nFirma,rocket\n", "line 2, column 'type'"),
    ("noheader.csv", b"foo,bar\n1,2\n", "must name the columns 'name' and 'type'"),
])
def test_bad_uploads_are_refused_and_store_nothing(client, world, name, data, message):
    messages, added = _import(client, world, name, data)
    assert added == 0 and any(message in m for m in messages), messages


def test_xlsx_zip_bomb_is_refused(client, world):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    messages, added = _import(client, world, "bomb.xlsx", buf.getvalue())
    assert added == 0 and any("zip bomb" in m for m in messages)


def test_windows_1252_and_xlsx_uploads_work(client, world):
    messages, added = _import(client, world, "a.csv", "name;type\nHögskolan Väst;academia\n".encode("cp1252"))
    assert added == 1 and Actor.objects.filter(name="Högskolan Väst").exists()
    book = openpyxl.Workbook()
    book.active.append(["name", "type", "nace"])
    book.active.append(["Stålbyggarna AB", "firm", "24, 25"])
    buf = io.BytesIO()
    book.save(buf)
    messages, added = _import(client, world, "b.xlsx", buf.getvalue())
    assert added == 1 and Actor.objects.get(name="Stålbyggarna AB").nace == "24, 25"


def test_exports_neutralise_formulas(client, world):
    world["strategy"].actors.create(name='=HYPERLINK("http://evil.example","x")', kind="firm", contact_name="@SUM(A1)")
    client.force_login(world["users"]["viewer"])
    csv_text = client.get(reverse("actors_export", args=[world["strategy"].pk, "csv"])).content.decode()
    assert "'=HYPERLINK" in csv_text and "'@SUM(A1)" in csv_text
    xlsx = client.get(reverse("actors_export", args=[world["strategy"].pk, "xlsx"])).content
    ws = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in values
    # other regions' users get nothing
    client.force_login(world["users"]["other_coordinator"])
    assert client.get(reverse("actors_export", args=[world["strategy"].pk, "csv"])).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(world, tmp_path):
    from smartspec.data import Store, import_file
    from smartspec.platform.backup import backup, restore
    from smartspec.platform.core.models import PriorityArea

    csv_path = tmp_path / "jobs.csv"
    csv_path.write_text("region,activity,year,value\nSE311,C,2017,16000\n")
    import_file(csv_path, dataset="backup_probe")
    areas_before = sorted(PriorityArea.objects.values_list("name", flat=True))
    manifest = backup(tmp_path / "b.tar.gz")
    assert manifest["store"] and manifest["records"] > 10
    PriorityArea.objects.all().delete()
    Store().remove("backup_probe")
    restore(tmp_path / "b.tar.gz")
    assert sorted(PriorityArea.objects.values_list("name", flat=True)) == areas_before
    assert Store().find("backup_probe") is not None
    area = PriorityArea.objects.get(name="Skoglig bioekonomi")
    assert [a.nace for a in area.activities.all()] == ["16", "17"] and area.leads.count() == 1


def test_restore_refuses_a_foreign_archive(db, tmp_path):
    import tarfile

    from smartspec.errors import SmartspecError
    from smartspec.platform.backup import restore

    bad = tmp_path / "x.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        (tmp_path / "evil.sh").write_text("echo")
        tar.add(tmp_path / "evil.sh", arcname="../evil.sh")
    with pytest.raises(SmartspecError, match="not a smartspec backup"):
        restore(bad)


@pytest.mark.django_db(transaction=True)
def test_migrations_run_down_and_up():
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "edp", "zero", verbosity=0)
    call_command("migrate", "core", "zero", verbosity=0)
    assert "core_strategy" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "core_strategy" in connection.introspection.table_names()
