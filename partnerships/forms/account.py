"""A person's own account: e-mail consent and deletion."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.text import SingleLineFieldsMixin


class EmailConsentForm(SingleLineFieldsMixin, forms.Form):
    email_consent = forms.BooleanField(
        label=_("Send me news and digests by e-mail"),
        required=False,
    )


class AccountDeleteForm(SingleLineFieldsMixin, forms.Form):
    """Deleting an account cannot be undone, so it asks for the password once more."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    understood = forms.BooleanField(
        label=_("I understand that my account and my personal data will be erased for good."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password
