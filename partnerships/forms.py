from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerships.enums import (
    HotspotDimension,
    HotspotMeasure,
    LabelLevel,
    MembershipRole,
    OrganisationType,
)
from partnerships.models import (
    Country,
    EmergingIndustry,
    ExpressionOfInterest,
    Label,
    Organisation,
    Region,
    S3Priority,
    SectoralIndustry,
    User,
)
from partnerships.uploads import validate_certificate, validate_logo


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form; allauth calls `signup` once the user exists."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])


class OrganisationForm(forms.ModelForm):
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
                "s3_priorities",
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
            "s3_priorities",
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
            "target_countries": forms.SelectMultiple(attrs={"size": 8}),
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logo"].validators.append(validate_logo)
        self.fields["logo"].help_text = _("PNG, JPEG or WebP, at most 2 MB.")
        country = self._bound_value("country")
        region = self._bound_value("region")
        # Choosing a country reloads the region list (HTMX); without JavaScript the server
        # narrows it on the next round trip and rejects a mismatch.
        self.fields["country"].widget.attrs.update(
            {
                "hx-get": reverse("partnerships:region-options"),
                "hx-target": "#id_region",
                "hx-include": "#id_region",
                "hx-trigger": "change",
            }
        )
        regions = Region.objects.filter(level=2).select_related("country")
        self.fields["region"].queryset = regions.filter(country_id=country) if country else regions
        priorities = S3Priority.objects.select_related("policy_objective")
        self.fields["s3_priorities"].queryset = (
            priorities.filter(region_id=region) if region else priorities.none()
        )
        self.fields["s3_priorities"].help_text = _(
            "The smart-specialisation priorities of your region that your cluster works on."
        )

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
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def profile_fields(self):
        """Cleaned values in the shape the services take; a cleared logo becomes empty."""
        fields = dict(self.cleaned_data)
        if fields.get("logo") is False:
            fields["logo"] = ""
        elif fields.get("logo") is None:
            fields.pop("logo", None)
        return fields


class LabelForm(forms.ModelForm):
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
        widgets = {
            "assessed_on": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].validators.append(validate_certificate)
        self.fields["certificate"].help_text = _("PDF, PNG or JPEG, at most 5 MB.")

    def label_fields(self):
        return dict(self.cleaned_data)

    def clean(self):
        cleaned = super().clean()
        assessed, valid = cleaned.get("assessed_on"), cleaned.get("valid_until")
        if assessed and valid and valid <= assessed:
            self.add_error("valid_until", _("A label must be valid after the day it was assessed."))
        return cleaned


class ValidationDecisionForm(forms.Form):
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


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail address"))


class OwnershipForm(forms.Form):
    user = forms.ModelChoiceField(label=_("New owner"), queryset=User.objects.none())

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            memberships__organisation=organisation, memberships__role=MembershipRole.EDITOR
        )


class HotspotFilterForm(forms.Form):
    """The hotspots map's controls; filters carry the directory's names, so a region link
    can hand them on and the directory lists exactly the organisations the map counted."""

    measure = forms.ChoiceField(
        label=_("Colour regions by"),
        choices=HotspotMeasure.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    dimension = forms.ChoiceField(
        label=_("Industries"),
        choices=HotspotDimension.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    sector = forms.ModelChoiceField(
        label=_("Sectoral industry"),
        queryset=SectoralIndustry.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("All sectoral industries"),
        required=False,
    )
    emerging_industry = forms.ModelChoiceField(
        label=_("Emerging industry"),
        queryset=EmergingIndustry.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("All emerging industries"),
        required=False,
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.order_by("name"),
        to_field_name="code",
        empty_label=_("All countries"),
        required=False,
    )
    label_level = forms.ChoiceField(
        label=_("Current label level"),
        choices=[("", _("Any or none"))] + LabelLevel.choices,
        required=False,
    )
    current_label = forms.BooleanField(label=_("Current label holders only"), required=False)
    type = forms.ChoiceField(
        label=_("Organisation type"),
        choices=[("", _("All types"))] + OrganisationType.choices,
        required=False,
    )
    order = forms.ChoiceField(
        choices=[("value", _("Value")), ("region", _("Region"))],
        widget=forms.HiddenInput,
        required=False,
    )

    DEFAULTS = {
        "measure": HotspotMeasure.ORGANISATIONS,
        "dimension": HotspotDimension.SECTORAL,
        "order": "value",
    }

    def __init__(self, data=None, *args, **kwargs):
        # Always bound, with the defaults filled in: the first visit shows the same radios
        # checked as the numbers it draws.
        data = data.copy() if data is not None else QueryDict(mutable=True)
        for name, default in self.DEFAULTS.items():
            if not data.get(name):
                data[name] = default
        super().__init__(data, *args, **kwargs)

    def choices(self):
        """The valid choices with defaults filled in; an invalid value is left out, as in the
        directory, and its error shows next to its field."""
        self.is_valid()
        cleaned = self.cleaned_data
        dimension = cleaned.get("dimension") or self.DEFAULTS["dimension"]
        return {
            "measure": cleaned.get("measure") or self.DEFAULTS["measure"],
            "dimension": dimension,
            "sector": cleaned.get("sector") if dimension == HotspotDimension.SECTORAL else None,
            "emerging": (
                cleaned.get("emerging_industry") if dimension == HotspotDimension.EMERGING else None
            ),
            "country": cleaned.get("country"),
            "label_level": cleaned.get("label_level") or "",
            "current_label": bool(cleaned.get("current_label")),
            "type": cleaned.get("type") or "",
            "order": cleaned.get("order") or self.DEFAULTS["order"],
        }

    def directory_params(self):
        """The chosen filters as the directory's query parameters."""
        chosen = self.choices()
        params = []
        if chosen["country"] is not None:
            params.append(("country", chosen["country"].code))
        if chosen["sector"] is not None:
            params.append(("sector", chosen["sector"].slug))
        if chosen["emerging"] is not None:
            params.append(("emerging_industry", chosen["emerging"].slug))
        if chosen["label_level"]:
            params.append(("label_level", chosen["label_level"]))
        if chosen["current_label"]:
            params.append(("current_label", "on"))
        if chosen["type"]:
            params.append(("type", chosen["type"]))
        return params


class ExpressionForm(forms.ModelForm):
    """The content of an expression of interest; every field may stay empty in a draft."""

    class Meta:
        model = ExpressionOfInterest
        fields = [
            "title",
            "objectives",
            "sectoral_industries",
            "emerging_industries",
            "policy_objectives",
            "preparatory_activities",
            "implementation_activities",
            "investment_activities",
            "budget_requested",
        ]
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "preparatory_activities": forms.Textarea(attrs={"rows": 3}),
            "implementation_activities": forms.Textarea(attrs={"rows": 3}),
            "investment_activities": forms.Textarea(attrs={"rows": 3}),
            "sectoral_industries": forms.SelectMultiple(attrs={"size": 8}),
            "emerging_industries": forms.CheckboxSelectMultiple,
            "policy_objectives": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "preparatory_activities": _(
                "Partnership building, joint strategy and implementation roadmap."
            ),
            "implementation_activities": _(
                "Matchmaking, joint activities, demonstration projects, pilots, bankable proposals."
            ),
            "investment_activities": _(
                "Additional private and public financing, acceleration support, showcasing."
            ),
        }

    def sections(self):
        return [
            (_("Consortium idea"), [self["title"], self["objectives"]]),
            (
                _("Thematic focus"),
                [
                    self["sectoral_industries"],
                    self["emerging_industries"],
                    self["policy_objectives"],
                ],
            ),
            (
                _("Planned activities"),
                [
                    self["preparatory_activities"],
                    self["implementation_activities"],
                    self["investment_activities"],
                ],
            ),
            (_("Budget"), [self["budget_requested"]]),
        ]

    def expression_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ExpressionStartForm(forms.Form):
    """Which of the person's organisations leads, and a working title."""

    lead = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Working title"), max_length=255)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = organisations
        # With a single organisation there is nothing to choose; with several, choose on purpose.
        if len(organisations) == 1:
            self.fields["lead"].empty_label = None


class PartnerInviteForm(forms.Form):
    """Invite a partner by the name of its verified organisation."""

    name = forms.CharField(
        label=_("Partner organisation"),
        max_length=255,
        help_text=_("The name (or acronym) of a verified organisation in the directory."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        exact = list(self.candidates.filter(name__iexact=name)[:2]) or list(
            self.candidates.filter(acronym__iexact=name)[:2]
        )
        if len(exact) == 1:
            self.organisation = exact[0]
            return name
        similar = list(self.candidates.filter(name__icontains=name)[:5])
        if len(similar) == 1:
            self.organisation = similar[0]
            return name
        if not similar:
            raise forms.ValidationError(
                _("No verified organisation you can invite is called “%(name)s”.") % {"name": name}
            )
        raise forms.ValidationError(
            _("Several organisations match; give the full name: %(names)s.")
            % {"names": "; ".join(o.name for o in similar)}
        )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File (PDF, PNG or JPEG, up to 5 MB)"), validators=[validate_certificate]
    )
