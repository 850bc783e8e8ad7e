"""The forms of the organisation admins: frozen saved rows, the profile form, rejection."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.enums import MemberType
from partnerships.models import Label, Organisation, OrganisationMembership
from partnerships.services import PROFILE_M2M_FIELDS
from partnerships.text import SingleLineFieldsMixin


class ExistingRowsFrozenForm(SingleLineFieldsMixin, forms.ModelForm):
    """Rows already saved are shown, not edited: history is changed through services only."""

    frozen_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in self.frozen_fields or self.fields:
                if name in self.fields:
                    self.fields[name].disabled = True


class LabelInlineForm(ExistingRowsFrozenForm):
    class Meta:
        model = Label
        fields = ("level", "awarding_body", "assessed_on", "valid_until", "source_url")


class MembershipInlineForm(ExistingRowsFrozenForm):
    # Changing the person of an existing membership would hand a profile to someone else
    # without an audit entry; add a new membership instead.
    frozen_fields = ("user",)

    class Meta:
        model = OrganisationMembership
        fields = ("user", "role")


class OrganisationAdminForm(SingleLineFieldsMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        # State and rejection reason move through actions only, never by editing the form.
        fields = (
            "name",
            "acronym",
            "type",
            "website",
            "contact_email",
            "logo",
            "country",
            "region",
            "city",
            "year_established",
            "description",
            "keywords",
            "staff_fte",
            *MemberType.values,
            "member_employees",
            *PROFILE_M2M_FIELDS,
        )

    def clean(self):
        cleaned = super().clean()
        region, country = cleaned.get("region"), cleaned.get("country")
        if region and country and region.country_id != country.pk:
            self.add_error("region", _("The region must lie in the chosen country."))
        return cleaned


class RejectionForm(SingleLineFieldsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("Sent to the organisation's managers; say what they should change."),
    )
