"""A lead's complaint about the evaluation procedure, and staff's answer to it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.enums import COMPLAINT_CLOSED_STATES, ComplaintState
from partnerships.text import SingleLineFieldsMixin


class ComplaintForm(SingleLineFieldsMixin, forms.Form):
    text = forms.CharField(
        label=_("What went wrong in the evaluation procedure"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_(
            "A complaint is about the procedure (a criterion misapplied, a fact overlooked, "
            "a conflict of interest), not a request to score again."
        ),
    )


class ComplaintHandleForm(SingleLineFieldsMixin, forms.Form):
    to = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (ComplaintState.UNDER_REVIEW, _("Take under review")),
            (ComplaintState.UPHELD, _("Uphold")),
            (ComplaintState.REJECTED, _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason the lead will see"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, complaint, **kwargs):
        kwargs.setdefault("prefix", f"complaint-{complaint.pk}")
        super().__init__(*args, **kwargs)
        self.complaint = complaint

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to") in COMPLAINT_CLOSED_STATES and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the lead the reason for the outcome."))
        return cleaned
