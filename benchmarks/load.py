"""Load test: `smartspec serve`'s application under gunicorn on loopback against PostgreSQL.

For 60 s, 50 simulated stakeholders browse the dashboards and submit consultation scores
(locust, headless; users arrive logged in — sessions are made beforehand, so password hashing
is not part of the load); then again with 200 (a workshop where a whole region's stakeholders
score at once). Prints p50/p95 latency per request type and overall, errors, and exact
accounting of the submissions: each is accepted, refused, failed or in flight at the end, and
the stored responses (audit records) must equal the accepted. Users finish the request they
are in when the time is up (locust's --stop-timeout), so none is cut off half-way.

Keep-alive: gunicorn closes an idle connection after --keep-alive seconds (2 by default); a
client that waits about as long between requests (these users wait 0.5–2 s) can send its next
request on a connection the server is closing, and gets a reset. The server keeps idle
connections for 75 s here, longer than any user's pause, as a reverse proxy in front of it
would (see the coordinator's guide).
Needs root (to start PostgreSQL from Debian's packages) or SMARTSPEC_TEST_DATABASE_URL.

    python benchmarks/load.py [--users 50,200] [--seconds 60] [--workers 4] [--keep-alive 75]
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
    ap.add_argument("--users", default="50,200", help="user counts, one run each")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers (one per core)")
    ap.add_argument("--keep-alive", type=int, default=75, help="seconds gunicorn keeps an idle connection")
    args = ap.parse_args()
    counts = [int(n) for n in args.users.split(",")]
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
for i in range(1, {max(counts)} + 1):
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
    sid, cid, _ = subprocess.run([PY, "-c", setup], env=env, capture_output=True, text=True, check=True).stdout.split()
    port = free_port()
    server = subprocess.Popen([PY, "-m", "gunicorn", "smartspec.platform.wsgi:application", "-b", f"127.0.0.1:{port}",
                               "-w", str(args.workers), "--threads", "4", "--keep-alive", str(args.keep_alive),
                               "--preload", "--log-level", "warning"], env=env)
    try:
        for _ in range(60):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        for users in counts:
            run(users, args.seconds, port, env, home, sid, cid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        subprocess.run(["su", "postgres", "-c", f"dropdb {dbname}"], check=False)


COUNT = """
import django; django.setup()
from smartspec.platform.core.models import AuditEvent
print(AuditEvent.objects.filter(model="Response").count())
"""


def stored_responses(env) -> int:
    return int(subprocess.run([PY, "-c", COUNT], env=env, capture_output=True, text=True, check=True).stdout.strip())


def run(users: int, seconds: int, port: int, env: dict, home: str, sid: str, cid: str) -> None:
    """One locust run of ``users`` for ``seconds``, and its figures."""
    out = Path(home) / f"locust-{users}"
    sent_file = Path(home) / f"sent-{users}.txt"
    lenv = {**env, "LOAD_STRATEGY": sid, "LOAD_CONSULTATION": cid, "LOAD_SESSIONS": str(Path(home) / "sessions.txt"),
            "LOAD_SENT_FILE": str(sent_file)}
    before = stored_responses(env)
    print(f"… {users} users for {seconds} s against http://127.0.0.1:{port}", file=sys.stderr)
    subprocess.run([PY, "-m", "locust", "-f", str(ROOT / "benchmarks/locustfile.py"), "--headless", "-u", str(users),
                    "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--stop-timeout", "30",
                    "--host", f"http://127.0.0.1:{port}", "--csv", str(out), "--only-summary", "--loglevel", "WARNING"],
                   env=lenv, check=False)
    stored = stored_responses(env) - before
    counts = {k: int(v) for k, v in (item.split("=") for item in sent_file.read_text().split())}
    in_flight = counts["sent"] - counts["accepted"] - counts["refused"] - counts["failed"]
    print(f"\n{users} users, {seconds} s")
    print(f"{'request':26} {'count':>7} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    with open(f"{out}_stats.csv") as fh:
        for row in csv.DictReader(fh):
            name = f"{row['Type']} {row['Name']}".strip() or "all"
            print(f"{name:26} {row['Request Count']:>7} {row['Failure Count']:>7} {row['50%']:>8} {row['95%']:>8} "
                  f"{row['99%']:>8}")
    with open(f"{out}_failures.csv") as fh:
        for row in csv.DictReader(fh):
            print(f"failure: {row['Method']} {row['Name']}: {row['Error']} ×{row['Occurrences']}")
    print(f"submissions sent: {counts['sent']} = accepted {counts['accepted']} + refused {counts['refused']} "
          f"+ failed {counts['failed']} + in flight at the end {in_flight}; forms without a token: {counts['no_form']}")
    print(f"stored: {stored} — {'equal to' if stored == counts['accepted'] else 'NOT equal to'} the accepted")

if __name__ == "__main__":
    main()
