from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "caring.web"
    label = "web"
    verbose_name = "Web pages"

    def ready(self):
        from caring import permissions  # noqa: F401 - registers the rules
