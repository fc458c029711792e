"""Forms of onboarding: starting a region, inviting by e-mail, roles, registering."""

import re

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from smartspec.platform.core.models import Actor, Role
from smartspec.platform.onboarding import services

MAX_ADDRESSES = 200


def _language_field():
    lang = (get_language() or settings.LANGUAGE_CODE)[:2]
    return forms.ChoiceField(label=_("Language of the e-mail"), choices=settings.LANGUAGES,
                             initial=lang if lang in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE)


class StartRegionForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), help_text=_("A Swedish län or any European NUTS region (NUTS 2024)."))
    title = forms.CharField(label=_("Title of the strategy"), max_length=300,
                            initial=_("Smart specialisation strategy"))
    period_start = forms.IntegerField(label=_("From year"), min_value=2000, max_value=2100)
    period_end = forms.IntegerField(label=_("To year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—"), *services.region_choices()]
        year = timezone.now().year
        self.fields["period_start"].initial, self.fields["period_end"].initial = year, year + 6

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            raise ValidationError(_("The period ends before it starts."))
        return data


class EmailsField(forms.CharField):
    """Addresses one per line (or separated by commas or semicolons), checked one by one."""

    widget = forms.Textarea(attrs={"rows": 4})

    def clean(self, value):
        text = super().clean(value)
        addresses, bad = [], []
        for part in re.split(r"[\s,;]+", text or ""):
            part = part.strip().strip("<>").lower()
            if not part:
                continue
            try:
                validate_email(part)
            except ValidationError:
                bad.append(part)
            else:
                if part not in addresses:
                    addresses.append(part)
        if bad:
            raise ValidationError(_("Not an e-mail address: %(bad)s") % {"bad": ", ".join(bad[:5])})
        if not addresses:
            raise ValidationError(_("Give at least one e-mail address."))
        if len(addresses) > MAX_ADDRESSES:
            raise ValidationError(_("At most %(n)d addresses at a time.") % {"n": MAX_ADDRESSES})
        return addresses


class InviteForm(forms.Form):
    emails = EmailsField(label=_("E-mail addresses"), help_text=_("One per line."))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.STAKEHOLDER)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"] = _language_field()


class ConsultationInviteForm(forms.Form):
    emails = EmailsField(label=_("E-mail addresses of stakeholders"), help_text=_("One per line."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"] = _language_field()


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    action = forms.ChoiceField(choices=[("add", "add"), ("remove", "remove")], widget=forms.HiddenInput)


def _profile_fields(form, required: bool):
    form.fields["organisation"] = forms.CharField(label=_("Organisation"), max_length=300, required=required)
    form.fields["kind"] = forms.ChoiceField(label=_("Type of organisation"), required=required,
                                            choices=[("", "—"), *Actor.Kind.choices])


class AcceptForm(forms.Form):
    """An existing account accepts: stakeholders say (or confirm) their organisation and its type."""

    def __init__(self, *args, asks_profile=False, **kwargs):
        super().__init__(*args, **kwargs)
        if asks_profile:
            _profile_fields(self, required=True)


class RegisterForm(forms.Form):
    """A new account for the invited address: name and password (and the organisation for stakeholders)."""

    name = forms.CharField(label=_("Your name"), max_length=300)
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("At least 10 characters, not only digits, not a common password."))
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, email, asks_profile=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        if asks_profile:
            _profile_fields(self, required=True)

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            user = get_user_model()(username=self.email, email=self.email, first_name=data.get("name", ""))
            try:
                password_validation.validate_password(p1, user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data
