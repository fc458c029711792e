"""Template tags of archiving and deleting: the links on every list and detail page."""

from django import template

register = template.Library()


@register.inclusion_tag("core/removal/links.html", takes_context=True)
def removal_links(context, kind: str, obj, next_url: str = ""):
    """Archive (or restore) and delete links for one object, shown to those who may edit the draft."""
    request = context.get("request")
    return {"kind": kind, "obj": obj, "strategy": context.get("strategy"), "can_edit": context.get("can_edit"),
            "next": next_url or (request.get_full_path() if request else "")}


@register.inclusion_tag("core/removal/toggle.html", takes_context=True)
def archived_toggle(context):
    """The "show archived" / "hide archived" switch of a list page."""
    request = context.get("request")
    return {"show_archived": context.get("show_archived"), "path": request.path if request else ""}
