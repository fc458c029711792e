"""What the platform's apps share to write a strategy page: the view decorator that checks
the user's role in the region, the page context, and the answer to a stale save."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from smartspec.platform.core.models import Strategy
from smartspec.platform.core.permissions import can_edit, can_view, require


def get_strategy(request, sid, *, edit=False) -> Strategy:
    strategy = get_object_or_404(Strategy.objects.select_related("region"), pk=sid)
    if not request.user.is_authenticated:
        raise LoginRedirect(redirect_to_login(request.get_full_path()))
    require(can_edit(request.user, strategy) if edit else can_view(request.user, strategy))
    return strategy


class LoginRedirect(Exception):
    def __init__(self, response):
        self.response = response


def strategy_view(edit=False):
    """Decorator: resolves ``sid`` to a strategy the user may view (or edit)."""
    def wrap(func):
        def inner(request, sid, *args, **kwargs):
            try:
                strategy = get_strategy(request, sid, edit=edit)
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
    """The context every strategy page needs: the strategy and whether the user may edit it."""
    return {"strategy": strategy, "can_edit": can_edit(request.user, strategy), **extra}
