"""The registry of the platform's S3 steps and strategy pages. Each app registers its own
in its ``AppConfig.ready()`` (as Wagtail's apps register their menu items): the navigation,
the dashboard's step cards and the URL configuration all read it, so a step is declared once.

A *step* is one of the six S3 steps with a function that says where it stands, from two
facts about the strategy (started, in place). A *page* is an entry of the navigation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    key: str
    number: int
    label: str  # a lazy translation
    facts: Callable  # strategy → (bool, bool): the two facts that make the step "in place"


@dataclass(frozen=True)
class Page:
    url_name: str
    label: str  # a lazy translation
    order: int
    step: int | None = None  # the S3 step it opens, shown as its number
    coordinators_only: bool = False  # shown to the strategy's coordinators only


_steps: dict[str, Step] = {}
_pages: dict[str, Page] = {}
_url_modules: list[str] = []


def register_step(key: str, number: int, label, facts: Callable) -> None:
    _steps[key] = Step(key, number, label, facts)


def register_page(url_name: str, label, order: int, *, step: int | None = None,
                  coordinators_only: bool = False) -> None:
    _pages[url_name] = Page(url_name, label, order, step, coordinators_only)


def register_urls(module: str) -> None:
    """A URL module of strategy pages, mounted under ``s/<sid>/``."""
    if module not in _url_modules:
        _url_modules.append(module)


def steps() -> list[Step]:
    return sorted(_steps.values(), key=lambda s: s.number)


def pages() -> list[Page]:
    return sorted(_pages.values(), key=lambda p: p.order)


def url_modules() -> list[str]:
    return list(_url_modules)


def step_status(strategy) -> list[dict]:
    """Where the six S3 steps stand: ``done`` when both facts hold, ``started`` when one does."""
    out = []
    for step in steps():
        a, b = step.facts(strategy)
        out.append({"step": step.key, "number": step.number, "label": step.label,
                    "state": "done" if a and b else "started" if a or b else "todo"})
    return out
