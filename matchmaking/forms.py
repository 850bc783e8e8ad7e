from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.enums import FeedbackVerdict
from matchmaking.learning import NEGATIVES_PER_POSITIVE, TEST_SHARE
from matchmaking.models import WeightProfile
from partnerships.text import SingleLineFieldsMixin


class FeedbackForm(SingleLineFieldsMixin, forms.Form):
    partner = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(label=_("Your view"), choices=FeedbackVerdict.choices)


class StartRunForm(SingleLineFieldsMixin, forms.Form):
    profile = forms.ModelChoiceField(
        label=_("Weight profile"), queryset=WeightProfile.objects.all(), empty_label=None
    )


class FitWeightsForm(forms.Form):
    profile = forms.ModelChoiceField(
        label=_("Compare with the weight profile"),
        queryset=WeightProfile.objects.all(),
        empty_label=None,
    )
    test_share = forms.FloatField(
        label=_("Share of the newest outcomes held out for the test"),
        min_value=0.1,
        max_value=0.5,
        initial=TEST_SHARE,
    )
    negatives = forms.IntegerField(
        label=_("Random partners drawn per positive outcome"),
        min_value=1,
        max_value=20,
        initial=NEGATIVES_PER_POSITIVE,
    )


class AdoptFitForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Adopt into the profile"),
        queryset=WeightProfile.objects.all(),
        required=False,
        empty_label=_("A new profile"),
    )
    name = forms.CharField(
        label=_("Name of the new profile"),
        max_length=120,
        required=False,
        help_text=_("Only for a new profile."),
    )

    def clean(self):
        data = super().clean()
        into, name = data.get("into"), data.get("name", "").strip()
        if into is None and not name:
            self.add_error("name", _("Name the new profile, or choose one to adopt into."))
        elif into is not None and name:
            self.add_error("name", _("Leave the name empty when adopting into a profile."))
        return data
