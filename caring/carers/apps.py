from django.apps import AppConfig


class CarersConfig(AppConfig):
    name = "caring.carers"
    label = "carers"
    verbose_name = "Carers known and unknown"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from caring.carers import report_section  # noqa: F401  (registers the pack sections)
