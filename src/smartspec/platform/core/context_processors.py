"""Template context for every page: the registered navigation of strategy pages."""

from smartspec.platform.core import steps


def navigation(request):
    return {"nav_pages": steps.pages()}
