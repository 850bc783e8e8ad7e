"""The organisers' input: an event and its meeting hours, decisions, mailings, the day."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.enums import RegistrationState
from events.forms.base import ParticipantFilterForm
from events.models import Event
from events.services.organising import EVENT_FIELDS
from partnerships.text import SingleLineFieldsMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(SingleLineFieldsMixin, forms.ModelForm):
    """The event's settings. Registration opens and closes in the event's own time zone,
    whatever the organiser's."""

    class Meta:
        model = Event
        fields = [*EVENT_FIELDS, "sectoral_industries", "emerging_industries"]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "registration_opens": DATETIME,
            "registration_closes": DATETIME,
            "description": forms.Textarea(attrs={"rows": 4}),
            "sectoral_industries": forms.CheckboxSelectMultiple,
            "emerging_industries": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "registration_opens": _("In the event's time zone. Leave empty to open now."),
            "registration_closes": _(
                "In the event's time zone. Leave empty to close when the event ends."
            ),
            "requires_approval": _(
                "Each registration waits in the participant list until you validate it."
            ),
            "tables": _("Meetings at the same time: one per table or meeting room."),
        }

    # The form's parts, in page order; the meeting hours come after the first two.
    SECTIONS = (
        (
            _("The event"),
            (
                "title",
                "type",
                "format",
                "description",
                "sectoral_industries",
                "emerging_industries",
            ),
        ),
        (
            _("Where and when"),
            ("starts_on", "ends_on", "time_zone", "venue", "city", "country", "online_url"),
        ),
        (
            _("Registration"),
            ("registration_opens", "registration_closes", "capacity", "requires_approval"),
        ),
        (
            _("Meetings"),
            (
                "meeting_minutes",
                "tables",
                "requests_need_acceptance",
                "request_quota",
                "request_expiry_days",
                "who_may_meet",
            ),
        ),
    )

    def sections(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.SECTIONS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self.instance.zone if self.instance.pk else None
        for name in ("registration_opens", "registration_closes"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
            value = getattr(self.instance, name, None)
            if zone and value:
                self.initial[name] = timezone.localtime(value, zone).replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("time_zone")
        if zone_name:
            zone = Event(time_zone=zone_name).zone
            for name in ("registration_opens", "registration_closes"):
                value = cleaned.get(name)
                if value:
                    cleaned[name] = timezone.make_naive(value).replace(tzinfo=zone)
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The last day is before the first day."))
        opens, closes = cleaned.get("registration_opens"), cleaned.get("registration_closes")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes", _("Registration must close after it opens."))
        return cleaned

    def _post_clean(self):
        # The service writes the event; the form only checks the input.
        pass


class WindowForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE)
    start = forms.TimeField(label=_("From"), widget=TIME)
    end = forms.TimeField(label=_("Until"), widget=TIME)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The meeting hours end before they start."))
        return cleaned


class BaseWindowFormSet(forms.BaseFormSet):
    def windows(self):
        return sorted(
            (form.cleaned_data["day"], form.cleaned_data["start"], form.cleaned_data["end"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        )

    def clean(self):
        super().clean()
        if not any(self.errors) and not self.windows():
            raise forms.ValidationError(_("Give the meeting hours of at least one day."))


WindowFormSet = forms.formset_factory(
    WindowForm, formset=BaseWindowFormSet, extra=2, can_delete=True
)


def window_formset(data=None, *, event=None):
    """The meeting hours, one row per stretch of a day: the event's own, and spare rows (four
    for a new event: a morning and an afternoon on two days)."""
    initial = []
    if event is not None:
        initial = [{"day": w.day, "start": w.start, "end": w.end} for w in event.windows.all()]
    formset = WindowFormSet(data, initial=initial, prefix="windows")
    formset.extra = 2 if initial else 4
    return formset


class DecisionForm(SingleLineFieldsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Validate")), ("reject", _("Refuse"))]
    )
    reason = forms.CharField(
        label=_("Reason (sent to the participant; needed to refuse)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why you refuse this participant."))
        return cleaned


class WorkspaceFilterForm(ParticipantFilterForm):
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("Any state"))] + RegistrationState.choices,
        required=False,
    )
    here = forms.BooleanField(label=_("Checked in: here now"), required=False)

    def filter(self, registrations):
        registrations = super().filter(registrations)
        if self.cleaned_data.get("state"):
            registrations = registrations.filter(state=self.cleaned_data["state"])
        if self.cleaned_data.get("here"):
            registrations = registrations.filter(checked_in_at__isnull=False)
        return registrations

    def audience(self):
        """The filter as plain values, to record with a mailing."""
        return {
            name: str(getattr(value, "pk", value))
            for name, value in self.cleaned_data.items()
            if value
        }


class MailingForm(SingleLineFieldsMixin, forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )


class OrganiserForm(SingleLineFieldsMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address of their portal account"))


class ActForRequestForm(SingleLineFieldsMixin, forms.Form):
    recipient = forms.ModelChoiceField(label=_("Meet"), queryset=None)
    message = forms.CharField(
        label=_("Message in their name"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = (
            registration.event.registrations.filter(state=RegistrationState.APPROVED)
            .exclude(pk=registration.pk)
            .select_related("user", "organisation")
            .order_by("organisation__name", "user__full_name")
        )
        self.fields["recipient"].label_from_instance = lambda r: f"{r.user} ({r.organisation})"


class NoShowForm(forms.Form):
    no_show = forms.TypedChoiceField(
        choices=[("1", _("No-show")), ("0", _("Held"))], coerce=lambda value: value == "1"
    )


class AvailabilityForm(forms.Form):
    available = forms.ModelMultipleChoiceField(
        label=_("Free in these slots"), queryset=None, required=False
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["available"].queryset = event.slots.all()


class CalendarFeedForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("renew", _("New address")), ("revoke", _("Stop the feed"))]
    )


class CheckInForm(SingleLineFieldsMixin, forms.Form):
    code = forms.CharField(
        label=_("Badge code"),
        max_length=20,
        help_text=_("Scan the badge's QR code with a phone, or type the code printed under it."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
