"""The platform's e-mail: invitations and reminders, in the recipient's language, through
Django's mail framework (SMTP from the SMARTSPEC_EMAIL_* settings, else the console)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from smartspec.platform.onboarding import services
from smartspec.platform.onboarding.models import Invitation


def _send(template: str, to: str, language: str, context: dict) -> None:
    with translation.override(language):
        subject = " ".join(render_to_string(f"onboarding/mail/{template}_subject.txt", context).split())
        body = render_to_string(f"onboarding/mail/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def invitation_url(request, invitation: Invitation) -> str:
    return request.build_absolute_uri(reverse("invitation", args=[services.token(invitation)]))


def send_invitation(request, invitation: Invitation) -> None:
    """The invitation with its link, in the language chosen for the invitee."""
    _send("invitation", invitation.email, invitation.language, {
        "inv": invitation, "url": invitation_url(request, invitation), "sender": request.user,
        "role": _role_label(invitation)})


def send_reminder(request, consultation, *, invitation: Invitation | None = None, user=None) -> None:
    """A reminder to respond: with the invitation link when not yet registered, else the consultation's page."""
    if invitation is not None:
        to, language, url = invitation.email, invitation.language, invitation_url(request, invitation)
    else:
        to, language = user.email, services.language_of(user)
        url = request.build_absolute_uri(reverse("consultation", args=[consultation.strategy_id, consultation.pk]))
    _send("reminder", to, language, {"c": consultation, "url": url, "sender": request.user,
                                      "region": consultation.strategy.region})


def _role_label(invitation: Invitation) -> str:
    return str(invitation.get_role_display())
