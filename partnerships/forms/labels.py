"""Staff checks of a declared cluster excellence label."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.text import SingleLineFieldsMixin


class LabelCheckForm(SingleLineFieldsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Check"),
        choices=[("verify", _("Verify the label")), ("reject", _("Reject the label"))],
        widget=forms.RadioSelect,
    )
    certificate_seen = forms.BooleanField(
        label=_("I have seen the certificate and it names this organisation"), required=False
    )
    dates_checked = forms.BooleanField(
        label=_("Level, assessment date and validity match the certificate"), required=False
    )
    note = forms.CharField(
        label=_("Note (the managers see it when the label is rejected)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, label, **kwargs):
        # Several labels share the validation page: each form's fields need their own ids.
        kwargs.setdefault("prefix", f"label-{label.pk}")
        super().__init__(*args, **kwargs)
        self.label = label

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == "verify":
            if not cleaned.get("certificate_seen"):
                self.add_error("certificate_seen", _("Look at the certificate before verifying."))
            if not cleaned.get("dates_checked"):
                self.add_error(
                    "dates_checked", _("Check the level and dates against the certificate.")
                )
        if decision == "reject" and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say why the label is rejected: the managers read it."))
        return cleaned
