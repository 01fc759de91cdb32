from django import forms
from django.utils.translation import gettext_lazy as _

from planwatch.collection.forms import date_input


class IssueForm(forms.Form):
    issued_on = forms.DateField(label=_("Issued on"), widget=date_input())
    due_on = forms.DateField(label=_("Rectification report due on"), widget=date_input())
    number = forms.IntegerField(label=_("Document number"), min_value=1, max_value=999)
    title = forms.CharField(label=_("Title"), max_length=200)
    preface = forms.CharField(
        label=_("Opening paragraph (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    measures = forms.CharField(
        label=_("Rectification measures"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    complete_by = forms.DateField(label=_("To be completed by"), widget=date_input())


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
