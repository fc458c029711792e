from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _facts_policy(s):
    from smartspec.platform.policy.models import Action

    actions = Action.objects.filter(area__strategy=s)
    return actions.exists(), actions.exclude(status="planned").exists()


def _facts_monitoring(s):
    return s.indicators.exists(), s.indicators.filter(observations__isnull=False).exists()


class PolicyConfig(AppConfig):
    name = "smartspec.platform.policy"
    label = "policy"
    verbose_name = "Policy mix and monitoring"

    def ready(self):
        from smartspec.platform.core import steps

        steps.register_step("policy", 5, _("Policy mix"), _facts_policy)
        steps.register_step("monitoring", 6, _("Monitoring and evaluation"), _facts_monitoring)
        steps.register_page("plan", _("Policy mix"), 50, step=5)
        steps.register_page("monitoring", _("Monitoring"), 60, step=6)
        steps.register_page("evaluations", _("Evaluation"), 70)
        steps.register_page("assessment", _("Self-assessment"), 80)
        steps.register_urls("smartspec.platform.policy.urls")
