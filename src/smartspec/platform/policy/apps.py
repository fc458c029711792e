from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "smartspec.platform.policy"
    label = "policy"
    verbose_name = "Policy mix and monitoring"
