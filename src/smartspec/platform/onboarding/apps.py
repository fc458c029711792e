from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    """Starting a region, inviting people by e-mail, their roles, and stakeholders' registration."""

    name = "smartspec.platform.onboarding"
    label = "onboarding"
    verbose_name = "Onboarding"

    def ready(self):
        from smartspec.platform.core import steps

        steps.register_page("members", _("Members"), 92, coordinators_only=True)
        steps.register_urls("smartspec.platform.onboarding.urls")
