from django.apps import AppConfig


class EdpConfig(AppConfig):
    name = "smartspec.platform.edp"
    label = "edp"
    verbose_name = "Entrepreneurial discovery"
