"""Locust users for benchmarks/load.py: stakeholders who browse the dashboards and submit
consultation scores. Each simulated user logs in as its own stakeholder account."""

import itertools
import os
import re

from locust import HttpUser, between, events, task

SID = int(os.environ["LOAD_STRATEGY"])
CID = int(os.environ["LOAD_CONSULTATION"])
SESSIONS = open(os.environ["LOAD_SESSIONS"]).read().split()
_ids = itertools.count(0)
SENT = {"ok": 0, "failed": 0}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RADIO = re.compile(r'name="(s-\d+-\d+)" value="(\d)"')


class Stakeholder(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self):
        i = next(_ids)
        self.username = f"load{i + 1:03d}"
        self.client.cookies.set("sessionid", SESSIONS[i % len(SESSIONS)])

    @task(3)
    def dashboard(self):
        self.client.get(f"/s/{SID}/", name="dashboard")

    @task(2)
    def areas(self):
        self.client.get(f"/s/{SID}/areas/", name="areas")

    @task(1)
    def consultation(self):
        self.client.get(f"/s/{SID}/edp/{CID}/", name="consultation")

    @task(2)
    def submit(self):
        form = self.client.get(f"/s/{SID}/edp/{CID}/respond/", name="respond form")
        token = TOKEN.search(form.text)
        fields = sorted({name for name, _ in RADIO.findall(form.text)})
        if not token or not fields:
            SENT["failed"] += 1
            return
        data = {"csrfmiddlewaretoken": token.group(1), **{f: str(1 + hash((self.username, f)) % 5) for f in fields}}
        with self.client.post(f"/s/{SID}/edp/{CID}/respond/", data, name="submit scores", allow_redirects=False,
                              headers={"Referer": self.host + f"/s/{SID}/edp/{CID}/respond/"}, catch_response=True) as r:
            if r.status_code == 302:
                SENT["ok"] += 1
                r.success()
            else:
                SENT["failed"] += 1
                r.failure(f"status {r.status_code}")


@events.quitting.add_listener
def _report(environment, **kw):
    with open(os.environ["LOAD_SENT_FILE"], "w") as fh:
        fh.write(f"{SENT['ok']} {SENT['failed']}\n")
