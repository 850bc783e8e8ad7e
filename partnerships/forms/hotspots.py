"""The hotspots map's controls."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from partnerships.enums import (
    HotspotDimension,
    HotspotMeasure,
    LabelLevel,
    OrganisationType,
)
from partnerships.models import (
    Country,
    EmergingIndustry,
    SectoralIndustry,
)
from partnerships.text import SingleLineFieldsMixin


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
