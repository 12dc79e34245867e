from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "caring.governance"
    label = "governance"
    verbose_name = "Scrutiny and governance"
