"""Load test: `smartspec serve`'s application under gunicorn on loopback against PostgreSQL.

For 60 s, 50 simulated stakeholders browse the dashboards and submit consultation scores
(locust, headless; users arrive logged in — sessions are made beforehand, so password hashing
is not part of the load). Prints p50/p95 latency per request type and overall, errors, and the
number of submissions sent against the number stored (audit records of saved responses).
Needs root (to start PostgreSQL from Debian's packages) or SMARTSPEC_TEST_DATABASE_URL.

    python benchmarks/load.py [--users 50] [--seconds 60] [--workers 4]
"""

import argparse
import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--workers", type=int, default=4)
    args = ap.parse_args()
    url = os.environ.get("SMARTSPEC_TEST_DATABASE_URL") or subprocess.run(
        [str(ROOT / "scripts/postgres.sh")], capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    dbname = f"smartspec_load_{os.getpid()}"
    subprocess.run(["su", "postgres", "-c", f"createdb -O smartspec {dbname}"], check=True)
    db_url = url.rsplit("/", 1)[0] + "/" + dbname
    home = tempfile.mkdtemp(prefix="smartspec-load-")
    env = {**os.environ, "DATABASE_URL": db_url, "SMARTSPEC_HOME": home, "SMARTSPEC_DB_CONN_MAX_AGE": "60",
           "DJANGO_SETTINGS_MODULE": "smartspec.platform.settings"}
    password = "load-Test-passw0rd-" + str(os.getpid())
    setup = f"""
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from smartspec.platform.demo import load_demo
from smartspec.platform.core.models import RegionRole, Role
from smartspec.platform.edp.models import Consultation
from django.contrib.auth import get_user_model
s = load_demo()
c = s.consultations.get(status="open")
User = get_user_model()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from smartspec.platform.core.models import AuditEvent
keys = []
for i in range(1, {args.users} + 1):
    u = User.objects.create_user(f"load{{i:03d}}", password={password!r})
    RegionRole.objects.create(user=u, region=s.region, role=Role.STAKEHOLDER)
    c.invited.add(u)
    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(u.pk), "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = u.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
open({str(Path(home) / "sessions.txt")!r}, "w").write(" ".join(keys))
print(s.pk, c.pk, AuditEvent.objects.filter(model="Response").count())
"""
    print("… preparing the database (migrate, demo, users)", file=sys.stderr)
    sid, cid, baseline = subprocess.run([PY, "-c", setup], env=env, capture_output=True, text=True, check=True).stdout.split()
    port = free_port()
    server = subprocess.Popen([PY, "-m", "gunicorn", "smartspec.platform.wsgi:application", "-b", f"127.0.0.1:{port}",
                               "-w", str(args.workers), "--threads", "4", "--log-level", "warning"], env=env)
    try:
        for _ in range(60):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        out = Path(home) / "locust"
        sent_file = Path(home) / "sent.txt"
        lenv = {**env, "LOAD_STRATEGY": sid, "LOAD_CONSULTATION": cid, "LOAD_SESSIONS": str(Path(home) / "sessions.txt"),
                "LOAD_SENT_FILE": str(sent_file)}
        print(f"… {args.users} users for {args.seconds} s against http://127.0.0.1:{port}", file=sys.stderr)
        subprocess.run([PY, "-m", "locust", "-f", str(ROOT / "benchmarks/locustfile.py"), "--headless", "-u", str(args.users),
                        "-r", str(max(1, args.users // 5)), "-t", f"{args.seconds}s", "--host", f"http://127.0.0.1:{port}",
                        "--csv", str(out), "--only-summary", "--loglevel", "WARNING"], env=lenv, check=False)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    count = """
import django; django.setup()
from smartspec.platform.core.models import AuditEvent
print(AuditEvent.objects.filter(model="Response").count())
"""
    stored = int(subprocess.run([PY, "-c", count], env=env, capture_output=True, text=True, check=True).stdout.strip())
    stored -= int(baseline)
    counts = dict(item.split("=") for item in sent_file.read_text().split())
    counts = {k: int(v) for k, v in counts.items()}
    in_flight = counts["sent"] - counts["accepted"] - counts["refused"] - counts["failed"]
    print(f"\n{'request':26} {'count':>7} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8}")
    with open(f"{out}_stats.csv") as fh:
        for row in csv.DictReader(fh):
            name = f"{row['Type']} {row['Name']}".strip() or "all"
            print(f"{name:26} {row['Request Count']:>7} {row['Failure Count']:>7} {row['50%']:>8} {row['95%']:>8}")
    print(f"\nsubmissions sent: {counts['sent']} = accepted {counts['accepted']} + refused {counts['refused']} "
          f"+ failed {counts['failed']} + in flight at the end {in_flight}; forms without a token: {counts['no_form']}")
    print(f"stored: {stored} — {'equal to' if stored == counts['accepted'] else 'NOT equal to'} the accepted")
    subprocess.run(["su", "postgres", "-c", f"dropdb {dbname}"], check=False)


if __name__ == "__main__":
    main()
