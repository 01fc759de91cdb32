from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "planwatch.reports"
    label = "reports"
    verbose_name = _("Reports")

    def public_documents(self) -> list[dict]:
        """The files this app puts on the public site (see exchange.public.public_documents)."""
        from planwatch.reports.public import public_documents

        return public_documents()
