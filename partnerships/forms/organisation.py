"""Signing up, an organisation's profile and labels, its validation, members and ownership."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerships.enums import MembershipRole
from partnerships.models import (
    Label,
    Organisation,
    Region,
    S3Priority,
    User,
)
from partnerships.services import set_email_consent
from partnerships.text import SingleLineFieldsMixin
from partnerships.uploads.fields import HoldsUploads


class SignupForm(SingleLineFieldsMixin, forms.Form):
    """Extra fields on allauth's sign-up form; allauth calls `signup` once the user exists."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email_consent = forms.BooleanField(
        label=_("Send me news and digests by e-mail"),
        required=False,
        help_text=_(
            "Optional. Messages you need to use the portal (e-mail confirmation, invitations, "
            "decisions) come either way; you can change this at any time under My data."
        ),
    )

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])
        if self.cleaned_data.get("email_consent"):
            set_email_consent(user, consent=True, by=user)


class OrganisationForm(SingleLineFieldsMixin, HoldsUploads, forms.ModelForm):
    """The registration and edit form, in the sections a manager fills in.

    Only name, country and region are needed to save a draft; the pre-checks decide what a
    submission needs, so half-finished work is never lost to a validation error.
    """

    SECTIONS = (
        (_("Identity"), ("name", "acronym", "type", "year_established", "website", "logo")),
        (_("Location"), ("country", "region", "city")),
        (
            _("Sectors and value chain"),
            (
                "sectoral_industries",
                "emerging_industries",
                "ecosystems",
                "value_chain_positions",
            ),
        ),
        (_("Smart specialisation"), ("policy_objectives", "s3_priorities")),
        (
            _("What you seek in partners"),
            (
                "seeking_emerging",
                "seeking_ecosystems",
                "seeking_sectors",
                "seeking_value_chain",
            ),
        ),
        (
            _("Members and management"),
            (
                "members_smes",
                "members_large",
                "members_research",
                "members_public",
                "members_civil",
                "member_employees",
                "staff_fte",
                "recognised_programme",
            ),
        ),
        (_("Description"), ("description", "keywords")),
        (_("Internationalisation"), ("target_countries",)),
        (_("Contact"), ("contact_email",)),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "acronym",
            "type",
            "year_established",
            "website",
            "logo",
            "country",
            "region",
            "city",
            "sectoral_industries",
            "emerging_industries",
            "ecosystems",
            "value_chain_positions",
            "policy_objectives",
            "s3_priorities",
            "seeking_emerging",
            "seeking_ecosystems",
            "seeking_sectors",
            "seeking_value_chain",
            "members_smes",
            "members_large",
            "members_research",
            "members_public",
            "members_civil",
            "member_employees",
            "staff_fte",
            "recognised_programme",
            "description",
            "keywords",
            "target_countries",
            "contact_email",
        ]
        widgets = {
            "sectoral_industries": forms.CheckboxSelectMultiple,
            "emerging_industries": forms.CheckboxSelectMultiple,
            "ecosystems": forms.CheckboxSelectMultiple,
            "value_chain_positions": forms.CheckboxSelectMultiple,
            "s3_priorities": forms.CheckboxSelectMultiple,
            "policy_objectives": forms.CheckboxSelectMultiple,
            "seeking_emerging": forms.CheckboxSelectMultiple,
            "seeking_ecosystems": forms.CheckboxSelectMultiple,
            "seeking_sectors": forms.CheckboxSelectMultiple,
            "seeking_value_chain": forms.CheckboxSelectMultiple,
            "target_countries": forms.SelectMultiple(attrs={"size": 8}),
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    HELP_TEXTS = {
        "s3_priorities": _(
            "The smart-specialisation priorities of your region that your cluster works on."
        ),
        "policy_objectives": _(
            "The S3 policy objectives your cluster pursues, whether or not your region's "
            "priorities are listed here."
        ),
        "seeking_emerging": _(
            "Emerging industries in which you look for partners, also outside your own."
        ),
        "seeking_value_chain": _(
            "The roles partners should play in your value chain, for example research or "
            "digital services."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A registration step holds only some of the fields (see registration.py).
        if "country" in self.fields:
            # Choosing a country reloads the region list (HTMX); without JavaScript the
            # server narrows it on the next round trip and rejects a mismatch.
            self.fields["country"].widget.attrs.update(
                {
                    "hx-get": reverse("partnerships:region-options"),
                    "hx-target": "#id_region",
                    "hx-include": "#id_region",
                    "hx-trigger": "change",
                }
            )
        if "region" in self.fields:
            country = self._bound_value("country")
            regions = Region.objects.filter(level=2).select_related("country")
            self.fields["region"].queryset = (
                regions.filter(country_id=country) if country else regions
            )
        if "s3_priorities" in self.fields:
            region = self._bound_value("region")
            priorities = S3Priority.objects.select_related("policy_objective")
            self.fields["s3_priorities"].queryset = (
                priorities.filter(region_id=region) if region else priorities.none()
            )
        for name, text in self.HELP_TEXTS.items():
            if name in self.fields:
                self.fields[name].help_text = text

    def _bound_value(self, name):
        if self.is_bound:
            return self.data.get(self.add_prefix(name)) or None
        value = self.initial.get(name)
        if value is None and self.instance.pk:
            value = getattr(self.instance, f"{name}_id")
        return value

    def clean(self):
        cleaned = super().clean()
        country, region = cleaned.get("country"), cleaned.get("region")
        if country and region and region.country_id != country.pk:
            self.add_error("region", _("The region must lie in the chosen country."))
        return cleaned

    def sections(self):
        """(title, bound fields) of each section that has fields on this form."""
        rows = [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in self.SECTIONS
        ]
        return [(title, fields) for title, fields in rows if fields]

    def profile_fields(self):
        """Cleaned values in the shape the services take; a cleared logo becomes empty."""
        fields = dict(self.cleaned_data)
        if fields.get("logo") is False:
            fields["logo"] = ""
        elif fields.get("logo") is None:
            fields.pop("logo", None)
        return fields


class LabelForm(SingleLineFieldsMixin, HoldsUploads, forms.ModelForm):
    class Meta:
        model = Label
        fields = [
            "level",
            "awarding_body",
            "assessed_on",
            "valid_until",
            "source_url",
            "certificate",
        ]
        # <input type="date"> takes ISO dates whatever the page's language.
        widgets = {
            "assessed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def label_fields(self):
        return dict(self.cleaned_data)

    def clean(self):
        cleaned = super().clean()
        assessed, valid = cleaned.get("assessed_on"), cleaned.get("valid_until")
        if assessed and valid and valid <= assessed:
            self.add_error("valid_until", _("A label must be valid after the day it was assessed."))
        return cleaned


class ValidationDecisionForm(SingleLineFieldsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("verify", _("Verify and publish")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason the manager will see"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the manager a reason for the rejection."))
        return cleaned


class InvitationForm(SingleLineFieldsMixin, forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail address"))


class OwnershipForm(SingleLineFieldsMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("New owner"), queryset=User.objects.none())

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            memberships__organisation=organisation, memberships__role=MembershipRole.EDITOR
        )
