from django import forms
from django.utils.translation import gettext_lazy as _

from smartspec.data.classifications.nace import normalise_activity
from smartspec.errors import UnknownCodeError
from smartspec.platform.core.models import (
    Actor,
    Document,
    Goal,
    GovernanceBody,
    Meeting,
    Member,
    PriorityArea,
    Strategy,
    SwotEntry,
)
from smartspec.platform.core.services import level_name, tier_name


class LockedForm(forms.ModelForm):
    """Carries the version the user loaded, for optimistic locking."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["lock_version"] = self.instance.lock_version


class StrategyForm(LockedForm):
    class Meta:
        model = Strategy
        fields = ["title", "period_start", "period_end", "status"]


class VisionForm(LockedForm):
    class Meta:
        model = Strategy
        fields = ["vision"]
        widgets = {"vision": forms.Textarea(attrs={"rows": 5})}


class ActorForm(LockedForm):
    class Meta:
        model = Actor
        fields = ["name", "kind", "contact_name", "contact_email", "nace", "website"]

    def clean_nace(self):
        return clean_nace_list(self.cleaned_data["nace"])


class BodyForm(LockedForm):
    class Meta:
        model = GovernanceBody
        fields = ["name", "kind", "mandate"]
        widgets = {"mandate": forms.Textarea(attrs={"rows": 3})}


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["person", "actor", "role"]


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "minutes", "decisions"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "minutes": forms.Textarea(attrs={"rows": 3}),
                   "decisions": forms.Textarea(attrs={"rows": 2})}


class GoalForm(LockedForm):
    class Meta:
        model = Goal
        fields = ["title", "rationale", "areas"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 3}), "areas": forms.CheckboxSelectMultiple}


class SwotForm(forms.ModelForm):
    class Meta:
        model = SwotEntry
        fields = ["kind", "text", "source"]


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "url", "source", "year"]


def clean_nace_list(text: str) -> str:
    codes = []
    for part in [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]:
        code = part.split(":")[0].strip()
        try:
            normalise_activity(code)
        except UnknownCodeError as exc:
            raise forms.ValidationError(str(exc)) from None
        codes.append(part)
    return ", ".join(codes)


def parse_weighted(text: str) -> list[tuple[str, float]]:
    """``16, 17:0.5`` → [("16", 1.0), ("17", 0.5)]."""
    out = []
    for part in [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]:
        code, _, weight = part.partition(":")
        out.append((normalise_activity(code.strip()), float(weight) if weight.strip() else 1.0))
    return out


class AreaForm(LockedForm):
    nace = forms.CharField(label=_("NACE activities"), required=False,
                           help_text=_("Comma-separated NACE codes, optionally with weights: 16, 17, 02:0.5"))

    class Meta:
        model = PriorityArea
        fields = ["name", "name_en", "description", "kind", "orientation", "keywords", "organisation", "steering_group"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, strategy=None, **kwargs):
        super().__init__(*args, **kwargs)
        strategy = strategy or self.instance.strategy
        self.fields["organisation"].queryset = strategy.actors.all()
        self.fields["steering_group"].queryset = strategy.bodies.all()
        if self.instance.pk and not self.is_bound:
            self.initial["nace"] = ", ".join(a.nace if a.weight == 1 else f"{a.nace}:{a.weight:g}"
                                             for a in self.instance.activities.all())

    def clean_nace(self):
        text = self.cleaned_data["nace"]
        try:
            parse_weighted(text)
        except (UnknownCodeError, ValueError) as exc:
            raise forms.ValidationError(str(exc)) from None
        return text


class ActorImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"),
                           help_text=_("Columns: name, type (firm, academia, public, civil, cluster), contact, email, nace, website"))


class AnalysisRunForm(forms.Form):
    """Step 1's data choice: the structure dataset (chosen by coverage, or a stored dataset that
    covers the region) and optionally a reference dataset to compare the region with."""

    structure = forms.ChoiceField(label=_("Data for the structure"), required=False)
    reference = forms.ChoiceField(label=_("Compare with (reference regions)"), required=False)

    def __init__(self, *args, options=None, **kwargs):
        super().__init__(*args, **kwargs)
        options = options or {"structure": [], "reference": []}
        self.fields["structure"].choices = [("", _("chosen by coverage (recommended)"))] + [
            (o["dataset"], f"{o['dataset']} · {level_name(o['level'])} · {tier_name(o['tier'])} {o['home']} · {_years(o['years'])}")
            for o in options["structure"]]
        self.fields["reference"].choices = [("", _("the structure data's own regions"))] + [
            (o["dataset"], f"{o['dataset']} · {level_name(o['level'])} · {o['n_regions']} {tier_name(o['tier'])}")
            for o in options["reference"]]


def _years(years) -> str:
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"
