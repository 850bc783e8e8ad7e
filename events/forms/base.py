from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.enums import (
    OUTCOME_TRANSITIONS,
    CooperationDirection,
    CooperationKind,
    EventFormat,
    EventType,
    MeetingKind,
    MeetingOutcome,
    Preference,
)
from partnerships.models import Country, EmergingIndustry, SectoralIndustry
from partnerships.queries import organisations_of_member
from partnerships.text import SingleLineFieldsMixin


class EventFilterForm(SingleLineFieldsMixin, forms.Form):
    WHEN_CHOICES = [("upcoming", _("Upcoming")), ("past", _("Past"))]

    when = forms.ChoiceField(label=_("When"), choices=WHEN_CHOICES, required=False)
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.filter(events__isnull=False).distinct().order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("Any country"),
    )
    type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Any type"))] + EventType.choices, required=False
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=SectoralIndustry.objects.filter(events__isnull=False).distinct(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any sector"),
    )
    emerging = forms.ModelChoiceField(
        label=_("Emerging industry"),
        queryset=EmergingIndustry.objects.filter(events__isnull=False).distinct(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any emerging industry"),
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the range is before its start."))
        return cleaned

    def filter(self, events):
        data = self.cleaned_data
        if data.get("country"):
            events = events.filter(country=data["country"])
        if data.get("type"):
            events = events.filter(type=data["type"])
        if data.get("sector"):
            events = events.filter(sectoral_industries=data["sector"])
        if data.get("emerging"):
            events = events.filter(emerging_industries=data["emerging"])
        if data.get("date_from"):
            events = events.filter(ends_on__gte=data["date_from"])
        if data.get("date_to"):
            events = events.filter(starts_on__lte=data["date_to"])
        return events


class RegistrationForm(SingleLineFieldsMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("I represent"), queryset=None, empty_label=None)
    introduction = forms.CharField(
        label=_("What you come for"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    offer_kind = forms.ChoiceField(label=_("Kind of offer"), choices=CooperationKind.choices)
    offer = forms.CharField(label=_("We offer"), max_length=200, required=False)
    request_kind = forms.ChoiceField(label=_("Kind of request"), choices=CooperationKind.choices)
    request = forms.CharField(label=_("We look for"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_of_member(user).order_by("name")

    def items(self):
        data = self.cleaned_data
        items = []
        if data["offer"]:
            items.append((CooperationDirection.OFFER, data["offer_kind"], data["offer"], ""))
        if data["request"]:
            items.append((CooperationDirection.REQUEST, data["request_kind"], data["request"], ""))
        return items


class ParticipantFilterForm(SingleLineFieldsMixin, forms.Form):
    q = forms.CharField(label=_("Name or organisation"), required=False)
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.order_by("name"),
        to_field_name="code",
        required=False,
    )
    direction = forms.ChoiceField(
        label=_("Offers or requests"),
        choices=[("", _("Either"))] + CooperationDirection.choices,
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind"))] + CooperationKind.choices, required=False
    )

    def filter(self, registrations):
        data = self.cleaned_data
        if data.get("q"):
            text = data["q"]
            registrations = registrations.filter(
                Q(user__full_name__icontains=text)
                | Q(organisation__name__icontains=text)
                | Q(organisation__acronym__icontains=text)
            )
        if data.get("country"):
            registrations = registrations.filter(organisation__country=data["country"])
        if data.get("direction") or data.get("kind"):
            lookup = {}
            if data.get("direction"):
                lookup["cooperation_items__direction"] = data["direction"]
            if data.get("kind"):
                lookup["cooperation_items__kind"] = data["kind"]
            registrations = registrations.filter(**lookup).distinct()
        return registrations


class SlotChoiceField(forms.ModelMultipleChoiceField):
    """Slots as their local day and time, in the event's time zone."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, slot):
        return str(slot)


class MeetingRequestForm(SingleLineFieldsMixin, forms.Form):
    message = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    slots = SlotChoiceField(
        label=_("Times you propose"),
        queryset=None,
        required=False,
        help_text=_("Tick none for any time: the other person then picks."),
    )

    kind = forms.ChoiceField(
        label=_("Meeting type"), choices=MeetingKind.choices, initial=MeetingKind.TABLE
    )

    def __init__(self, *args, slots=None, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        if slots is None:
            del self.fields["slots"]
        else:
            self.fields["slots"].queryset = slots
        # Only a hybrid event lets the two sides choose; otherwise the event decides.
        if event is None or event.format != EventFormat.HYBRID:
            del self.fields["kind"]


class MeetingAnswerForm(SingleLineFieldsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Answer"), choices=[("accept", _("Accept")), ("decline", _("Decline"))]
    )
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500)
    slot = forms.ModelChoiceField(label=_("At"), queryset=None, required=False)

    def __init__(self, *args, slots=None, **kwargs):
        super().__init__(*args, **kwargs)
        if slots is None:
            del self.fields["slot"]
        else:
            self.fields["slot"].queryset = slots


class ProposeTimesForm(forms.Form):
    slots = SlotChoiceField(label=_("Times you propose instead"), queryset=None)

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slots"].queryset = slots


class MeetingCancelForm(SingleLineFieldsMixin, forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500)


class PreferenceForm(SingleLineFieldsMixin, forms.Form):
    level = forms.ChoiceField(label=_("Preference"), choices=Preference.choices)


class BookingForm(SingleLineFieldsMixin, forms.Form):
    slot = forms.ModelChoiceField(label=_("Slot"), queryset=None, empty_label=None)

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots


class MeetingRatingForm(SingleLineFieldsMixin, forms.Form):
    STAR_CHOICES = [(n, str(n)) for n in range(5, 0, -1)]

    stars = forms.TypedChoiceField(
        label=_("How useful was this meeting? (5 = very useful)"),
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class MeetingOutcomeForm(SingleLineFieldsMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("What came of it?"), choices=())

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = OUTCOME_TRANSITIONS.get(current, set())
        self.fields["outcome"].choices = [
            (value, label) for value, label in MeetingOutcome.choices if value in allowed
        ]


class MeetingMoveForm(SingleLineFieldsMixin, forms.Form):
    slot = forms.ModelChoiceField(label=_("Slot"), queryset=None, empty_label=None)
    table = forms.IntegerField(label=_("Table"), min_value=1)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = event.slots.select_related("event")
        self.fields["table"].max_value = event.tables
        self.fields["table"].validators.append(MaxValueValidator(event.tables))
        self.fields["table"].widget.attrs["max"] = event.tables
