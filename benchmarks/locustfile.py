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
#: Every submission: sent when its POST starts; then accepted (302), refused (a 4xx answer: the
#: form said no) or failed (5xx or no answer). In flight at the end = sent − the three.
COUNTS = {"sent": 0, "accepted": 0, "refused": 0, "failed": 0, "no form": 0}
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
            COUNTS["no form"] += 1
            return
        data = {"csrfmiddlewaretoken": token.group(1), **{f: str(1 + hash((self.username, f)) % 5) for f in fields}}
        COUNTS["sent"] += 1
        with self.client.post(f"/s/{SID}/edp/{CID}/respond/", data, name="submit scores", allow_redirects=False,
                              headers={"Referer": self.host + f"/s/{SID}/edp/{CID}/respond/"}, catch_response=True) as r:
            if r.status_code == 302:
                COUNTS["accepted"] += 1
                r.success()
            elif 400 <= r.status_code < 500:
                COUNTS["refused"] += 1
                r.failure(f"refused: status {r.status_code}")
            else:
                COUNTS["failed"] += 1
                r.failure(f"status {r.status_code or 'no answer'}")


@events.quitting.add_listener
def _report(environment, **kw):
    with open(os.environ["LOAD_SENT_FILE"], "w") as fh:
        fh.write(" ".join(f"{k.replace(' ', '_')}={v}" for k, v in COUNTS.items()) + "\n")
