"""The strategy of a region and everything linked to it (S3 steps 1-4)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    """Optimistic locking: a save with a stale ``lock_version`` is refused."""

    lock_version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ArchivableQuerySet(models.QuerySet):
    def active(self):
        """What is not archived: what lists show by default."""
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)


class Archivable(models.Model):
    """An archived object stays stored and can be restored, but lists hide it by default."""

    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class Region(models.Model):
    """A region that runs a strategy on this server (NUTS code, e.g. SE311)."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Region coordinator")
    AREA_LEAD = "area_lead", _("Area lead")
    STAKEHOLDER = "stakeholder", _("Stakeholder")
    EVALUATOR = "evaluator", _("Evaluator")
    VIEWER = "viewer", _("Viewer")


class RegionRole(models.Model):
    """Permissions are per region: a user's role in one region says nothing about another."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="region_roles")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        unique_together = [("user", "region", "role")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.region.code}"


class Strategy(Versioned):
    """One version of a region's strategy for a period: a draft (editable), adopted (frozen, the
    public one; at most one per region and period) or superseded by a later adopted version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="strategies")
    title = models.CharField(_("title"), max_length=300)
    period_start = models.PositiveIntegerField(_("from year"))
    period_end = models.PositiveIntegerField(_("to year"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(default=False, help_text="Demonstration content, marked as such on every page")
    vision = models.TextField(_("vision"), blank=True)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="revisions",
                               verbose_name=_("revises"))

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["region__code", "-period_start"]
        unique_together = [("region", "period_start", "version")]
        constraints = [models.UniqueConstraint(fields=["region", "period_start"], condition=models.Q(status="adopted"),
                                               name="one_adopted_per_region_period")]

    def __str__(self):
        return f"{self.title} ({self.period_start}–{self.period_end})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @classmethod
    def status_for_import(cls, region, period_start: int, status: str | None) -> str:
        """The status an imported version gets: an unknown or old status ("revision") becomes
        a draft, and so does "adopted" when the region already has an adopted version for the period."""
        if status not in cls.Status.values:
            return cls.Status.DRAFT
        if status == cls.Status.ADOPTED and cls.objects.filter(region=region, period_start=period_start,
                                                               status=cls.Status.ADOPTED).exists():
            return cls.Status.DRAFT
        return status


class Actor(Archivable, Versioned):
    class Kind(models.TextChoices):
        FIRM = "firm", _("Firm")
        ACADEMIA = "academia", _("University or research institute")
        PUBLIC = "public", _("Public body")
        CIVIL = "civil", _("Civil society")
        CLUSTER = "cluster", _("Cluster organisation or innovation network")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="actors")
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    nace = models.CharField(_("NACE activities"), max_length=200, blank=True, help_text=_("Comma-separated NACE codes"))
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name"]
        unique_together = [("strategy", "name")]

    def __str__(self):
        return self.name


class GovernanceBody(Archivable, Versioned):
    class Kind(models.TextChoices):
        STEERING = "steering", _("Steering group of the strategy")
        AREA_STEERING = "area_steering", _("Steering group of a priority area")
        WORKING = "working", _("Working group")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="bodies")
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    mandate = models.TextField(_("mandate"), blank=True)

    class Meta:
        verbose_name = _("governance body")
        verbose_name_plural = _("governance bodies")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class Member(Archivable):
    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="members")
    person = models.CharField(_("person"), max_length=200)
    actor = models.ForeignKey(Actor, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships")
    role = models.CharField(_("role"), max_length=120, blank=True)


    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self):
        return f"{self.person} ({self.role})"


class Meeting(Archivable):
    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d}"


class Goal(Archivable, Versioned):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=300)
    rationale = models.TextField(_("why it matters"), blank=True)
    areas = models.ManyToManyField("PriorityArea", blank=True, related_name="goals", verbose_name=_("priority areas"))


    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.title


class AnalysisSnapshot(models.Model):
    """The engine's results for the region, kept as they were computed."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="snapshots")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    region_code = models.CharField(max_length=12)
    parameters = models.JSONField(default=dict)
    datasets = models.JSONField(default=list)
    result = models.JSONField()

    class Meta:
        verbose_name = _("analysis snapshot")
        verbose_name_plural = _("analysis snapshots")
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"{self.region_code} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"


class SwotEntry(Archivable):
    class Kind(models.TextChoices):
        STRENGTH = "S", _("Strength")
        WEAKNESS = "W", _("Weakness")
        OPPORTUNITY = "O", _("Opportunity")
        THREAT = "T", _("Threat")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="swot")
    kind = models.CharField(max_length=1, choices=Kind.choices)
    text = models.CharField(max_length=500)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("SWOT entry")
        verbose_name_plural = _("SWOT entries")

    def __str__(self):
        return self.text


class Document(Archivable):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    year = models.PositiveIntegerField(null=True, blank=True)


    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title


class PriorityArea(Archivable, Versioned):
    class Kind(models.TextChoices):
        STRENGTH = "strength", _("Established strength")
        GROWTH = "growth", _("Growth area")
        ENABLING = "enabling", _("Enabling area")

    class Orientation(models.TextChoices):
        TECHNOLOGY = "technology", _("Technology")
        SERVICE = "service", _("Service innovation")
        SOCIAL = "social", _("Social innovation")
        ENVIRONMENTAL = "environmental", _("Environmental innovation")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STRENGTH)
    orientation = models.CharField(_("orientation"), max_length=20, choices=Orientation.choices,
                                   default=Orientation.TECHNOLOGY)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    organisation = models.ForeignKey(Actor, on_delete=models.SET_NULL, null=True, blank=True, related_name="areas_run",
                                     verbose_name=_("cluster organisation or innovation network"))
    steering_group = models.ForeignKey(GovernanceBody, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="areas", verbose_name=_("steering group"))
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="led_areas",
                                   verbose_name=_("area leads"))
    evidence_snapshot = models.ForeignKey(AnalysisSnapshot, on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="areas")
    source_url = models.URLField(_("source"), blank=True, max_length=500)
    themes = models.JSONField(_("horizontal themes"), default=list, blank=True,
                              help_text="Themes across activities found in the area's name (digitalisation, "
                                        "sustainability …); an area that is only such a theme has no NACE codes")

    class Meta:
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")
        ordering = ["name"]
        unique_together = [("strategy", "name")]

    def __str__(self):
        return self.name


class AreaActivity(models.Model):
    """The area's definition: NACE activities with weights."""

    area = models.ForeignKey(PriorityArea, on_delete=models.CASCADE, related_name="activities")
    nace = models.CharField(max_length=10)
    weight = models.FloatField(default=1.0)
    #: Why the code was suggested for the area's name (``{"source", "matched_terms", "score", "level"}``
    #: of :func:`smartspec.analysis.matching.suggest_codes`); null for a code someone set.
    reason = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("NACE activity of an area")
        verbose_name_plural = _("NACE activities of areas")
        unique_together = [("area", "nace")]
        ordering = ["nace"]

    def __str__(self):
        return self.nace


class AuditEvent(models.Model):
    """Every change: who, when, what, before and after."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    region = models.ForeignKey(Region, on_delete=models.SET_NULL, null=True)
    action = models.CharField(max_length=20)
    model = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at"]
