from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from planwatch.collection.models import ReportingRound
from planwatch.collection.strict import BadYear, parse_year


def date_input():
    """An <input type=date> takes ISO dates only: with the locale's 2026/12/03 the browser
    shows an empty field and the user has to type the date it was offered."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class RoundForm(forms.ModelForm):
    class Meta:
        model = ReportingRound
        fields = ["year", "opens_on", "due_on"]
        widgets = {
            "opens_on": date_input(),
            "due_on": date_input(),
        }

    def clean_year(self):
        try:
            # The typed text, not the field's int(): int() reads 2_025 as 2025.
            return parse_year(self.data.get(self.add_prefix("year"), ""))
        except BadYear as exc:
            raise ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("due_on") and data["due_on"] < data["opens_on"]:
            raise ValidationError(_("The due date cannot be before the opening date."))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel template or CSV file"))


class ReasonForm(forms.Form):
    text = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
