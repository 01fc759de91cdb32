from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """The Django side of evaluation: feeds the pure engine stored values, keeps its results."""

    name = "planwatch.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring and evaluation")

    def ready(self) -> None:
        from planwatch.monitoring import tasks  # noqa: F401  (connects the recompute receiver)
