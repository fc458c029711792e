import math
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from smartspec.platform.core.forms import (
    MAX_YEAR,
    MIN_YEAR,
    LockedForm,
    check_period,
    check_year,
    limit_date,
    limit_year,
    offer_active,
)
from smartspec.platform.policy.models import Action, Indicator, Milestone


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
        super().__init__(*args, strategy=strategy, **kwargs)
        limit_date(self.fields["start"])
        limit_date(self.fields["end"])
        offer_active(self, area=areas, lead=strategy.actors.all(), partners=strategy.actors.all())
        if self.instance.pk and not self.is_bound:
            self.initial["milestones"] = "\n".join(f"{m.due.isoformat()}: {m.title}{' [x]' if m.done else ''}"
                                                   for m in self.instance.milestones.all())

    def clean_budget(self):
        budget = self.cleaned_data["budget"]
        if budget is not None and budget < 0:
            raise forms.ValidationError(_("The budget must not be negative."), code="budget")
        return budget

    def clean_milestones(self):
        lines = [line for line in self.cleaned_data["milestones"].splitlines() if line.strip()]
        return [_milestone(i, line) for i, line in enumerate(lines, start=1)]

    def clean(self):
        data = super().clean()
        check_period(self, "start", "end")
        start, end = data.get("start"), data.get("end")
        for i, (due, _title, _done) in enumerate(data.get("milestones") or [], start=1):
            if start and end and not start <= due <= end:
                self.add_error("milestones", _("Line %(i)d: the milestone's date is outside the action's period "
                                               "(%(start)s – %(end)s).") % {"i": i, "start": start, "end": end})
        return data


def _milestone(i: int, line: str) -> tuple[date, str, bool]:
    """``2026-06-30: Pilot ready [x]`` on line ``i`` → (date, title, done)."""
    due, _sep, title = line.partition(":")
    done = title.rstrip().endswith("[x]")
    title = title.strip().removesuffix("[x]").strip()
    try:
        day = date.fromisoformat(due.strip())
    except ValueError:
        raise forms.ValidationError(_("Line %(i)d: write date: title, e.g. 2026-06-30: Pilot ready") % {"i": i}) from None
    if not title:
        raise forms.ValidationError(_("Line %(i)d: the milestone needs a title") % {"i": i})
    if len(title) > Milestone._meta.get_field("title").max_length:
        raise forms.ValidationError(_("Line %(i)d: the title is too long (at most %(n)d characters).")
                                    % {"i": i, "n": Milestone._meta.get_field("title").max_length})
    _line_year(i, day.year)
    return day, title, done


def _line_year(i: int, year: int) -> None:
    try:
        check_year(year)
    except forms.ValidationError:
        raise forms.ValidationError(_("Line %(i)d: give a year between %(lo)d and %(hi)d.")
                                    % {"i": i, "lo": MIN_YEAR, "hi": MAX_YEAR}) from None


class IndicatorForm(LockedForm):
    targets = forms.CharField(label=_("Targets"), required=False, help_text=_("One per line: year: value"),
                              widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = Indicator
        fields = ["name", "kind", "unit", "direction", "source", "area", "goal", "action", "baseline_year", "baseline",
                  "tolerance"]

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, strategy=strategy, **kwargs)
        limit_year(self.fields["baseline_year"])
        offer_active(self, area=strategy.areas.all(), goal=strategy.goals.all(),
                     action=Action.objects.filter(area__strategy=strategy))
        if self.instance.pk and not self.is_bound:
            self.initial["targets"] = "\n".join(f"{t.year}: {t.value:g}" for t in self.instance.targets.all())

    def clean_tolerance(self):
        tolerance = self.cleaned_data["tolerance"]
        if tolerance is not None and not 0 <= tolerance <= 1:
            raise forms.ValidationError(_("The tolerance is a share: give a number from 0 to 1, e.g. 0.15."),
                                        code="tolerance")
        return tolerance

    def clean_targets(self):
        out = []
        for i, line in enumerate([x for x in self.cleaned_data["targets"].splitlines() if x.strip()], start=1):
            year, value = _target(i, line)
            if year in (y for y, _v in out):
                raise forms.ValidationError(_("Line %(i)d: the year %(year)d has a target already.")
                                            % {"i": i, "year": year}, code="duplicate")
            out.append((year, value))
        return out

    def clean(self):
        data = super().clean()
        if data.get("source") in ("area_employment", "area_lq") and not data.get("area"):
            self.add_error("area", _("A computed area indicator needs its priority area."))
        base = data.get("baseline_year")
        early = [y for y, _v in data.get("targets") or [] if base is not None and y < base]
        if early:
            self.add_error("targets", _("A target year (%(year)d) comes before the baseline year %(base)d.")
                           % {"year": early[0], "base": base})
        return data


def _target(i: int, line: str) -> tuple[int, float]:
    """``2027: 52000`` on line ``i`` → (2027, 52000.0): a plausible year and a finite value."""
    year, _sep, value = line.partition(":")
    try:
        year, value = int(year), float(value)
    except ValueError:
        raise forms.ValidationError(_("Line %(i)d: write year: value, e.g. 2027: 52000") % {"i": i}) from None
    _line_year(i, year)
    if not math.isfinite(value):
        raise forms.ValidationError(_("Line %(i)d: write year: value, e.g. 2027: 52000") % {"i": i})
    return year, value


class ActualForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    value = forms.FloatField(label=_("Actual"))
