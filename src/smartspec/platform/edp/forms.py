from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from smartspec.platform.core.forms import limit_date
from smartspec.platform.edp.models import Consultation, Criterion

#: A criterion's weight: above 0, at most this (the weights are relative to each other).
MAX_WEIGHT = 100.0

#: The criteria a new consultation starts with, in the coordinator's language (then they are data).
DEFAULT_CRITERIA = [(gettext_noop("Critical mass"), 1.0), (gettext_noop("Growth potential"), 1.0),
                    (gettext_noop("Relatedness to strengths"), 1.0), (gettext_noop("Societal challenge"), 1.0),
                    (gettext_noop("Commitment of actors"), 1.0)]


class ConsultationForm(forms.ModelForm):
    criteria = forms.CharField(label=_("Criteria and weights"), widget=forms.Textarea(attrs={"rows": 5}),
                               help_text=_("One per line: name: weight"))
    candidates = forms.ModelMultipleChoiceField(label=_("Candidate areas"), queryset=None,
                                                widget=forms.CheckboxSelectMultiple)
    invited = forms.ModelMultipleChoiceField(label=_("Invited stakeholders"), queryset=None,
                                             widget=forms.CheckboxSelectMultiple, required=False)

    class Meta:
        model = Consultation
        fields = ["title", "description", "closes_at"]
        widgets = {"closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, strategy, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].initial = "\n".join(f"{gettext(n)}: {w:g}" for n, w in DEFAULT_CRITERIA)
        self.fields["candidates"].queryset = strategy.areas.active()
        self.fields["invited"].queryset = users
        limit_date(self.fields["closes_at"])

    def clean_closes_at(self):
        """A consultation closes after it opens (it opens when created, at the earliest)."""
        closes = self.cleaned_data["closes_at"]
        opens = self.instance.created_at if self.instance.pk else timezone.now()
        if closes is not None and closes <= opens:
            raise forms.ValidationError(_("The consultation must close after it opens: give a later date."),
                                        code="closes_at")
        return closes

    def clean_criteria(self):
        out = []
        lines = [line for line in self.cleaned_data["criteria"].splitlines() if line.strip()]
        for i, line in enumerate(lines, start=1):
            name, weight = _criterion(i, line)
            if name in (n for n, _w in out):
                raise forms.ValidationError(_("Line %(i)d: the criterion “%(name)s” is given twice.")
                                            % {"i": i, "name": name}, code="duplicate")
            out.append((name, weight))
        if not out:
            raise forms.ValidationError(_("Give at least one criterion."), code="required")
        return out


def _criterion(i: int, line: str) -> tuple[str, float]:
    """``name: weight`` (weight 1 when not given) on line ``i``, the weight above 0 and at most 100."""
    name, sep, weight = line.rpartition(":")
    if not sep:
        name, weight = weight, "1"
    name = name.strip()[:Criterion._meta.get_field("name").max_length]
    if not name:
        raise forms.ValidationError(_("Line %(i)d: the criterion needs a name.") % {"i": i}, code="name")
    try:
        w = float(weight)
    except ValueError:
        raise forms.ValidationError(_("Line %(i)d: the weight “%(w)s” is not a number.")
                                    % {"i": i, "w": weight.strip()[:40]}, code="weight") from None
    if not (0 < w <= MAX_WEIGHT):  # also refuses nan
        raise forms.ValidationError(_("Line %(i)d: the weight must be above 0 and at most %(max)g.")
                                    % {"i": i, "max": MAX_WEIGHT}, code="weight")
    return name, w


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision and reasons"), widget=forms.Textarea(attrs={"rows": 5}))
    chosen = forms.ModelMultipleChoiceField(label=_("Chosen areas"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = consultation.candidates.all()
