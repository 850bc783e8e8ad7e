from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.enums import FeedbackVerdict
from matchmaking.models import WeightProfile
from partnerships.text import SingleLineFieldsMixin


class FeedbackForm(SingleLineFieldsMixin, forms.Form):
    partner = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(label=_("Your view"), choices=FeedbackVerdict.choices)


class StartRunForm(SingleLineFieldsMixin, forms.Form):
    profile = forms.ModelChoiceField(
        label=_("Weight profile"), queryset=WeightProfile.objects.all(), empty_label=None
    )
