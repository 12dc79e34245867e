from django.apps import AppConfig


class CarersConfig(AppConfig):
    name = "caring.carers"
    label = "carers"
    verbose_name = "Carers known and unknown"
    default_auto_field = "django.db.models.BigAutoField"
