from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "planwatch.accounts"
    label = "accounts"
    verbose_name = _("Users and roles")

    def ready(self):
        from planwatch.accounts import signals  # noqa: F401 - connects the audit receivers
