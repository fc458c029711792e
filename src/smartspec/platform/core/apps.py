from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _facts_analysis(s):
    return s.snapshots.exists(), s.swot.exists()


def _facts_governance(s):
    return s.bodies.filter(kind="steering").exists(), s.bodies.filter(members__isnull=False).exists()


def _facts_vision(s):
    return bool(s.vision.strip()), s.goals.exists()


def _facts_priorities(s):
    return s.areas.exists(), s.consultations.filter(decision__isnull=False).exists()


class CoreConfig(AppConfig):
    name = "smartspec.platform.core"
    label = "core"
    verbose_name = "smartspec"

    def ready(self):
        from smartspec.platform.core import steps

        steps.register_step("analysis", 1, _("Analysis"), _facts_analysis)
        steps.register_step("governance", 2, _("Governance"), _facts_governance)
        steps.register_step("vision", 3, _("Vision"), _facts_vision)
        steps.register_step("priorities", 4, _("Priority setting"), _facts_priorities)
        steps.register_page("dashboard", _("Overview"), 0)
        steps.register_page("analysis", _("Analysis"), 10, step=1)
        steps.register_page("governance", _("Governance"), 20, step=2)
        steps.register_page("actors", _("Actors"), 25)
        steps.register_page("vision", _("Vision"), 30, step=3)
        steps.register_page("areas", _("Priorities"), 40, step=4)
        steps.register_page("versions", _("Versions"), 90)
        steps.register_page("audit", _("Audit trail"), 95, coordinators_only=True)
        steps.register_urls("smartspec.platform.core.urls")
