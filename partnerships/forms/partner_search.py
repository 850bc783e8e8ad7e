"""The forms of partner searches: the post itself, an answer, a comment, closing, consortium."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.enums import PARTNER_SEARCH_CLOSING_STATES, CallState, ValidationState
from partnerships.models import (
    Call,
    Organisation,
    PartnerSearch,
    PartnerSearchComment,
    PartnerSearchInterest,
)
from partnerships.text import SingleLineFieldsMixin


class PartnerSearchForm(SingleLineFieldsMixin, forms.ModelForm):
    """The post, in the vocabularies of the profiles; the author is chosen when it is new."""

    author = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), empty_label=None
    )

    class Meta:
        model = PartnerSearch
        fields = [
            "author",
            "title",
            "description",
            "call",
            "deadline",
            "seeking_sectors",
            "seeking_emerging",
            "seeking_ecosystems",
            "seeking_value_chain",
            "countries",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "seeking_sectors": forms.CheckboxSelectMultiple,
            "seeking_emerging": forms.CheckboxSelectMultiple,
            "seeking_ecosystems": forms.CheckboxSelectMultiple,
            "seeking_value_chain": forms.CheckboxSelectMultiple,
            "countries": forms.CheckboxSelectMultiple,
        }

    SEEKING_FIELDS = (
        "seeking_sectors",
        "seeking_emerging",
        "seeking_ecosystems",
        "seeking_value_chain",
        "countries",
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["author"]
        else:
            self.fields["author"].queryset = (organisations or Organisation.objects.none()).exclude(
                validation_state=ValidationState.PENDING
            )
        self.fields["call"].queryset = Call.objects.filter(state=CallState.OPEN).order_by("title")
        self.fields["call"].empty_label = _("No particular call")
        self.fields["title"].widget.attrs["maxlength"] = PartnerSearch._meta.get_field(
            "title"
        ).max_length

    def main_fields(self):
        return [self[name] for name in self.fields if name not in self.SEEKING_FIELDS]

    def seeking_fields(self):
        return [self[name] for name in self.SEEKING_FIELDS]

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the search a title."), code="required")
        return title

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if not description:
            raise forms.ValidationError(
                _("Say in a few words which partners you look for."), code="required"
            )
        return description

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."), code="past")
        return deadline

    def service_fields(self):
        return {name: value for name, value in self.cleaned_data.items() if name != "author"}


class InterestForm(SingleLineFieldsMixin, forms.ModelForm):
    """An answer to a search: which of the person's organisations, and what it brings."""

    organisation = forms.ModelChoiceField(
        label=_("Your organisation"), queryset=Organisation.objects.none(), empty_label=None
    )

    class Meta:
        model = PartnerSearchInterest
        fields = ["organisation", "brings", "value_chain"]
        widgets = {
            "brings": forms.Textarea(attrs={"rows": 4}),
            "value_chain": forms.CheckboxSelectMultiple,
        }
        help_texts = {"brings": _("Its skills, members, facilities or markets, in a few lines.")}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations or Organisation.objects.none()

    def clean_brings(self):
        brings = self.cleaned_data["brings"].strip()
        if not brings:
            raise forms.ValidationError(
                _("Say what your organisation would bring."), code="required"
            )
        return brings


class CommentForm(forms.ModelForm):
    class Meta:
        model = PartnerSearchComment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write something before you send it."), code="required")
        return body


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Why close it?"),
        choices=[(state.value, state.label) for state in PARTNER_SEARCH_CLOSING_STATES],
        widget=forms.RadioSelect,
    )


class ConsortiumForm(SingleLineFieldsMixin, forms.Form):
    """The interested organisations the author takes into an expression for the call."""

    organisations = forms.ModelMultipleChoiceField(
        label=_("Invite into the consortium"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one interested organisation.")},
    )
    title = forms.CharField(
        label=_("Title of the expression of interest"),
        max_length=255,
        required=False,
        help_text=_("Leave empty to use the search's title."),
    )

    def __init__(self, *args, interested=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = interested or Organisation.objects.none()
