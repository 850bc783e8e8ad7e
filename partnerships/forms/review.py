"""Reviewing expressions: the pool, assignment, conflicts, score sheets and decisions."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.models import (
    Country,
    ExpressionOfInterest,
    Organisation,
    User,
)
from partnerships.text import SingleLineFieldsMixin


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
