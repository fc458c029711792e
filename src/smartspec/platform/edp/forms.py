from django import forms
from django.utils.translation import gettext_lazy as _

from smartspec.platform.edp.models import Consultation

DEFAULT_CRITERIA = [("Critical mass", 1.0), ("Growth potential", 1.0), ("Relatedness to strengths", 1.0),
                    ("Societal challenge", 1.0), ("Commitment of actors", 1.0)]


class ConsultationForm(forms.ModelForm):
    criteria = forms.CharField(label=_("Criteria and weights"), widget=forms.Textarea(attrs={"rows": 5}),
                               initial="\n".join(f"{n}: {w:g}" for n, w in DEFAULT_CRITERIA),
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
        self.fields["candidates"].queryset = strategy.areas.all()
        self.fields["invited"].queryset = users

    def clean_criteria(self):
        out = []
        for i, line in enumerate([l for l in self.cleaned_data["criteria"].splitlines() if l.strip()], start=1):
            name, _, weight = line.rpartition(":")
            if not name.strip():
                name, weight = weight, "1"
            try:
                w = float(weight)
            except ValueError:
                raise forms.ValidationError(_("Line %(i)d: the weight %(w)r is not a number") % {"i": i, "w": weight}) from None
            if w <= 0:
                raise forms.ValidationError(_("Line %(i)d: the weight must be positive") % {"i": i})
            out.append((name.strip()[:200], w))
        if not out:
            raise forms.ValidationError(_("Give at least one criterion"))
        return out


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision and reasons"), widget=forms.Textarea(attrs={"rows": 5}))
    chosen = forms.ModelMultipleChoiceField(label=_("Chosen areas"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = consultation.candidates.all()
