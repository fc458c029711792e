"""What the platform's apps share to write a strategy page: the view decorator that checks
the user's role in the region, the page context, and the answer to a stale save."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from smartspec.platform.core.models import Strategy
from smartspec.platform.core.permissions import (
    can_coordinate,
    can_edit,
    can_view,
    is_frozen,
    require,
    require_edit,
)


def get_strategy(request, sid, *, edit=False, coordinate=False) -> Strategy:
    """The strategy, if the user may view it (``edit``: edit its content, a draft only;
    ``coordinate``: run it whatever its status)."""
    strategy = get_object_or_404(Strategy.objects.select_related("region"), pk=sid)
    if not request.user.is_authenticated:
        raise LoginRedirect(redirect_to_login(request.get_full_path()))
    if edit:
        require_edit(request.user, strategy)
    else:
        require(can_coordinate(request.user, strategy) if coordinate else can_view(request.user, strategy))
    return strategy


class LoginRedirect(Exception):
    def __init__(self, response):
        self.response = response


def strategy_view(edit=False, coordinate=False):
    """Decorator: resolves ``sid`` to a strategy the user may view (or edit, or coordinate)."""
    def wrap(func):
        def inner(request, sid, *args, **kwargs):
            try:
                strategy = get_strategy(request, sid, edit=edit, coordinate=coordinate)
            except LoginRedirect as r:
                return r.response
            return func(request, strategy, *args, **kwargs)
        inner.__name__ = func.__name__
        inner.__doc__ = func.__doc__
        return inner
    return wrap


def conflict(request, strategy, template, **extra):
    """The answer to a stale save (optimistic locking): the form again, with a conflict message, status 409."""
    messages.error(request, _("Someone else changed this after you opened it. Your changes were not saved: "
                              "reload the page to see the current version, then make your change again."))
    return render(request, template, page_context(request, strategy, conflict=True, **extra), status=409)


def page_context(request, strategy, **extra):
    """The context every strategy page needs: the strategy, whether the user may edit it (a draft)
    or coordinate it (any status), and whether lists show archived objects (``?archived=1``)."""
    return {"strategy": strategy, "can_edit": can_edit(request.user, strategy),
            "can_coordinate": can_coordinate(request.user, strategy), "frozen": is_frozen(strategy),
            "show_archived": request.GET.get("archived") == "1", **extra}
