"""Every form of the platform, posted with generated values, never gives a server error.

The forms are found from the URL configuration: every URL pattern (``get_resolver``) is opened
by a coordinator, a stakeholder and an anonymous visitor, and every ``<form>`` on the pages
(and every input that HTMX sends by itself) is submitted with values generated for its
fields' types: text (unicode, empty, very long, structured lines such as ``2027: 10``),
numbers (negative, huge, not numbers), dates, choices (also invalid ones), files (small CSV,
garbage, JSON). A new page's form is thus fuzzed without being listed here; a URL that
only accepts POST must be the action of some form found.

Each example runs in a transaction that is rolled back, so every example starts from the
same strategy. ``SMARTSPEC_FUZZ_EXAMPLES`` sets the examples per form (default 25).
"""

from __future__ import annotations

import json
import os
import string
import traceback
import warnings
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import (
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartspec.platform.core.models import Actor, Document, Goal, GovernanceBody
from smartspec.platform.policy.models import (
    Action,
    Evaluation,
    Indicator,
    Milestone,
    Target,
)

EXAMPLES = int(os.environ.get("SMARTSPEC_FUZZ_EXAMPLES", "25"))
ROLES = ["coordinator", "stakeholder", "anonymous"]
SKIP_NAMESPACES = {"admin"}  # Django's own admin, for staff only
ABSENT = object()  # a field left out of the request


# --- the forms on a page -------------------------------------------------------------------------------

@dataclass
class Field:
    name: str
    kind: str  # text, textarea, number, date, datetime-local, email, url, hidden, file, choice, multi, password …
    options: list[str] = field(default_factory=list)
    initial: str = ""


@dataclass
class Form:
    method: str
    action: str
    page: str
    fields: dict[str, Field] = field(default_factory=dict)

    def add(self, f: Field) -> None:
        known = self.fields.get(f.name)
        if known and known.kind in ("choice", "multi"):  # one more radio button or checkbox of the group
            known.options += [o for o in f.options if o not in known.options]
        else:
            self.fields[f.name] = f


class FormParser(HTMLParser):
    """The ``<form>`` elements of a page with their fields, and HTMX inputs (``hx-get``) as GET forms."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page, self.forms, self.form, self.select, self.textarea = page, [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.form = Form(a.get("method", "get").lower(), urljoin(self.page, a.get("action") or self.page), self.page)
            self.forms.append(self.form)
        elif tag == "input" and a.get("name"):
            self._input(a)
        elif tag == "select" and a.get("name"):
            self.select = Field(a["name"], "multi" if "multiple" in a else "choice")
        elif tag == "option" and self.select is not None:
            self.select.options.append(a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self.textarea = Field(a["name"], "textarea")
        elif tag == "button" and a.get("name"):
            self._add(Field(a["name"], "choice", [a.get("value", "")]))
        if a.get("hx-get") and a.get("name"):  # HTMX sends the input alone, as a GET
            htmx = Form("get", urljoin(self.page, a["hx-get"]), self.page)
            htmx.add(Field(a["name"], "text", initial=a.get("value", "")))
            self.forms.append(htmx)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None:
            self._add(self.select)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self._add(self.textarea)
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.initial += data

    def _input(self, a):
        kind = a.get("type", "text").lower()
        if kind in ("submit", "button", "reset", "image"):
            return
        if kind in ("radio", "checkbox"):
            self._add(Field(a["name"], "choice" if kind == "radio" else "multi", [a.get("value", "on")]))
        else:
            self._add(Field(a["name"], kind, initial=a.get("value", "")))

    def _add(self, f: Field) -> None:
        if self.form is not None:
            self.form.add(f)


# --- values per field type -------------------------------------------------------------------------------

STRUCTURED_PARTS = st.sampled_from(["62", "16", "17.11", "01.110", "J62", "B-E", "TOTAL", "99", "00", "62.99", "Z",
                                    "2027", "1990", "2101", "-1", "99999", "2026-06-30", "2026-02-30", "Kritisk massa",
                                    "nan", "inf", "1e309", "0", "0.5", "1", "1.5", "-5", "abc", "[x]", "", " "])
SEPARATORS = st.sampled_from([":", ", ", "; ", "\n", " ", ":", ","])
STRUCTURED = st.lists(st.tuples(STRUCTURED_PARTS, SEPARATORS), max_size=8).map(lambda xs: "".join(p + s for p, s in xs))
LONG = st.sampled_from([30, 301, 5001, 100_001]).flatmap(lambda n: st.sampled_from(["x" * n, "Å" * n, "62, " * (n // 4)]))
ODD = st.sampled_from(["", " ", "\x00", "\u202e", "😀", "<script>alert(1)</script>", "{{ 7 }}", "%(x)s", "%s",
                       "'; DROP TABLE core_actor; --", "../../etc/passwd", "C:\\x", "\r\n", "\ufeff", "a" * 301])
TEXT = st.one_of(st.text(max_size=40), STRUCTURED, ODD, LONG)
NUMBER = st.one_of(st.integers(-10 ** 6, 10 ** 6).map(str), st.integers(1980, 2110).map(str),
                   st.integers(-10 ** 30, 10 ** 30).map(str), st.floats().map(repr),
                   st.sampled_from(["", "abc", "1e309", "-0", "0x10", "١٢", "1,5", " 7 ", "NaN", "-inf", "9" * 40]))
DATE = st.one_of(st.dates().map(date.isoformat), st.dates(date(1985, 1, 1), date(2105, 1, 1)).map(date.isoformat),
                 st.sampled_from(["", "2024-02-30", "0000-01-01", "99999-12-31", "yesterday", "2026-13-01", "31/12/2026"]))
DATETIME = st.one_of(st.datetimes().map(lambda d: d.isoformat(timespec="minutes")), DATE,
                     st.sampled_from(["2026-01-01T25:99", "2026-01-01T12:00+99:00"]))
FILE_NAMES = st.sampled_from(["x.csv", "flows.parquet", "actors.xlsx", "strategy.json", "noext", ".csv", "ü ä.csv",
                              "a" * 200 + ".csv", "x.CSV", "..csv"])
CELL = st.text(alphabet=string.ascii_letters + string.digits + ".-;åäö \"", max_size=12)
CSV = st.tuples(st.sampled_from(["name,type,nace", "source,target,flow", "a;b;c", "", "name,type"]),
                st.lists(st.lists(CELL, min_size=1, max_size=4).map(",".join), max_size=6)).map(
    lambda hr: "\n".join([hr[0], *hr[1]]).encode())
JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                           st.sampled_from(["region", "code", "strategy", "areas", "format", "version", "x"]),
                           inner, max_size=4), max_leaves=12)
CONTENT = st.one_of(CSV, st.binary(max_size=300), st.just(b""), st.just(b"PK\x03\x04garbage"),
                    JSONISH.map(lambda x: json.dumps(x).encode()),
                    st.just(json.dumps({"region": {"code": "SE31"}, "strategy": {}}).encode()))
FILE = st.builds(lambda name, content: SimpleUploadedFile(name, content), FILE_NAMES, CONTENT)
BY_KIND = {"number": NUMBER, "date": DATE, "datetime-local": DATETIME, "file": FILE,
           "email": st.one_of(st.just("a@example.org"), TEXT), "url": st.one_of(st.just("https://example.org"), TEXT)}


def weighted(*pairs):
    """One of the strategies, each with its weight in percent (so that most forms are sometimes valid)."""
    def pick(n):
        for weight, strategy in pairs:
            if n < weight:
                return strategy
            n -= weight
        return pairs[-1][1]
    return st.integers(0, 99).flatmap(pick)


INVALID_CHOICE = st.one_of(st.just(""), st.sampled_from(["999999", "-1", "0", "x"]), st.text(max_size=8))


def value_of(f: Field):
    """A strategy of values for one field: a valid-looking value, odd ones, or (10 %) nothing."""
    if f.kind in ("choice", "multi"):
        options = st.sampled_from(f.options) if f.options else st.just("")
        one = weighted((70, options), (30, INVALID_CHOICE))
        values = st.lists(one, max_size=len(f.options) + 1) if f.kind == "multi" else one
    elif f.kind == "hidden":
        values = weighted((70, st.just(f.initial)), (15, NUMBER), (15, TEXT))
    else:
        values = BY_KIND.get(f.kind, TEXT)
    return weighted((90, values), (10, st.just(ABSENT)))


def data_of(form: Form):
    return st.fixed_dictionaries({name: value_of(f) for name, f in form.fields.items()}).map(
        lambda d: {k: v for k, v in d.items() if v is not ABSENT})


# --- the URLs ------------------------------------------------------------------------------------------

def url_patterns(resolver=None, prefix=""):
    """(route, pattern) of every URL pattern, walking the includes."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace not in SKIP_NAMESPACES:
                yield from url_patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), p


@pytest.fixture
def objects(world):
    """One object of each kind that has its own page, and the values of the URL parameters."""
    s = world["strategy"]
    actor = Actor.objects.create(strategy=s, name="Klusterorganisationen", kind="cluster", nace="16")
    body = GovernanceBody.objects.create(strategy=s, name="Styrgrupp", kind="steering")
    goal = Goal.objects.create(strategy=s, title="Fler jobb i skogen")
    goal.areas.add(world["area"])
    Document.objects.create(strategy=s, title="RUS", year=2020)
    action = Action.objects.create(area=world["area"], title="Pilot", start=date(2025, 1, 1), end=date(2026, 12, 31))
    Milestone.objects.create(action=action, title="Klart", due=date(2025, 6, 30))
    ind = Indicator.objects.create(strategy=s, name="Sysselsatta", area=world["area"], baseline_year=2020, baseline=1.0)
    Target.objects.create(indicator=ind, year=2027, value=2.0)
    ev = Evaluation.objects.create(strategy=s, title="Halvtid")
    by_route = {"actors": actor, "governance": body, "vision/goals": goal, "areas": world["area"], "plan/actions": action,
                "monitoring": ind, "evaluation": ev, "edp": world["consultation"]}
    params = {"sid": s.pk, "cid": world["consultation"].pk, "snap_id": world["snapshot"].pk, "fmt": "csv",
              "region_code": "SE31", "uid": world["users"]["stakeholder"].pk, "token": "not-a-valid-token"}
    return by_route, params


def url_of(route: str, pattern: URLPattern, by_route: dict, params: dict) -> str | None:
    """The pattern's URL with the fixture's objects, or None with a warning for a parameter not known here."""
    kwargs = {}
    for name in _parameters(route):
        if name in params:
            kwargs[name] = params[name]
        elif name in ("pk", "id"):
            tail = route.split(">/", 1)[-1]
            prefix = max((k for k in by_route if tail.startswith(k)), key=len, default=None)
            if prefix is None:
                warnings.warn(f"no object for {name} in {route}: add one to the fuzz test's fixture", stacklevel=2)
                return None
            kwargs[name] = by_route[prefix].pk
        else:
            warnings.warn(f"no value for the URL parameter {name} of {route}: add one to the fuzz test", stacklevel=2)
            return None
    return reverse(pattern.name, kwargs=kwargs)


def _parameters(route: str) -> list[str]:
    return [part.split(">")[0].split(":")[-1] for part in route.split("<")[1:]]


# --- the run -------------------------------------------------------------------------------------------

def clients(world) -> dict[str, tuple[Client, object]]:
    out = {}
    for role in ROLES:
        client = Client()
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en" if role == "coordinator" else "sv"
        out[role] = (client, world["users"].get(role))
    return out


def login(client, user):
    if user is not None:
        client.force_login(user)


def discover(world, by_route, params) -> tuple[dict, dict[str, str], list[str]]:
    """The forms found on every page, by (method, URL name, fields), each with the first role that
    sees it; the URLs that only take POST (by name); and the pages that failed."""
    forms, post_only, failed = {}, {}, []
    patterns = [(r, p) for r, p in url_patterns()]
    for role, (client, user) in clients(world).items():
        login(client, user)
        for route, pattern in patterns:
            url = url_of(route, pattern, by_route, params)
            if url is None:
                continue
            try:
                response = client.get(url)
            except Exception:  # noqa: BLE001 — every failure is collected and reported
                failed.append(f"GET {url} as {role}:\n{traceback.format_exc()}")
                continue
            if response.status_code >= 500:
                failed.append(f"GET {url} as {role}: {response.status_code}")
            if response.status_code == 405:
                post_only[pattern.name] = url
            if "html" not in response.get("Content-Type", ""):
                continue
            parser = FormParser(url)
            parser.feed(response.content.decode("utf-8", "replace"))
            for form in parser.forms:
                key = (form.method, _url_name(form.action), tuple(sorted(form.fields)))
                forms.setdefault(key, (role, form))
    return forms, post_only, failed


def _url_name(url: str) -> str:
    try:
        return resolve(urlsplit(url).path).url_name or url
    except Resolver404:
        return url


def submit(client, user, form: Form, data: dict) -> int:
    """One submission, rolled back; a server error fails (the test client raises the view's exception)."""
    with transaction.atomic():
        login(client, user)
        if form.method == "post":
            response = client.post(form.action, data)
        else:
            response = client.get(form.action, {k: v for k, v in data.items() if not isinstance(v, SimpleUploadedFile)})
        transaction.set_rollback(True)
    assert response.status_code < 500, f"{response.status_code} from {form.method.upper()} {form.action}"
    return response.status_code


def fuzz(client, user, form: Form) -> set[int]:
    """The statuses of the form's examples."""
    statuses = set()

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
    @given(data_of(form))
    def run(data):
        statuses.add(submit(client, user, form, data))

    run()
    return statuses


def test_no_form_gives_a_server_error(world, objects, capsys):
    by_route, params = objects
    forms, post_only, failed = discover(world, by_route, params)
    covered = {name for _method, name, _fields in forms}
    assert len(forms) >= 30, sorted(covered)  # the parser found the platform's forms
    for name in sorted(set(post_only) - covered):  # no page shows its form in the fixture's state: post it bare
        forms[("post", name, ())] = ("coordinator", Form("post", post_only[name], "(none)"))
    users, accepted = clients(world), []
    for (method, name, _fields), (role, form) in sorted(forms.items(), key=lambda kv: kv[0][:2]):
        client, user = users[role]
        try:
            statuses = fuzz(client, user, form)
        except Exception:  # noqa: BLE001 — every failure is collected and reported
            failed.append(f"{method.upper()} {form.action} ({name}, found on {form.page}) as {role}:\n"
                          f"{traceback.format_exc(limit=-8)}")
        else:
            accepted += [name] if any(300 <= s < 400 for s in statuses) else []
    with capsys.disabled():
        print(f"\nfuzzed {len(forms)} forms, {EXAMPLES} examples each; {len(accepted)} of them redirected "
              f"(accepted) at least once: " + ", ".join(sorted(f"{n}[{m}]" for m, n, _f in forms)))
    assert not failed, "\n\n".join(failed)
