"""The demo region: a fictitious S3 process built on real SE31 statistics and the
declared areas of Värmland, Dalarna and Gävleborg (mirror: sweden/s3_priority_areas.csv,
sources cited on each area). Everything is marked as demonstration content."""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from smartspec import config
from smartspec.platform.core import services
from smartspec.platform.core.lifecycle import revise
from smartspec.platform.core.models import (
    Actor,
    Document,
    Goal,
    GovernanceBody,
    Meeting,
    Member,
    PriorityArea,
    Region,
    RegionRole,
    Role,
    Strategy,
    SwotEntry,
)
from smartspec.platform.edp import services as edp
from smartspec.platform.edp.models import Candidate, Consultation, Criterion
from smartspec.platform.policy import services as monitoring
from smartspec.platform.policy.models import (
    WHEEL,
    Action,
    Assessment,
    Evaluation,
    EvaluationEntry,
    Indicator,
    Milestone,
    Target,
)

USERS = [("admin", "Admin", None), ("samordnare", "Sara Samordnare", Role.COORDINATOR),
         ("omradesledare", "Olle Områdesledare", Role.AREA_LEAD), ("intressent1", "Ida Intressent", Role.STAKEHOLDER),
         ("intressent2", "Isak Intressent", Role.STAKEHOLDER), ("intressent3", "Inga Intressent", Role.STAKEHOLDER),
         ("lasare", "Lasse Läsare", Role.VIEWER)]

ACTORS = [("Karlstads universitet", "academia", "72, 85"), ("Högskolan Dalarna", "academia", "85"),
          ("Högskolan i Gävle", "academia", "85"), ("Paper Province", "cluster", "17, 16"),
          ("Compare Karlstad", "cluster", "62, 63"), ("Dalarna Science Park", "cluster", "72, 70"),
          ("Future Position X", "cluster", "62, 71"), ("Region Värmland", "public", "84"),
          ("Region Dalarna", "public", "84"), ("Region Gävleborg", "public", "84"),
          ("Stora Enso Skoghall (demo)", "firm", "17"), ("Sandvik Coromant Gimo (demo)", "firm", "25, 28"),
          ("Solelkommissionen (demo)", "civil", "35")]

VISION_SV = ("Norra Mellansverige går från att vara en bra plats att bo på till att vara ett innovationsdrivet "
             "varumärke: en region där skog, stål och energi möter digitalisering, och där näringsliv, akademi "
             "och offentlig sektor tillsammans bygger nya styrkor på gamla.")


def _users():
    User = get_user_model()
    logins = {}
    for username, full, _ in USERS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            first, _, last = full.partition(" ")
            user.first_name, user.last_name = first, last
            user.is_staff = user.is_superuser = username == "admin"
            user.save()
            logins[username] = password
    path = config.home() / "demo_logins.txt"
    if logins:
        path.write_text("\n".join(f"{u} {p}" for u, p in logins.items()) + "\n")
        path.chmod(0o600)
    return {u.username: u for u in User.objects.filter(username__in=[u for u, *_ in USERS])}


@transaction.atomic
def load_demo(*, with_snapshot: bool = True) -> Strategy:
    """Create (or return) the demo strategy of SE31."""
    existing = Strategy.objects.filter(is_demo=True, region__code="SE31").order_by("version").first()
    if existing:
        return existing
    users = _users()
    region, _ = Region.objects.get_or_create(code="SE31", defaults={"name": "Norra Mellansverige"})
    for username, _, role in USERS:
        if role:
            RegionRole.objects.get_or_create(user=users[username], region=region, role=role)
    coord = users["samordnare"]
    s = Strategy.objects.create(region=region, title="Smart specialisering i Norra Mellansverige (demo)",
                                period_start=2021, period_end=2027, status=Strategy.Status.ADOPTED, is_demo=True,
                                vision=VISION_SV)
    actors = {n: Actor.objects.create(strategy=s, name=n, kind=k, nace=nace) for n, k, nace in ACTORS}
    steering = GovernanceBody.objects.create(strategy=s, name="Styrgrupp för smart specialisering", kind="steering",
                                             mandate="Beslutar om prioriteringar, följer upp strategin och reviderar den.")
    for person, org, role in [("Sara Samordnare", "Region Värmland", "ordförande"), ("Per Professor", "Karlstads universitet", "ledamot"),
                              ("Dana Direktör", "Dalarna Science Park", "ledamot"), ("Gösta Gävle", "Region Gävleborg", "ledamot")]:
        Member.objects.create(body=steering, person=person, actor=actors[org], role=role)
    Meeting.objects.create(body=steering, date=date(2024, 3, 12), minutes="Genomgång av analysunderlaget och SWOT.",
                           decisions="Konsultation om prioriterade områden öppnas.")
    Meeting.objects.create(body=steering, date=date(2024, 6, 4), minutes="Resultatet av konsultationen.",
                           decisions="Fem prioriterade områden fastställs.")
    forest_group = GovernanceBody.objects.create(strategy=s, name="Styrgrupp skoglig bioekonomi", kind="area_steering",
                                                 mandate="Leder området skoglig bioekonomi.")
    Member.objects.create(body=forest_group, person="Olle Områdesledare", actor=actors["Paper Province"], role="områdesledare")
    if with_snapshot:
        services.take_snapshot(s, coord, lang="sv", draws=200)
    services.import_declared_areas(s, coord, nuts3=["SE311", "SE312", "SE313"])
    forest = s.areas.filter(name="Skoglig bioekonomi").first()
    if forest:
        forest.organisation, forest.steering_group = actors["Paper Province"], forest_group
        forest.save()
        forest.leads.add(users["omradesledare"])
    games = s.areas.filter(name="Dataspel och spelifiering").first()
    if games:
        games.organisation = actors["Compare Karlstad"]
        games.kind, games.orientation = PriorityArea.Kind.GROWTH, PriorityArea.Orientation.SERVICE
        games.save()
    for kind, text, src in [("S", "Stark skogs-, pappers- och stålindustri (LQ över 3 för papper och stål)", "analys 2014"),
                            ("W", "Låg andel kunskapsintensiva tjänster", "analys"),
                            ("O", "Elektrifiering och solel bygger på befintliga styrkor inom elapparatur och energi", "analys"),
                            ("T", "Sårbarhet för enskilda stora arbetsgivare", "workshop 2024")]:
        SwotEntry.objects.create(strategy=s, kind=kind, text=text, source=src)
    Document.objects.create(strategy=s, title="Värmlands forsknings- och innovationsstrategi för hållbar smart specialisering 2022–2028",
                            source="Region Värmland", year=2022)
    goals = [("Fler arbetstillfällen i kunskapsintensiva verksamheter", "Regionens styrkor är kapitalintensiva; tillväxt kräver kunskap."),
             ("Ökad samverkan mellan akademi och näringsliv", "Forskningen i regionen når ännu få företag.")]
    for title, why in goals:
        g = Goal.objects.create(strategy=s, title=title, rationale=why)
        if forest:
            g.areas.add(forest)
    _consultations(s, users)
    _policy(s, users, actors)
    return s


def _policy(s: Strategy, users, actors):
    """A running action plan and a monitoring history over several periods."""
    forest = s.areas.filter(name="Skoglig bioekonomi").first()
    games = s.areas.filter(name="Dataspel och spelifiering").first()
    if not forest or not games:
        return
    testbed = Action.objects.create(area=forest, title="Testbädd för bioraffinaderi (demo)", instrument="testbed",
                                    objective="Pilotskala för nya fiberbaserade material.", lead=actors["Paper Province"],
                                    budget=12_000_000, funding="ERUF, Region Värmland, företag", start=date(2023, 3, 1),
                                    end=date(2026, 12, 31), status="running")
    testbed.partners.set([actors["Karlstads universitet"], actors["Stora Enso Skoghall (demo)"]])
    Milestone.objects.create(action=testbed, title="Pilotanläggning driftsatt", due=date(2024, 9, 30), done=True)
    Milestone.objects.create(action=testbed, title="Tio företag har testat", due=date(2026, 6, 30))
    Action.objects.create(area=forest, title="Innovationscheckar för skogsföretag (demo)", instrument="voucher",
                          budget=3_000_000, funding="Region Värmland", start=date(2024, 1, 1), end=date(2027, 12, 31),
                          status="running", lead=actors["Region Värmland"])
    Action.objects.create(area=games, title="Spelnätverk och inkubator (demo)", instrument="network", budget=4_500_000,
                          funding="ERUF, Karlstads kommun", start=date(2024, 6, 1), end=date(2027, 5, 31), status="planned",
                          lead=actors["Compare Karlstad"])
    emp = Indicator.objects.create(strategy=s, area=forest, name="Sysselsatta inom områdets branscher (A10: B–E)",
                                   kind="result", unit="personer", source="area_employment", baseline_year=2014)
    gdp = Indicator.objects.create(strategy=s, name="BNP per invånare", kind="context", unit="EUR",
                                   source="gdp_per_head", baseline_year=2019)
    out = Indicator.objects.create(strategy=s, area=forest, action=testbed, name="Företag som testat i testbädden",
                                   kind="output", unit="företag", baseline_year=2023, baseline=0)
    for ind in (emp, gdp):
        monitoring.refresh(ind, users["samordnare"])
    Target.objects.create(indicator=emp, year=2027, value=(emp.baseline or 0) * 1.05)
    Target.objects.create(indicator=gdp, year=2027, value=(gdp.baseline or 0) * 1.15)
    Target.objects.create(indicator=out, year=2026, value=10)
    for year, value in ((2023, 1), (2024, 4), (2025, 6)):
        out.observations.create(year=year, value=value, recorded_by=users["omradesledare"])
    _evaluation(s, users, actors, emp, out)


def _evaluation(s: Strategy, users, actors, emp, out):
    """One completed evaluation (of the cluster organisation) whose decision revised the strategy."""
    scores = dict(zip([f for _, fs in WHEEL for f in fs], [3, 2, 3, 3, 2, 2, 4, 2, 1, 3, 3, 2, 2, 3, 1, 1, 2, 1]))
    Assessment.objects.create(strategy=s, created_by=users["samordnare"], scores=scores)
    ev = Evaluation.objects.create(strategy=s, title="Klusterutvärdering av Paper Province 2025 (demo)",
                                   subject="organisation", organisation=actors["Paper Province"])
    done = s.consultations.filter(status="closed").first()
    for kind, text in [("question", "Når klusterorganisationen företag utanför pappersindustrin?"),
                       ("finding", "Sysselsättningen i områdets branscher minskar; testbädden har sex företag (mål tio)."),
                       ("lesson", "Testbädden lockar företag som redan samarbetar med universitetet."),
                       ("recommendation", "Bredda området till träbyggande och öppna testbädden för byggföretag.")]:
        entry = EvaluationEntry.objects.create(evaluation=ev, kind=kind, text=text, author=users["samordnare"])
        if kind == "finding":
            entry.indicators.set([emp, out])
            if done:
                entry.consultations.set([done])
    new = revise(s, users["samordnare"])
    forest = new.areas.get(name="Skoglig bioekonomi")
    forest.description = "Skoglig bioekonomi, breddad till träbyggande efter klusterutvärderingen 2025."
    forest.save()
    services.set_activities(forest, [("02", 1.0), ("16", 1.0), ("17", 1.0), ("41", 0.5)])
    ev.decision, ev.decided_at, ev.decided_by, ev.revision = (
        "Området breddas till träbyggande; testbädden öppnas för byggföretag.", timezone.now(), users["samordnare"], new)
    ev.save()
    Assessment.objects.create(strategy=new, created_by=users["samordnare"],
                              scores={**scores, "evaluation_and_revision": 3, "monitoring_mechanism": 3, "roadmap": 4})


def _consultations(s: Strategy, users):
    rng = random.Random(31)
    stakeholders = [users[u] for u in ("intressent1", "intressent2", "intressent3", "omradesledare")]
    areas = list(s.areas.all()[:6])
    done = Consultation.objects.create(strategy=s, title="Val av prioriterade områden 2024",
                                       description="Bedöm de föreslagna områdena enligt kriterierna.",
                                       status=Consultation.Status.OPEN)
    done.invited.set(stakeholders)
    crits = [Criterion.objects.create(consultation=done, name=n, weight=w) for n, w in
             [("Kritisk massa", 1.0), ("Tillväxtpotential", 1.5), ("Släktskap med styrkor", 1.0),
              ("Samhällsutmaning", 1.0), ("Aktörernas engagemang", 1.5)]]
    cands = [Candidate.objects.create(consultation=done, area=a, name=a.name) for a in areas]
    for i, user in enumerate(stakeholders):
        scores = {(c.pk, k.pk): max(1, min(5, 3 + (j % 3) - 1 + rng.choice([-1, 0, 0, 1]))) for j, c in enumerate(cands)
                  for k in crits}
        edp.save_response(done, user, scores, {cands[0].pk: "Stark bas i regionen."} if i == 0 else {})
    top = [r["candidate"] for r in edp.results(done)[:4]]
    edp.decide(done, users["samordnare"], "Styrgruppen väljer de fyra områden som fick högst sammanvägt betyg och som "
               "stöds av analysunderlaget (LQ och släktskapstäthet).", top, evidence=s.snapshots.first())
    open_c = Consultation.objects.create(strategy=s, title="Nya tillväxtområden 2025",
                                         description="Pågående konsultation.", status=Consultation.Status.OPEN,
                                         closes_at=timezone.now() + timedelta(days=60))
    open_c.invited.set(stakeholders)
    for n in ("Kritisk massa", "Tillväxtpotential", "Aktörernas engagemang"):
        Criterion.objects.create(consultation=open_c, name=n, weight=1.0)
    for a in areas[-3:]:
        Candidate.objects.create(consultation=open_c, area=a, name=a.name)


def demo_logins() -> str:
    path = config.home() / "demo_logins.txt"
    return path.read_text() if path.exists() else ""
