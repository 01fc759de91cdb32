from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    """预警通报 and 整改督办: the plan office's answer to the warning list."""

    name = "planwatch.rectification"
    label = "rectification"
    verbose_name = _("Warning bulletins and rectification")
