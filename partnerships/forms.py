from decimal import Decimal

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
    Call,
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
from partnerships.services import set_email_consent
from partnerships.services.call import CALL_M2M_FIELDS
from partnerships.text import SingleLineFieldsMixin
from partnerships.uploads.fields import HoldsUploads, UploadField


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
        self.fields["policy_objectives"].help_text = _(
            "The S3 policy objectives your cluster pursues, whether or not your region's "
            "priorities are listed here."
        )
        self.fields["seeking_emerging"].help_text = _(
            "Emerging industries in which you look for partners, also outside your own."
        )
        self.fields["seeking_value_chain"].help_text = _(
            "The roles partners should play in your value chain, for example research or "
            "digital services."
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


class HotspotFilterForm(SingleLineFieldsMixin, forms.Form):
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


class ExpressionForm(SingleLineFieldsMixin, forms.ModelForm):
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


class ExpressionStartForm(SingleLineFieldsMixin, forms.Form):
    """Which of the person's organisations leads, and a working title."""

    lead = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Working title"), max_length=255)

    def __init__(self, *args, organisations, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = organisations
        # With a single organisation there is nothing to choose; with several, choose on purpose.
        if len(organisations) == 1:
            self.fields["lead"].empty_label = None
        self.lead_warning = ""
        if call.label_required:
            self._warn_about_labels(organisations)

    def _warn_about_labels(self, organisations):
        """A label-only call: a lead without a current label could never submit."""
        labelled = set(
            Label.objects.current()
            .filter(organisation__in=organisations)
            .values_list("organisation_id", flat=True)
        )
        unlabelled = [o.name for o in organisations if o.pk not in labelled]
        if not unlabelled:
            return
        self.fields["lead"].label_from_instance = lambda organisation: (
            organisation.name
            if organisation.pk in labelled
            else _("%(name)s (no current label: cannot lead this call)")
            % {"name": organisation.name}
        )
        self.lead_warning = _(
            "This call takes only consortia in which every organisation holds a current "
            "cluster excellence label. %(names)s holds none: a draft it leads can never be "
            "submitted."
        ) % {"names": ", ".join(unlabelled)}


class PartnerInviteForm(SingleLineFieldsMixin, forms.Form):
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


class AttachmentForm(SingleLineFieldsMixin, HoldsUploads, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = UploadField(label=_("File"), kind="document")


# Reviews


class ReviewerAddForm(SingleLineFieldsMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Member of staff"), queryset=User.objects.none())
    is_moderator = forms.BooleanField(
        label=_("Moderator (writes the consensus, reviews nothing)"), required=False
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.order_by("name"),
        required=False,
        help_text=_("For the same-country rule."),
    )
    max_load = forms.IntegerField(
        label=_("Maximum reviews"), min_value=1, max_value=200, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_staff=True, is_active=True).order_by(
            "full_name", "email"
        )


class SameCountryRuleForm(SingleLineFieldsMixin, forms.Form):
    enabled = forms.BooleanField(
        label=_("Never assign a reviewer to a consortium with an organisation from their country"),
        required=False,
    )


class AutoAssignForm(SingleLineFieldsMixin, forms.Form):
    per_expression = forms.IntegerField(
        label=_("Reviewers per expression"), min_value=1, max_value=10, initial=3
    )


class ManualAssignForm(SingleLineFieldsMixin, forms.Form):
    expression = forms.ModelChoiceField(
        label=_("Expression of interest"), queryset=ExpressionOfInterest.objects.none()
    )
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=User.objects.none())

    def __init__(self, *args, expressions, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expression"].queryset = expressions
        self.fields["reviewer"].queryset = reviewers


class ConflictDeclarationForm(SingleLineFieldsMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ScoreSheetForm(SingleLineFieldsMixin, forms.Form):
    """A score (0 to 5 in half points) and a comment per criterion of a stage.

    Fields may stay empty in a draft; the services decide what a submission needs.
    """

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.DecimalField(
                label=_("Score for “%(name)s” (0 to 5)") % {"name": criterion.name},
                min_value=0,
                max_value=5,
                step_size=Decimal("0.5"),
                decimal_places=1,
                required=False,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(name)s”") % {"name": criterion.name},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=5000,
            )

    def rows(self):
        return [
            (criterion, self[f"score_{criterion.pk}"], self[f"comment_{criterion.pk}"])
            for criterion in self.criteria
        ]

    def scores(self):
        return {
            criterion.pk: (
                self.cleaned_data[f"score_{criterion.pk}"],
                self.cleaned_data[f"comment_{criterion.pk}"],
            )
            for criterion in self.criteria
        }


class ReviewForm(ScoreSheetForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ConsensusForm(ScoreSheetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in self.criteria:
            self.fields[f"version_{criterion.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=0
            )

    def versions(self):
        return {c.pk: self.cleaned_data[f"version_{c.pk}"] for c in self.criteria}


class DecisionForm(SingleLineFieldsMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=())
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)

    def __init__(self, *args, outcomes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(o.value, o.label) for o in outcomes]


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


# --- Calls, for Commission staff ----------------------------------------------------------


class CallForm(SingleLineFieldsMixin, forms.ModelForm):
    """A call's text, rules and themes; stages and criteria come in their own formsets."""

    eligible_types = forms.MultipleChoiceField(
        label=_("Who may apply"),
        choices=OrganisationType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked means any type of organisation."),
    )

    class Meta:
        model = Call
        fields = (
            "type",
            "reference",
            "title",
            "description",
            "eligible_types",
            "min_partners",
            "min_countries",
            "verified_required",
            "label_required",
            "budget",
            "funding_rate",
            *CALL_M2M_FIELDS,
        )
        widgets = dict.fromkeys(CALL_M2M_FIELDS, forms.CheckboxSelectMultiple)

    def main_fields(self):
        return [self[name] for name in self.fields if name not in CALL_M2M_FIELDS]

    def call_fields(self, *, changed_only=False):
        names = self.changed_data if changed_only else self.Meta.fields
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


class CallStageForm(SingleLineFieldsMixin, forms.Form):
    """One stage of a call; the stage number follows from the form's position."""

    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    deadline = forms.DateTimeField(
        label=_("Deadline (Brussels time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class BaseCallStageFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        first, *rest = [form.cleaned_data.get("deadline") for form in self.forms]
        second = rest[0] if rest else None
        if second and first and second <= first:
            raise forms.ValidationError(_("Stage 2 must close after stage 1."))

    def stages(self):
        """(number, deadline, title) of every stage filled in, stage 1 first."""
        return [
            (number, form.cleaned_data["deadline"], form.cleaned_data.get("title", ""))
            for number, form in enumerate(self.forms, start=1)
            if form.cleaned_data.get("deadline")
        ]


# Stage 1 must be given; stage 2 only for a two-stage call.
CallStageFormSet = forms.formset_factory(
    CallStageForm,
    formset=BaseCallStageFormSet,
    extra=1,
    min_num=1,
    max_num=2,
    validate_min=True,
    validate_max=True,
)


class CriterionForm(SingleLineFieldsMixin, forms.Form):
    stage = forms.TypedChoiceField(
        label=_("Stage"), choices=[(1, _("Stage 1")), (2, _("Stage 2"))], coerce=int, initial=1
    )
    name = forms.CharField(label=_("Criterion"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    weight = forms.DecimalField(
        label=_("Weight"), max_digits=5, decimal_places=2, min_value=Decimal("0.01"), initial=1
    )
    pass_mark = forms.DecimalField(
        label=_("Pass mark (0-5)"),
        max_digits=3,
        decimal_places=1,
        min_value=0,
        max_value=5,
        initial=3,
    )


class BaseCriterionFormSet(forms.BaseFormSet):
    """New criteria; saved ones are kept as they are, so scores already given stay valid."""

    def __init__(self, *args, existing=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = {(c.stage, c.name.strip().lower()) for c in existing}

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen = set(self.existing)
        for form in self.forms:
            data = form.cleaned_data
            if not data:
                continue
            key = (data["stage"], data["name"].strip().lower())
            if key in seen:
                form.add_error(
                    "name", _("Stage %(stage)d already has this criterion.") % {"stage": key[0]}
                )
            seen.add(key)

    def check_stages(self, numbers):
        """Mark criteria of a stage the call does not have; True when there are none."""
        fine = True
        for form in self.forms:
            stage = form.cleaned_data.get("stage")
            if stage and stage not in numbers:
                form.add_error("stage", _("The call has no stage %(stage)d.") % {"stage": stage})
                fine = False
        return fine

    def criteria(self):
        return [form.cleaned_data for form in self.forms if form.cleaned_data]


CriterionFormSet = forms.formset_factory(CriterionForm, formset=BaseCriterionFormSet, extra=3)
