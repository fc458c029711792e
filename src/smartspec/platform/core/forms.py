from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from smartspec.data.classifications.nace import (
    activity_level,
    codes_at,
    normalise_activity,
)
from smartspec.data.paths import MissingDataError
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
from smartspec.platform.core.services import evidence, level_name, tier_name

#: The years a strategy, its indicators and its actions may name; documents may be older.
MIN_YEAR, MAX_YEAR, MIN_DOCUMENT_YEAR = 1990, 2100, 1900


def check_year(year: int, lo: int = MIN_YEAR, hi: int = MAX_YEAR) -> None:
    if not lo <= year <= hi:
        raise forms.ValidationError(_("Give a year between %(lo)d and %(hi)d.") % {"lo": lo, "hi": hi}, code="year")


def limit_year(field, lo: int = MIN_YEAR, hi: int = MAX_YEAR) -> None:
    """Replace an integer field's bounds with the plausible years."""
    field.validators = [v for v in field.validators if not isinstance(v, (MinValueValidator, MaxValueValidator))]
    field.validators.append(lambda year: check_year(year, lo, hi))
    field.widget.attrs.update(min=lo, max=hi)


def limit_date(field) -> None:
    """A date (or date and time) field whose year must be plausible."""
    field.validators.append(lambda day: check_year(day.year))


def check_period(form, start: str, end: str, message=None) -> None:
    """The error on ``end`` when it comes before ``start``."""
    data = form.cleaned_data
    if data.get(start) is not None and data.get(end) is not None and data[end] < data[start]:
        form.add_error(end, message or _("The end must not be before the start."))


def offer_active(form, **querysets) -> None:
    """Offer each named field the queryset's objects that are not archived, and those the
    form's object already holds (an archived actor still leads the action it led)."""
    for name, queryset in querysets.items():
        form.fields[name].queryset = queryset.filter(Q(archived_at__isnull=True) | Q(pk__in=_held(form.instance, name)))


def _held(instance, name: str) -> list:
    if instance is None or instance.pk is None:
        return []
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return list(getattr(instance, name).values_list("pk", flat=True))
    held = getattr(instance, field.attname)
    return [held] if held is not None else []


class LockedForm(forms.ModelForm):
    """Carries the version the user loaded, for optimistic locking; knows its strategy."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, strategy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategy = strategy or (self.instance.strategy if getattr(self.instance, "strategy_id", None) else None)
        if self.instance.pk and not self.is_bound:
            self.initial["lock_version"] = self.instance.lock_version


class UniqueNameMixin:
    """A name the strategy already uses for another object of the model is refused (the
    database's unique constraint, said as a message instead of a server error)."""

    def clean_name(self):
        name = self.cleaned_data["name"]
        model = self._meta.model
        if self.strategy is not None and model.objects.filter(strategy=self.strategy, name=name).exclude(
                pk=self.instance.pk).exists():
            raise forms.ValidationError(_("“%(name)s” is already used in this strategy; choose another name.")
                                        % {"name": name}, code="unique")
        return name


class StrategyForm(LockedForm):
    class Meta:
        model = Strategy
        fields = ["title", "period_start", "period_end"]  # the status changes on the Versions page (adopt, revise)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_year(self.fields["period_start"])
        limit_year(self.fields["period_end"])

    def clean(self):
        data = super().clean()
        check_period(self, "period_start", "period_end", _("The period must not end before it starts."))
        self._check_siblings(data)
        return data

    def _check_siblings(self, data) -> None:
        """The region's strategies are unique by first year and version, and one of them is
        adopted per first year (the database's constraints, said as messages)."""
        start = data.get("period_start")
        if start is None or not self.instance.region_id:
            return
        others = Strategy.objects.filter(region_id=self.instance.region_id, period_start=start).exclude(pk=self.instance.pk)
        if others.filter(version=self.instance.version).exists():
            self.add_error("period_start", _("The region already has a strategy from %(year)d in version %(v)d.")
                           % {"year": start, "v": self.instance.version})
        elif data.get("status") == Strategy.Status.ADOPTED and others.filter(status=Strategy.Status.ADOPTED).exists():
            self.add_error("status", _("Another version of the strategy from %(year)d is adopted already.")
                           % {"year": start})


class VisionForm(LockedForm):
    class Meta:
        model = Strategy
        fields = ["vision"]
        widgets = {"vision": forms.Textarea(attrs={"rows": 5})}


class ActorForm(UniqueNameMixin, LockedForm):
    class Meta:
        model = Actor
        fields = ["name", "kind", "contact_name", "contact_email", "nace", "website"]

    def clean_nace(self):
        text = clean_nace_list(self.cleaned_data["nace"])
        limit = self._meta.model._meta.get_field("nace").max_length
        if len(text) > limit:
            raise forms.ValidationError(_("At most %(n)d characters of NACE codes.") % {"n": limit}, code="max_length")
        return text


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_date(self.fields["date"])


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_year(self.fields["year"], MIN_DOCUMENT_YEAR)


def _parts(text: str) -> list[str]:
    return [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]


def known_activity(code: str) -> bool:
    """Whether a canonical code is one of NACE Rev. 2 at its level (sections, divisions and
    aggregates are checked by :func:`normalise_activity`; deeper codes against the
    classification files, by shape only when the data directory lacks them)."""
    level = activity_level(code)
    if level in ("total", "aggregate", "section", "division"):
        return True
    try:
        return code in codes_at(level)
    except MissingDataError:
        return True


def nace_code(text: str) -> str:
    """The canonical code of ``text``, or a ValidationError saying it is not a NACE code."""
    try:
        code = normalise_activity(text)
    except UnknownCodeError:
        code = None
    if code is None or not known_activity(code):
        raise forms.ValidationError(
            _("“%(code)s” is not a NACE Rev. 2 code: write a section (A–U), a division (10), a group (10.1), "
              "a class (10.11) or a detailed group (10.110).") % {"code": text[:40]}, code="nace")
    return code


def clean_nace_list(text: str) -> str:
    """An actor's NACE codes, each checked; one given twice is kept once."""
    codes, seen = [], set()
    for part in _parts(text):
        code = nace_code(part.split(":")[0].strip())
        if code not in seen:
            seen.add(code)
            codes.append(part)
    return ", ".join(codes)


def _weight(code: str, text: str) -> float:
    """A NACE code's weight: above 0 and at most 1 (1 when not given)."""
    if not text.strip():
        return 1.0
    try:
        weight = float(text)
    except ValueError:
        raise forms.ValidationError(_("The weight of %(code)s is not a number: “%(weight)s”.")
                                    % {"code": code, "weight": text.strip()[:40]}, code="weight") from None
    if not (0 < weight <= 1):  # also refuses nan
        raise forms.ValidationError(_("The weight of %(code)s must be above 0 and at most 1.") % {"code": code},
                                    code="weight")
    return weight


def weighted_codes(text: str) -> list[tuple[str, float]]:
    """``16, 17:0.5`` → [("16", 1.0), ("17", 0.5)], or a ValidationError naming the part at fault:
    an unknown code, a weight outside (0, 1], or a code given twice."""
    out, seen = [], set()
    for part in _parts(text):
        raw, _sep, weight = part.partition(":")
        code = nace_code(raw.strip())
        if code in seen:
            raise forms.ValidationError(_("%(code)s is given more than once.") % {"code": code}, code="duplicate")
        seen.add(code)
        out.append((code, _weight(code, weight)))
    return out


def parse_weighted(text: str) -> list[tuple[str, float]]:
    """As :func:`weighted_codes`, raising ValueError (the message translated) for code that is not a form."""
    try:
        return weighted_codes(text)
    except forms.ValidationError as exc:
        raise ValueError(exc.messages[0]) from None


class AreaForm(UniqueNameMixin, LockedForm):
    nace = forms.CharField(label=_("NACE activities"), required=False,
                           help_text=_("Comma-separated NACE codes, optionally with weights: 16, 17, 02:0.5"))

    class Meta:
        model = PriorityArea
        fields = ["name", "name_en", "description", "kind", "orientation", "keywords", "organisation", "steering_group"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_active(self, organisation=self.strategy.actors.all(), steering_group=self.strategy.bodies.all())
        self.warnings: list[str] = []
        if self.instance.pk and not self.is_bound:
            self.initial["nace"] = ", ".join(a.nace if a.weight == 1 else f"{a.nace}:{a.weight:g}"
                                             for a in self.instance.activities.all())

    def clean_nace(self):
        text = self.cleaned_data["nace"]
        uncovered = self.uncovered(weighted_codes(text))
        if uncovered:
            self.warnings.append(_("The analysis data hold none of these NACE codes, so the area's evidence "
                                   "leaves them out: %(codes)s.") % {"codes": ", ".join(uncovered)})
        return text

    def uncovered(self, codes: list[tuple[str, float]]) -> list[str]:
        """The codes the evidence snapshot's data do not cover, as the evidence code says
        (each asked alone); none when there is no snapshot or its data are not at hand."""
        snap = self.instance.evidence_snapshot if self.instance.evidence_snapshot_id else self.strategy.snapshots.first()
        if snap is None:
            return []
        return [code for code, _w in codes if evidence(snap.result, [(code, 1.0)]).get("reason") == "not_in_data"]


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


class LoginForm(AuthenticationForm):
    """Django's login form with the user name's length checked before anyone is asked:
    a longer name cannot exist, and the failed-login record (django-axes) could not store it
    (PostgreSQL refuses a value longer than its column; SQLite does not check)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
