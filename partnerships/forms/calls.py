"""Calls, for Commission staff: the call itself, its stages and its criteria."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.enums import OrganisationType
from partnerships.models import Call
from partnerships.services.call import CALL_M2M_FIELDS
from partnerships.text import SingleLineFieldsMixin


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
            "title_fr",
            "title_de",
            "description",
            "description_fr",
            "description_de",
            "eligible_types",
            "min_partners",
            "min_countries",
            "verified_required",
            "label_required",
            "redress_days",
            "budget",
            "funding_rate",
            *CALL_M2M_FIELDS,
        )
        widgets = dict.fromkeys(CALL_M2M_FIELDS, forms.CheckboxSelectMultiple)

    def main_fields(self):
        return [self[name] for name in self.fields if name not in CALL_M2M_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the window stays what it was (30 days for a new call).
        self.fields["redress_days"].required = False

    def clean_redress_days(self):
        value = self.cleaned_data.get("redress_days")
        return value if value is not None else self.instance.redress_days

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
