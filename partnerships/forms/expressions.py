"""Expressions of interest: starting one, its content, partners invited and attachments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.models import (
    ExpressionOfInterest,
    Label,
    Organisation,
)
from partnerships.text import SingleLineFieldsMixin
from partnerships.uploads.fields import HoldsUploads, UploadField


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
        """A label-only call: a lead without a current, verified label could never submit."""
        labelled = set(
            Label.objects.counting()
            .filter(organisation__in=organisations)
            .values_list("organisation_id", flat=True)
        )
        unlabelled = [o.name for o in organisations if o.pk not in labelled]
        if not unlabelled:
            return
        self.fields["lead"].label_from_instance = lambda organisation: (
            organisation.name
            if organisation.pk in labelled
            else _("%(name)s (no current verified label: cannot lead this call)")
            % {"name": organisation.name}
        )
        self.lead_warning = _(
            "This call takes only consortia in which every organisation holds a current "
            "cluster excellence label verified by Commission staff. %(names)s holds none: a "
            "draft it leads can never be submitted."
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
