"""The taxonomy and the organisation profiles the scoring core takes, in bulk queries."""

from collections import defaultdict

from django.utils import timezone

from matchmaking.features import OrganisationProfile, Taxonomy
from partnerships.enums import LABEL_RANK, MemberType, ValidationState
from partnerships.models import (
    Country,
    Ecosystem,
    EmergingIndustry,
    Label,
    Organisation,
    PolicyObjective,
    Region,
    SectoralIndustry,
    ValueChainPosition,
)


def taxonomy_from_db():
    """Every reference vocabulary in a stable column order, with the sector links."""

    def links(model):
        mapping = defaultdict(set)
        through = model.sectoral_industries.through
        for sector, group in through.objects.values_list(
            "sectoralindustry__slug", f"{model._meta.model_name}__slug"
        ):
            mapping[sector].add(group)
        return {sector: frozenset(groups) for sector, groups in mapping.items()}

    return Taxonomy(
        sectors=tuple(SectoralIndustry.objects.order_by("slug").values_list("slug", flat=True)),
        emerging=tuple(EmergingIndustry.objects.order_by("slug").values_list("slug", flat=True)),
        ecosystems=tuple(Ecosystem.objects.order_by("slug").values_list("slug", flat=True)),
        value_chain=tuple(
            ValueChainPosition.objects.order_by("order", "slug").values_list("slug", flat=True)
        ),
        service_positions=frozenset(
            ValueChainPosition.objects.filter(is_service=True).values_list("slug", flat=True)
        ),
        objectives=tuple(PolicyObjective.objects.order_by("slug").values_list("slug", flat=True)),
        countries=tuple(Country.objects.order_by("code").values_list("code", flat=True)),
        regions=tuple(
            Region.objects.filter(level=2).order_by("code").values_list("code", flat=True)
        ),
        sector_emerging=links(EmergingIndustry),
        sector_ecosystems=links(Ecosystem),
    )


_NONE = frozenset()


def _related(field, value_path, organisations):
    """organisation id -> frozenset of values over one many-to-many relation, in one query;
    organisations without any are absent (read them with `.get(pk, _NONE)`)."""
    through = Organisation._meta.get_field(field).remote_field.through
    mapping = defaultdict(set)
    links = through.objects.all()
    if organisations is not None:
        links = links.filter(organisation__in=organisations.values("pk"))
    for organisation_id, value in links.values_list("organisation_id", value_path):
        mapping[organisation_id].add(value)
    # Frozen once here rather than per profile: a full run builds 10,000s of profiles.
    return {organisation_id: frozenset(values) for organisation_id, values in mapping.items()}


def scoring_profiles(*, organisations=None, on=None):
    """Organisations (all by default) as `OrganisationProfile`s by id, and which are eligible.

    Eligible partners are the verified ones: an unverified profile gets recommendations (so
    its owner sees what verification brings) but is never recommended to anyone. Objectives
    are those the organisation declares, with those of the S3 priorities it works on.
    """
    on = on or timezone.localdate()
    sectors = _related("sectoral_industries", "sectoralindustry__slug", organisations)
    emerging = _related("emerging_industries", "emergingindustry__slug", organisations)
    ecosystems = _related("ecosystems", "ecosystem__slug", organisations)
    chain = _related("value_chain_positions", "valuechainposition__slug", organisations)
    objectives = _related("s3_priorities", "s3priority__policy_objective__slug", organisations)
    declared = _related("policy_objectives", "policyobjective__slug", organisations)
    targets = _related("target_countries", "country_id", organisations)
    seeking_sectors = _related("seeking_sectors", "sectoralindustry__slug", organisations)
    seeking_emerging = _related("seeking_emerging", "emergingindustry__slug", organisations)
    seeking_ecosystems = _related("seeking_ecosystems", "ecosystem__slug", organisations)
    seeking_chain = _related("seeking_value_chain", "valuechainposition__slug", organisations)
    organisations = Organisation.objects.all() if organisations is None else organisations
    current_labels = Label.objects.counting(on).filter(organisation__in=organisations.values("pk"))
    labels = defaultdict(int)
    for organisation_id, level in current_labels.values_list("organisation_id", "level").order_by():
        labels[organisation_id] = max(labels[organisation_id], LABEL_RANK[level])

    fields = ["id", "country_id", "region_id", "description", "keywords", "validation_state"]
    profiles, eligible = [], []
    for row in organisations.order_by("id").values_list(*fields, *MemberType.values):
        pk, country, region, description, keywords, state, *members = row
        profiles.append(
            OrganisationProfile(
                id=pk,
                country=country,
                region=region,
                sectors=sectors.get(pk, _NONE),
                emerging=emerging.get(pk, _NONE),
                ecosystems=ecosystems.get(pk, _NONE),
                value_chain=chain.get(pk, _NONE),
                objectives=objectives.get(pk, _NONE) | declared.get(pk, _NONE),
                target_countries=targets.get(pk, _NONE),
                members=sum(members),
                label_rank=labels[pk],
                text=f"{description} {keywords.replace(',', ' ')}",
                seeking_sectors=seeking_sectors.get(pk, _NONE),
                seeking_emerging=seeking_emerging.get(pk, _NONE),
                seeking_ecosystems=seeking_ecosystems.get(pk, _NONE),
                seeking_value_chain=seeking_chain.get(pk, _NONE),
            )
        )
        eligible.append(state == ValidationState.VERIFIED)
    return profiles, eligible
