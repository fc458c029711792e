from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EdpConfig(AppConfig):
    name = "smartspec.platform.edp"
    label = "edp"
    verbose_name = "Entrepreneurial discovery"

    def ready(self):
        from smartspec.platform.core import steps

        steps.register_page("consultations", _("Discovery (EDP)"), 45)
        steps.register_urls("smartspec.platform.edp.urls")
