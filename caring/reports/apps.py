from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "caring.reports"
    label = "reports"
    verbose_name = "Progress reports"
    default_auto_field = "django.db.models.BigAutoField"
