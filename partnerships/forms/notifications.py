from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.enums import (
    DEFAULT_DELIVERY,
    ESSENTIAL_EMAIL_KINDS,
    NotificationDelivery,
    NotificationKind,
)


class NotificationPreferencesForm(forms.Form):
    """One choice per kind: in the portal only, by e-mail at once, or in the weekly digest."""

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for kind in NotificationKind:
            help_text = (
                _("An e-mail about it is always sent, whatever you choose here.")
                if kind in ESSENTIAL_EMAIL_KINDS
                else ""
            )
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=NotificationDelivery.choices,
                initial=current.get(kind.value, DEFAULT_DELIVERY[kind]),
                widget=forms.RadioSelect,
                help_text=help_text,
            )

    def deliveries(self):
        return {NotificationKind(kind): value for kind, value in self.cleaned_data.items()}
