"""Reference data over the API: countries, regions and the taxonomies."""

import django_filters
from rest_framework import serializers, viewsets

from partnerships.models import (
    Country,
    Ecosystem,
    EmergingIndustry,
    Region,
    SectoralIndustry,
)


class CountrySerializer(serializers.ModelSerializer):
    # Names follow Accept-Language (English where no translation exists); codes do not.
    name = serializers.CharField(source="localised_name", read_only=True)

    class Meta:
        model = Country
        fields = ["code", "iso_code", "name", "eu_member"]


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "country", "parent"]


class TaxonomySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="localised_name", read_only=True)

    class Meta:
        fields = ["slug", "name", "description"]


class SectoralIndustrySerializer(TaxonomySerializer):
    class Meta(TaxonomySerializer.Meta):
        model = SectoralIndustry


class EcosystemSerializer(TaxonomySerializer):
    class Meta(TaxonomySerializer.Meta):
        model = Ecosystem


class EmergingIndustrySerializer(TaxonomySerializer):
    sectoral_industries = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta(TaxonomySerializer.Meta):
        model = EmergingIndustry
        fields = TaxonomySerializer.Meta.fields + ["sectoral_industries"]


class ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    search_fields = ["name"]
    ordering = ["name"]
    # Named: the shown name follows the reader's language, the order its English original.
    ordering_fields = ["slug", "name", "description"]


class SectoralIndustryViewSet(ReferenceViewSet):
    queryset = SectoralIndustry.objects.all()
    serializer_class = SectoralIndustrySerializer


class EmergingIndustryViewSet(ReferenceViewSet):
    queryset = EmergingIndustry.objects.prefetch_related("sectoral_industries")
    serializer_class = EmergingIndustrySerializer


class EcosystemViewSet(ReferenceViewSet):
    queryset = Ecosystem.objects.all()
    serializer_class = EcosystemSerializer


class RegionFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(field_name="country_id")
    level = django_filters.TypedChoiceFilter(choices=[(1, 1), (2, 2), (3, 3)], coerce=int)

    class Meta:
        model = Region
        fields = []


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    search_fields = ["name", "code"]
    ordering = ["code"]
    lookup_value_regex = "[A-Z0-9]{2,5}"


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    search_fields = ["name"]
    ordering = ["name"]
    # Named: the shown name follows the reader's language, the order its English original.
    ordering_fields = ["code", "iso_code", "name", "eu_member"]
    lookup_value_regex = "[A-Z]{2}"
