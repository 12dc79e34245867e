from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "caring.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"
