"""The organisation directory's filter form: a search box, facets and a sort order."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from partnerships import board, directory
from partnerships.enums import CallState, LabelLevel, OrganisationType, PartnershipPhase, SizeBand
from partnerships.models import (
    Call,
    Country,
    Ecosystem,
    EmergingIndustry,
    Organisation,
    PartnerSearch,
    PartnershipMember,
    Region,
    SectoralIndustry,
    StrategicPartnership,
    ValueChainPosition,
)

SORT_CHOICES = [
    (directory.DirectorySort.RELEVANCE, _("Relevance")),
    (directory.DirectorySort.NAME, _("Name")),
    (directory.DirectorySort.SIZE, _("Size (most members first)")),
    (directory.DirectorySort.NEWEST, _("Newest on the portal")),
]


class CheckboxFilter(django_filters.BooleanFilter):
    """A single checkbox: ticked narrows the list, unticked leaves it alone."""

    field_class = forms.BooleanField


class OrganisationFacetFilter(django_filters.FilterSet):
    """The organisation facets, shared by the directory page and the organisations API.

    Facets combine with AND between groups and OR inside a group (`?country=FR&country=DE`);
    a value that names nothing is an error, never an empty list.
    """

    country = django_filters.ModelMultipleChoiceFilter(
        label=_("Country"),
        queryset=Country.objects.all(),
        to_field_name="code",
        method="filter_country",
    )
    region = django_filters.ModelMultipleChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.filter(level=2),
        to_field_name="code",
        method="filter_region",
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        label=_("Sectoral industry"),
        queryset=SectoralIndustry.objects.all(),
        to_field_name="slug",
        method="filter_sector",
    )
    emerging_industry = django_filters.ModelMultipleChoiceFilter(
        label=_("Emerging industry"),
        queryset=EmergingIndustry.objects.all(),
        to_field_name="slug",
        method="filter_emerging_industry",
    )
    ecosystem = django_filters.ModelMultipleChoiceFilter(
        label=_("Industrial ecosystem"),
        queryset=Ecosystem.objects.all(),
        to_field_name="slug",
        method="filter_ecosystem",
    )
    label_level = django_filters.MultipleChoiceFilter(
        label=_("Current label level"), choices=LabelLevel.choices, method="filter_label_level"
    )
    current_label = CheckboxFilter(
        label=_("Current label holders only"), method="filter_current_label"
    )
    type = django_filters.MultipleChoiceFilter(
        label=_("Organisation type"), choices=OrganisationType.choices, method="filter_type"
    )
    size = django_filters.MultipleChoiceFilter(
        label=_("Members"), choices=SizeBand.choices, method="filter_size"
    )

    class Meta:
        model = Organisation
        fields = []

    # An empty model multiple choice is an empty queryset, which django-filter passes on.
    def filter_country(self, organisations, name, value):
        if not value:
            return organisations
        return directory.in_countries(organisations, [country.code for country in value])

    def filter_region(self, organisations, name, value):
        if not value:
            return organisations
        return directory.in_regions(organisations, [region.code for region in value])

    @extend_schema_field(OpenApiTypes.STR)  # slugs, which the schema cannot see
    def filter_sector(self, organisations, name, value):
        if not value:
            return organisations
        return directory.with_taxonomy(
            organisations, "sectoral_industries", [item.pk for item in value]
        )

    @extend_schema_field(OpenApiTypes.STR)  # slugs, which the schema cannot see
    def filter_emerging_industry(self, organisations, name, value):
        if not value:
            return organisations
        return directory.with_taxonomy(
            organisations, "emerging_industries", [item.pk for item in value]
        )

    @extend_schema_field(OpenApiTypes.STR)  # slugs, which the schema cannot see
    def filter_ecosystem(self, organisations, name, value):
        if not value:
            return organisations
        return directory.with_taxonomy(organisations, "ecosystems", [item.pk for item in value])

    def filter_label_level(self, organisations, name, value):
        return directory.holding_current_label(organisations, levels=value)

    def filter_current_label(self, organisations, name, value):
        return directory.holding_current_label(organisations) if value else organisations

    def filter_type(self, organisations, name, value):
        return directory.of_types(organisations, value)

    def filter_size(self, organisations, name, value):
        return directory.in_size_bands(organisations, value)


class DirectoryFilter(OrganisationFacetFilter):
    """The directory page's form: a search box, the facets and a sort order."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=200)
    # Validated here with the rest of the input; applied by `ordered`, after the filters.
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, empty_label=None, method="keep"
    )

    FACETS = (
        "country",
        "region",
        "sector",
        "emerging_industry",
        "ecosystem",
        "label_level",
        "current_label",
        "type",
        "size",
    )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, queryset=directory.public_organisations(), **kwargs)

    def filter_q(self, organisations, name, value):
        return directory.search(organisations, value)

    def keep(self, organisations, name, value):
        return organisations

    @property
    def searching(self):
        return bool(self.cleaned("q", "").strip())

    @property
    def sort_order(self):
        return self.cleaned("sort") or directory.default_sort(searching=self.searching)

    def cleaned(self, name, default=None):
        """A field's valid value; an invalid one is left out, as the filtering leaves it out."""
        if not self.is_bound:
            return default
        self.form.is_valid()
        return self.form.cleaned_data.get(name) or default

    def without(self, facet):
        """The filtered set without `facet`'s own filter, for that facet's counts."""
        organisations = self.queryset.all()
        if not self.is_bound:
            return organisations
        self.form.is_valid()
        for name, value in self.form.cleaned_data.items():
            if name != facet:
                organisations = self.filters[name].filter(organisations, value)
        return organisations

    def selected(self):
        """The values chosen in each facet, as the strings the page puts in its URLs."""
        chosen = {}
        for facet in self.FACETS:
            value = self.cleaned(facet)
            if not value:
                continue
            if facet in {"country", "region"}:
                chosen[facet] = [item.code for item in value]
            elif facet in {"sector", "emerging_industry", "ecosystem"}:
                chosen[facet] = [item.slug for item in value]
            elif facet == "current_label":
                chosen[facet] = ["on"]
            else:
                chosen[facet] = list(value)
        return chosen


class PartnershipFilter(django_filters.FilterSet):
    """The partnership directory's filters, shared by the page and the API."""

    q = django_filters.CharFilter(label=_("Search by name"), method="filter_q", max_length=200)
    call = django_filters.ModelChoiceFilter(
        label=_("Call"), queryset=Call.objects.all(), empty_label=_("Any call")
    )
    phase = django_filters.ChoiceFilter(
        label=_("Phase"), choices=PartnershipPhase.choices, empty_label=_("Any phase")
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Country of a member"),
        queryset=Country.objects.all(),
        to_field_name="code",
        method="filter_country",
        empty_label=_("Any country"),
    )
    funded = django_filters.BooleanFilter(
        label=_("Funding"),
        widget=forms.Select(
            choices=[
                ("", _("Funded or labelled only")),
                ("true", _("Funded")),
                ("false", _("Labelled only")),
            ]
        ),
    )

    class Meta:
        model = StrategicPartnership
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        # Only the choices that narrow the list: calls and countries that have partnerships.
        self.filters["call"].queryset = Call.objects.filter(
            pk__in=self.queryset.values("call_id")
        ).order_by("title")
        self.filters["country"].queryset = (
            Country.objects.filter(
                organisations__partnership_memberships__partnership__in=self.queryset.values("pk")
            )
            .distinct()
            .order_by("name")
        )

    def filter_q(self, partnerships, name, value):
        value = value.strip()
        if not value:
            return partnerships
        return partnerships.filter(Q(name__icontains=value) | Q(acronym__iexact=value))

    # The schema cannot see through the method to the member's country code.
    @extend_schema_field(OpenApiTypes.STR)
    def filter_country(self, partnerships, name, value):
        return partnerships.filter(
            pk__in=PartnershipMember.objects.filter(organisation__country=value).values(
                "partnership_id"
            )
        )


class PartnerSearchFilter(django_filters.FilterSet):
    """The partner-search board's facets and search box, shared by the page and the API.

    As in the directory, facets combine with AND between groups and OR inside a group, and a
    value that names nothing is an error, never an empty list.
    """

    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=200)
    country = django_filters.ModelMultipleChoiceFilter(
        label=_("Partner country sought"),
        queryset=Country.objects.all(),
        to_field_name="code",
        field_name="countries",
        distinct=True,
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        label=_("Sectoral industry sought"),
        queryset=SectoralIndustry.objects.all(),
        to_field_name="slug",
        field_name="seeking_sectors",
        distinct=True,
    )
    emerging_industry = django_filters.ModelMultipleChoiceFilter(
        label=_("Emerging industry sought"),
        queryset=EmergingIndustry.objects.all(),
        to_field_name="slug",
        field_name="seeking_emerging",
        distinct=True,
    )
    ecosystem = django_filters.ModelMultipleChoiceFilter(
        label=_("Industrial ecosystem sought"),
        queryset=Ecosystem.objects.all(),
        to_field_name="slug",
        field_name="seeking_ecosystems",
        distinct=True,
    )
    value_chain = django_filters.ModelMultipleChoiceFilter(
        label=_("Value-chain role sought"),
        queryset=ValueChainPosition.objects.all(),
        to_field_name="slug",
        field_name="seeking_value_chain",
        distinct=True,
    )
    call = django_filters.ModelChoiceFilter(
        label=_("For the call"),
        queryset=Call.objects.exclude(state=CallState.DRAFT),
        empty_label=_("Any call or none"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            (board.BoardSort.NEWEST, _("Newest first")),
            (board.BoardSort.DEADLINE, _("Closest deadline first")),
            (board.BoardSort.RELEVANCE, _("Best match for the search words")),
        ],
        empty_label=None,
        method="keep",
    )

    FACETS = tuple(board.FACETS)

    class Meta:
        model = PartnerSearch
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(
            data, board.open_partner_searches() if queryset is None else queryset, **kwargs
        )

    def filter_q(self, searches, name, value):
        return board.search(searches, value)

    def keep(self, searches, name, value):
        return searches

    def cleaned(self, name, default=None):
        """A field's valid value; an invalid one is left out, as the filtering leaves it out."""
        if not self.is_bound:
            return default
        self.form.is_valid()
        return self.form.cleaned_data.get(name) or default

    @property
    def sort_order(self):
        searching = bool(self.cleaned("q", "").strip())
        default = board.BoardSort.RELEVANCE if searching else board.BoardSort.NEWEST
        return self.cleaned("sort") or default

    def without(self, facet):
        """The filtered set without `facet`'s own filter, for that facet's counts."""
        searches = self.queryset.all()
        if not self.is_bound:
            return searches
        self.form.is_valid()
        for name, value in self.form.cleaned_data.items():
            if name != facet and name in self.filters:
                searches = self.filters[name].filter(searches, value)
        return searches

    def selected(self):
        """The values chosen in each facet, as the strings the page puts in its URLs."""
        chosen = {}
        for facet in self.FACETS:
            value = self.cleaned(facet)
            if value:
                chosen[facet] = [getattr(item, "code", None) or item.slug for item in value]
        return chosen
