from django import forms
from django.utils.translation import gettext_lazy as _

from planwatch.catalog.models import Department


class ResponsibilityForm(forms.Form):
    lead = forms.ModelChoiceField(
        queryset=Department.objects.filter(active=True), label=_("Lead department")
    )
    co = forms.ModelMultipleChoiceField(
        queryset=Department.objects.filter(active=True),
        required=False,
        label=_("Co-responsible departments"),
        widget=forms.CheckboxSelectMultiple,
    )
