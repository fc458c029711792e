from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from smartspec.platform.core.forms import LockedForm
from smartspec.platform.policy.models import Action, Indicator


class ActionForm(LockedForm):
    milestones = forms.CharField(label=_("Milestones"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("One per line: date: title, with [x] when done (2026-06-30: Ten firms have tested [x])"))

    class Meta:
        model = Action
        fields = ["area", "title", "objective", "activities", "lead", "partners", "external_partners", "instrument",
                  "budget", "funding", "start", "end", "status"]
        widgets = {"start": forms.DateInput(attrs={"type": "date"}), "end": forms.DateInput(attrs={"type": "date"}),
                   "objective": forms.Textarea(attrs={"rows": 2}), "activities": forms.Textarea(attrs={"rows": 3}),
                   "partners": forms.CheckboxSelectMultiple}

    def __init__(self, *args, strategy, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["lead"].queryset = strategy.actors.all()
        self.fields["partners"].queryset = strategy.actors.all()
        if self.instance.pk and not self.is_bound:
            self.initial["milestones"] = "\n".join(f"{m.due.isoformat()}: {m.title}{' [x]' if m.done else ''}"
                                                   for m in self.instance.milestones.all())

    def clean_milestones(self):
        out = []
        for i, line in enumerate([l for l in self.cleaned_data["milestones"].splitlines() if l.strip()], start=1):
            due, _sep, title = line.partition(":")
            done = title.rstrip().endswith("[x]")
            title = title.strip().removesuffix("[x]").strip()
            try:
                out.append((date.fromisoformat(due.strip()), title, done))
            except ValueError:
                raise forms.ValidationError(_("Line %(i)d: write date: title, e.g. 2026-06-30: Pilot ready") % {"i": i}) from None
            if not title:
                raise forms.ValidationError(_("Line %(i)d: the milestone needs a title") % {"i": i})
        return out

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end must not be before the start."))
        return data


class IndicatorForm(LockedForm):
    targets = forms.CharField(label=_("Targets"), required=False, help_text=_("One per line: year: value"),
                              widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = Indicator
        fields = ["name", "kind", "unit", "direction", "source", "area", "goal", "action", "baseline_year", "baseline",
                  "tolerance"]

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = strategy.areas.all()
        self.fields["goal"].queryset = strategy.goals.all()
        self.fields["action"].queryset = Action.objects.filter(area__strategy=strategy)
        if self.instance.pk and not self.is_bound:
            self.initial["targets"] = "\n".join(f"{t.year}: {t.value:g}" for t in self.instance.targets.all())

    def clean_targets(self):
        out = []
        for i, line in enumerate([l for l in self.cleaned_data["targets"].splitlines() if l.strip()], start=1):
            year, _sep, value = line.partition(":")
            try:
                out.append((int(year), float(value)))
            except ValueError:
                raise forms.ValidationError(_("Line %(i)d: write year: value, e.g. 2027: 52000") % {"i": i}) from None
        return out

    def clean(self):
        data = super().clean()
        if data.get("source") in ("area_employment", "area_lq") and not data.get("area"):
            self.add_error("area", _("A computed area indicator needs its priority area."))
        return data


class ActualForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    value = forms.FloatField(label=_("Actual"))
