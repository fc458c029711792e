"""Entrepreneurial discovery: consultations on candidate areas, scored by stakeholders."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartspec.platform.core.models import (
    AnalysisSnapshot,
    Archivable,
    PriorityArea,
    Strategy,
)


class Consultation(Archivable):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="consultations")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    invited = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="invitations")

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN and (self.closes_at is None or timezone.now() < self.closes_at)


class Criterion(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.FloatField(_("weight"), default=1.0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["id"]

    def __str__(self):
        return self.name


class Candidate(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="candidates")
    area = models.ForeignKey(PriorityArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidacies")
    name = models.CharField(_("candidate area"), max_length=300)

    class Meta:
        verbose_name = _("candidate area")
        verbose_name_plural = _("candidate areas")
        ordering = ["id"]

    def __str__(self):
        return self.name


class Response(models.Model):
    """One response per invited stakeholder, editable until the consultation closes."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="edp_responses")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        unique_together = [("consultation", "user")]

    def __str__(self):
        return str(self.user)


class Score(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="scores")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        unique_together = [("response", "candidate", "criterion")]
        constraints = [models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="score_1_to_5")]

    def __str__(self):
        return str(self.value)


class Comment(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        unique_together = [("response", "candidate")]

    def __str__(self):
        return self.text[:80]


class Decision(models.Model):
    """The record linking the choice to the stakeholder input and the evidence."""

    consultation = models.OneToOneField(Consultation, on_delete=models.PROTECT, related_name="decision")
    text = models.TextField(_("decision and reasons"))
    chosen = models.ManyToManyField(Candidate, related_name="decisions", verbose_name=_("chosen areas"))
    evidence = models.ForeignKey(AnalysisSnapshot, on_delete=models.PROTECT, null=True, blank=True,
                                 verbose_name=_("analysis evidence"))
    results = models.JSONField(default=list, help_text="The aggregated scores at the time of the decision")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return self.text[:80]
