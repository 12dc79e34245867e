from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "caring.indicators"
    label = "indicators"
    verbose_name = "Indicators and quality assurance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from caring.indicators import report_section  # noqa: F401  (registers the pack section)
