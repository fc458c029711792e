"""How an area's evidence is shown wherever a number is given for it (evidence card, areas
list, dashboard, public page): measured values as they are, values on estimated suppressed
cells with ``≈`` and their interval, nothing where they cannot be estimated; the verdict
with the basis it rests on."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import get_language

from smartspec.report import i18n

register = template.Library()

DASH = "–"


def _lang() -> str:
    return "sv" if (get_language() or "").startswith("sv") else "en"


def _value(ev, key: str, digits: str):
    if not ev or not ev.get("available"):
        return DASH
    basis = ev.get("basis", "measured")
    if basis == "estimated" and ev.get(f"{key}_estimate") is not None:
        value, low, high = (floatformat(ev[f"{key}{part}"], digits) for part in ("_estimate", "_low", "_high"))
        return format_html('<span class="estimate" title="{}">≈\u00a0{}</span> <span class="interval small muted">({}–{})</span>',
                           i18n.t("estimate_interval", _lang(), value=value, low=low, high=high), value, low, high)
    if basis == "measured" and ev.get(key) is not None:
        return floatformat(ev[key], digits)
    return DASH  # incomplete: suppressed and not estimable, so nothing is claimed


@register.simple_tag
def lq_value(ev):
    """The area's LQ: measured, ``≈ estimate (low–high)`` on estimates, else –."""
    return _value(ev, "lq", "2")


@register.simple_tag
def employment_value(ev):
    """The area's employment: measured, ``≈ estimate (low–high)`` on estimates, else –."""
    return _value(ev, "employment", "0g")


@register.simple_tag
def verdict_label(ev):
    """The verdict in the viewer's language with the basis it rests on ("on estimates",
    "on a broader activity"); "horizontal theme" for an area that is one."""
    if not ev:
        return DASH
    if ev.get("horizontal") and not ev.get("available"):
        return f"{i18n.t('horizontal', _lang())}: {', '.join(ev['horizontal'])}"
    if not ev.get("available"):
        return DASH
    notes = [n for n in (ev.get("basis_name"), ev.get("coarser_name")) if n]
    return ev.get("verdict_name", ev.get("verdict", DASH)) + "".join(f" ({n})" for n in notes)
