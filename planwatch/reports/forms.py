from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from planwatch.catalog.models import Plan
from planwatch.reports.models import Rating, ReportKind, SectionKey

# Evidence is a notice, minutes, a photo or a scan: office formats, images and archives.
EVIDENCE_EXTENSIONS = {
    ".pdf", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ppt", ".pptx",
    ".jpg", ".jpeg", ".png", ".txt", ".zip", ".rar", ".7z",
}  # fmt: skip
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


class BuildForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=ReportKind.choices)
    plan = forms.ChoiceField(label=_("Plan"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    department = forms.ChoiceField(
        label=_("Department (feedback only)"),
        required=False,
        help_text=_("Leave empty to build the feedback of every responsible department."),
    )

    def __init__(self, *args, years=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(p.code, p.name) for p in Plan.objects.all()]
        self.fields["year"].choices = [(y, str(y)) for y in years]
        if years:
            self.fields["year"].initial = max(years)
        self.fields["department"].choices = [("", "—")] + [(d.code, d.name) for d in departments]


class SectionsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in SectionKey.choices:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 8, "cols": 100}),
            )


def check_evidence(upload) -> None:
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": EVIDENCE_MAX_BYTES // (1024 * 1024)}
        )
    if PurePath(upload.name).suffix.lower() not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            _("Files of this type cannot be attached: %(types)s only.")
            % {"types": " ".join(sorted(EVIDENCE_EXTENSIONS))}
        )


class AssessmentForm(forms.Form):
    """One measure or qualitative objective on a department's yearly self-assessment."""

    rating = forms.ChoiceField(
        label=_("Rating"), required=False, choices=[("", "—"), *Rating.choices]
    )
    text = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "style": "width: 100%; box-sizing: border-box"}),
    )
    evidence = forms.FileField(
        label=_("Evidence file"),
        required=False,
        validators=[check_evidence],
        widget=forms.ClearableFileInput(attrs={"style": "max-width: 100%"}),
    )

    def __init__(self, *args, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = existing

    def clean(self):
        data = super().clean()
        has_content = data.get("text") or data.get("evidence")
        if not data.get("rating") and (has_content or self.existing is not None):
            raise ValidationError(_("Choose a rating."))
        return data
