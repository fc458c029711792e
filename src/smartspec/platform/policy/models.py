"""S3 steps 5 and 6: action plans per priority area, and indicators with baselines,
targets and actuals (entered, or computed from the statistics with their history)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartspec.platform.core.models import (
    Actor,
    Archivable,
    Goal,
    PriorityArea,
    Strategy,
    Versioned,
)


class Action(Archivable, Versioned):
    class Instrument(models.TextChoices):
        GRANT = "grant", _("Grant")
        VOUCHER = "voucher", _("Voucher")
        TESTBED = "testbed", _("Testbed")
        CLUSTER = "cluster", _("Cluster support")
        PROCUREMENT = "procurement", _("Innovation procurement")
        TRAINING = "training", _("Training")
        NETWORK = "network", _("Network")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        STOPPED = "stopped", _("Stopped")

    area = models.ForeignKey(PriorityArea, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=300)
    objective = models.TextField(_("objective"), blank=True)
    activities = models.TextField(_("activities"), blank=True)
    lead = models.ForeignKey(Actor, on_delete=models.SET_NULL, null=True, blank=True, related_name="led_actions",
                             verbose_name=_("lead actor"))
    partners = models.ManyToManyField(Actor, blank=True, related_name="partner_actions", verbose_name=_("partners"))
    external_partners = models.CharField(_("partners outside the region"), max_length=500, blank=True)
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices, default=Instrument.GRANT)
    budget = models.DecimalField(_("budget (SEK)"), max_digits=14, decimal_places=0, null=True, blank=True)
    funding = models.CharField(_("funding sources"), max_length=500, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["start", "title"]

    def __str__(self):
        return self.title


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=300)
    due = models.DateField(_("due"))
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due"]

    def __str__(self):
        return self.title


class Indicator(Archivable, Versioned):
    class Kind(models.TextChoices):
        CONTEXT = "context", _("Context")
        RESULT = "result", _("Result")
        OUTPUT = "output", _("Output")

    class Direction(models.TextChoices):
        UP = "up", _("Higher is better")
        DOWN = "down", _("Lower is better")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        AREA_EMPLOYMENT = "area_employment", _("Employment in the area's activities (A10 series)")
        AREA_LQ = "area_lq", _("LQ of the area's activities against the country (A10 series)")
        GDP_PER_HEAD = "gdp_per_head", _("Regional GDP per head (EUR)")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="indicators")
    area = models.ForeignKey(PriorityArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators")
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators")
    action = models.ForeignKey(Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators")
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.RESULT)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    direction = models.CharField(_("desired direction"), max_length=4, choices=Direction.choices, default=Direction.UP)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    baseline_year = models.PositiveIntegerField(_("baseline year"), null=True, blank=True)
    baseline = models.FloatField(_("baseline"), null=True, blank=True)
    tolerance = models.FloatField(_("tolerance"), default=0.15,
                                  help_text=_("On track within this share of the planned change; at risk within twice it"))

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveIntegerField(_("year"))
    value = models.FloatField(_("target"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["year"]
        unique_together = [("indicator", "year")]

    def __str__(self):
        return f"{self.year}: {self.value:g}"


class Observation(models.Model):
    """An actual value. Computed values keep their history: a re-import of the data adds
    new rows (with the dataset version) instead of overwriting."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    year = models.PositiveIntegerField(_("year"))
    value = models.FloatField(_("actual"), null=True)
    computed = models.BooleanField(default=False)
    dataset = models.CharField(max_length=80, blank=True)
    dataset_version = models.PositiveIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = _("actual value")
        verbose_name_plural = _("actual values")
        ordering = ["year", "-recorded_at"]

    def __str__(self):
        return f"{self.year}: {self.value if self.value is not None else '–'}"


class Evaluation(models.Model):
    """An evaluation cycle: questions, findings with their evidence, lessons and
    recommendations; its decision revises the strategy (a new version)."""

    class Subject(models.TextChoices):
        STRATEGY = "strategy", _("The whole strategy")
        AREA = "area", _("A priority area")
        ORGANISATION = "organisation", _("A cluster organisation or innovation network")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="evaluations")
    title = models.CharField(_("title"), max_length=300)
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices, default=Subject.STRATEGY)
    area = models.ForeignKey(PriorityArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="evaluations")
    organisation = models.ForeignKey(Actor, on_delete=models.SET_NULL, null=True, blank=True, related_name="evaluations")
    created_at = models.DateTimeField(default=timezone.now)
    decision = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    revision = models.ForeignKey(Strategy, on_delete=models.SET_NULL, null=True, blank=True, related_name="from_evaluations")

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class EvaluationEntry(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        FINDING = "finding", _("Finding")
        LESSON = "lesson", _("Lesson")
        RECOMMENDATION = "recommendation", _("Recommendation")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"))
    indicators = models.ManyToManyField(Indicator, blank=True, verbose_name=_("indicators"))
    documents = models.ManyToManyField("core.Document", blank=True, verbose_name=_("documents"))
    consultations = models.ManyToManyField("edp.Consultation", blank=True, verbose_name=_("consultations"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evaluation entry")
        verbose_name_plural = _("evaluation entries")
        ordering = ["kind", "created_at"]

    def __str__(self):
        return self.text[:80]


#: The RIS3 self-assessment wheel: three factors for each of the six steps, scored 0–5.
WHEEL = [
    ("analysis", ("regional_assets", "outward_dimension", "entrepreneurial_dynamics")),
    ("governance", ("structure", "broad_participation", "management")),
    ("vision", ("shared_vision", "broad_view_of_innovation", "future_scenarios")),
    ("priorities", ("critical_mass", "edp_driven_choice", "coherent_portfolio")),
    ("policy_mix", ("roadmap", "balanced_instruments", "pilot_projects")),
    ("monitoring", ("result_indicators", "monitoring_mechanism", "evaluation_and_revision")),
]


class Assessment(models.Model):
    """A self-assessment against the six steps, kept per strategy version."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="assessments")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    scores = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d}"
