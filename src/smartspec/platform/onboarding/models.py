"""Invitations by e-mail (to a role in a region, and optionally to a consultation) and what a
person says about themselves when they register (organisation, stakeholder type, language)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartspec.platform.core.models import Actor, Region, Role, Strategy


def new_key() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """One e-mail address invited to one role in a region: single-use, expires, can be revoked.
    The link carries the key signed with the server's secret (see ``services.token``)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    email = models.EmailField(_("e-mail"))
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="invitations")
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    consultation = models.ForeignKey("edp.Consultation", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="email_invitations")
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="sv")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="accepted_invitations")
    revoked_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("start_region", "May start regions (create a region's strategy and become its coordinator)")]

    def __str__(self):
        return f"{self.email} · {self.role} · {self.region.code}"

    @property
    def state(self) -> str:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if timezone.now() >= self.expires_at:
            return self.State.EXPIRED
        return self.State.PENDING

    def get_state_display(self):
        return self.State(self.state).label

    @property
    def asks_profile(self) -> bool:
        """Stakeholders say which organisation they come from and its type."""
        return self.role == Role.STAKEHOLDER or self.consultation_id is not None


class Profile(models.Model):
    """What a person said when registering: the mail language, organisation and stakeholder type."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="smartspec_profile")
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="sv")
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    kind = models.CharField(_("stakeholder type"), max_length=20, choices=Actor.Kind.choices, blank=True)

    def __str__(self):
        return f"{self.user} · {self.organisation}"
