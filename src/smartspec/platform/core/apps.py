from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "smartspec.platform.core"
    label = "core"
    verbose_name = "smartspec"
