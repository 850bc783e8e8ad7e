"""Reads for matchmaking: the plain data the scoring core takes, loaded in a few bulk queries."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from matchmaking.enums import (
    DEFAULT_WEIGHT_PROFILES,
    ChunkState,
    FeedbackVerdict,
    RunState,
    ThemeKind,
    WeightProfileName,
    profile_name_for_call,
)
from matchmaking.explain import explain
from matchmaking.features import OrganisationProfile, Taxonomy
from matchmaking.models import (
    Recommendation,
    RecommendationFeedback,
    RecommendationRun,
    RecommendationSet,
    WeightFit,
    WeightProfile,
)
from matchmaking.scoring import COMPONENTS, PENALTY
from matchmaking.sentences import band_label, gain_sentences, sentences
from matchmaking.suggest import EMERGING, OBJECTIVE, SECTOR, Theme, suggest
from matchmaking.text import term_idf
from partnerships.directory import public_organisations
from partnerships.enums import LABEL_RANK, MemberType, PartnerState, ValidationState
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
from partnerships.models.localised import localised, localised_columns
from partnerships.queries import organisations_of_member


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


def default_profile():
    """The default weight profile as staff last saved it (a migration stores it), or, if it was
    removed, an unsaved one with the shipped weights: a read never writes."""
    profile = WeightProfile.objects.filter(slug=WeightProfileName.DEFAULT).first()
    if profile is None:
        profile = WeightProfile(
            slug=WeightProfileName.DEFAULT,
            name=str(WeightProfileName.DEFAULT.label),
            **DEFAULT_WEIGHT_PROFILES[WeightProfileName.DEFAULT],
        )
    return profile


def latest_run(profile):
    """The newest finished run of a weight profile, or None."""
    return RecommendationRun.objects.filter(profile=profile, state=RunState.DONE).first()


def recommendations_for(organisation, run):
    """An organisation's recommendations in a run, best first, partners loaded."""
    return (
        Recommendation.objects.filter(run=run, organisation=organisation)
        .select_related("partner", "partner__country", "partner__region")
        .order_by("rank")
    )


def current_recommendations(organisation):
    """The organisation's shown set, best first: the rows of the run its pointer names.

    Going through the pointer is what makes a switch atomic for readers: rows of a run being
    written, or of a superseded run not yet deleted, are never mixed in.
    Partners the organisation judged not relevant are left out from the moment it says so.
    """
    current = RecommendationSet.objects.filter(organisation=organisation).values("run_id")
    dismissed = RecommendationFeedback.objects.filter(
        organisation=organisation, verdict=FeedbackVerdict.NOT_RELEVANT
    ).values("partner_id")
    return (
        Recommendation.objects.filter(organisation=organisation, run_id=Subquery(current[:1]))
        .exclude(partner_id__in=dismissed)
        .select_related("partner", "partner__country", "partner__region")
        .order_by("rank")
    )


def shown_partners(organisation_ids):
    """organisation id -> partner ids of its current set, for these organisations."""
    current = RecommendationSet.objects.filter(organisation_id=OuterRef("organisation_id"))
    shown = defaultdict(list)
    for organisation_id, partner_id in (
        Recommendation.objects.filter(
            organisation_id__in=list(organisation_ids), run_id=Subquery(current.values("run_id"))
        )
        .order_by("organisation_id", "rank")
        .values_list("organisation_id", "partner_id")
    ):
        shown[organisation_id].append(partner_id)
    return dict(shown)


def dismissed_partners():
    """organisation id -> ids of the partners it judged not relevant, which no run lists."""
    dismissed = defaultdict(set)
    for organisation_id, partner_id in RecommendationFeedback.objects.filter(
        verdict=FeedbackVerdict.NOT_RELEVANT
    ).values_list("organisation_id", "partner_id"):
        dismissed[organisation_id].add(partner_id)
    return dict(dismissed)


def runs_with_progress(limit=20):
    """The newest runs with their chunk counts and feedback, for the staff runs page."""
    return (
        RecommendationRun.objects.select_related("profile")
        .annotate(
            chunks_total=Count("chunks", distinct=True),
            chunks_done=Count("chunks", filter=Q(chunks__state=ChunkState.DONE), distinct=True),
            chunks_failed=Count("chunks", filter=Q(chunks__state=ChunkState.FAILED), distinct=True),
        )
        .order_by("-started_at", "-id")[:limit]
    )


def recent_feedback(limit=50):
    return RecommendationFeedback.objects.select_related("organisation", "partner", "by")[:limit]


def recent_weight_fits(limit=20):
    """The newest weight fits with the profiles and people they name, for the staff page."""
    return WeightFit.objects.select_related("profile", "by", "adopted_into")[:limit]


def fit_comparison(fit):
    """(component label, weight compared with, fitted weight) of every component and the
    penalty, in the scorer's order."""
    return [
        (
            WeightProfile._meta.get_field(name).verbose_name,
            fit.current_weights.get(name, 0.0),
            fit.weights.get(name, 0.0),
        )
        for name in (*COMPONENTS, PENALTY)
    ]


def run_progress_of(run):
    """(chunks done, chunks failed, chunks in all) of a run."""
    states = list(run.chunks.values_list("state", flat=True))
    return states.count(ChunkState.DONE), states.count(ChunkState.FAILED), len(states)


def organisations_with_recommendations_for_user(user):
    """Organisations whose recommendations `user` may see: their own, and all for staff."""
    if user.is_authenticated and user.is_active and user.is_staff:
        return Organisation.objects.all()
    return organisations_of_member(user)


def explained_recommendations(organisation):
    """The shown set with, on each recommendation, `reasons` (explain.Reason, largest first).

    Reasons are rebuilt from the two profiles and the stored contributions, so they always
    match the score that was stored. A set scored before the relevance floor may hold a
    partner with a score of zero or less: it is never shown.
    """
    recommendations = [rec for rec in current_recommendations(organisation) if rec.score > 0]
    if not recommendations:
        return recommendations
    ids = [organisation.pk, *(rec.partner_id for rec in recommendations)]
    profiles, _eligible = scoring_profiles(organisations=Organisation.objects.filter(pk__in=ids))
    by_id = {profile.id: profile for profile in profiles}
    taxonomy = taxonomy_from_db()
    source = by_id[organisation.pk]
    # Distinctive among what the reader is shown: a word every listed partner uses says less.
    idf = term_idf([profile.text for profile in profiles])
    for rec in recommendations:
        rec.reasons = explain(source, by_id[rec.partner_id], rec.contributions, taxonomy, idf=idf)
    return recommendations


def vocabulary_names():
    """slug or code -> display name, in the active language, of every vocabulary reasons
    refer to."""
    names = {}
    for model, key in (
        (SectoralIndustry, "slug"),
        (EmergingIndustry, "slug"),
        (Ecosystem, "slug"),
        (ValueChainPosition, "slug"),
        (PolicyObjective, "slug"),
        (Country, "code"),
    ):
        names[model._meta.model_name] = {
            row[key]: localised(row, "name")
            for row in model.objects.values(key, *localised_columns("name"))
        }
    names["region"] = dict(Region.objects.filter(level=2).values_list("code", "name"))
    return names


def feedback_given(organisation):
    """partner id -> verdicts the organisation gave, for marking them on its list."""
    given = defaultdict(list)
    for partner_id, verdict in RecommendationFeedback.objects.filter(
        organisation=organisation
    ).values_list("partner_id", "verdict"):
        given[partner_id].append(verdict)
    return dict(given)


# Partner suggestions for a consortium ----------------------------------------------------------


def weights_for_call(call):
    """The weights that score partners for `call`: its type's profile as staff last saved it,
    or the shipped weights when the profile was never stored."""
    name = profile_name_for_call(call.type)
    profile = WeightProfile.objects.filter(slug=name).first()
    return (profile.weights if profile else dict(DEFAULT_WEIGHT_PROFILES[name])), name


def call_themes(call, expression=None):
    """The call's themes; when the call names none, the expression's own thematic focus."""
    relations = (
        (SECTOR, "sectoral_industries"),
        (EMERGING, "emerging_industries"),
        (OBJECTIVE, "policy_objectives"),
    )
    themes = [
        Theme(kind, slug)
        for kind, relation in relations
        for slug in getattr(call, relation).order_by("slug").values_list("slug", flat=True)
    ]
    if themes or expression is None:
        return themes
    return [
        Theme(kind, item.slug)
        for kind, relation in relations
        for item in sorted(getattr(expression, relation).all(), key=lambda item: item.slug)
    ]


def consortium_ids(expression):
    """(lead and live partners, every organisation ever invited): ids of the consortium, and
    the organisations the suggestions leave out (the lead, and partners also when declined)."""
    partners = list(expression.partners.all())
    live = [p.organisation_id for p in partners if p.state != PartnerState.DECLINED]
    return [expression.lead_id, *live], {expression.lead_id, *(p.organisation_id for p in partners)}


@dataclass
class ConsortiumSuggestions:
    """What the suggestions page shows: the picks with their reasons, and the coverage of
    countries and themes before and after them."""

    profile: str
    rows: list
    min_partners: int
    min_countries: int
    partners_now: int
    countries_now: list
    countries_after: list
    themes: list  # (name, kind label, covered now, covered after)

    @property
    def partners_after(self):
        return self.partners_now + len(self.rows)

    @property
    def complete(self):
        """Whether the consortium already meets the call's partner, country and theme needs."""
        return (
            self.partners_now >= self.min_partners
            and len(self.countries_now) >= self.min_countries
            and all(now for _name, _kind, now, _after in self.themes)
        )


THEME_NAMES = {
    SECTOR: "sectoralindustry",
    EMERGING: "emergingindustry",
    OBJECTIVE: "policyobjective",
}


def partner_suggestions(expression, *, pool):
    """Suggested partners for an expression's consortium, from an up-to-date `pool` that holds
    the lead and its partners (feature_loader.suggestion_pool)."""
    call = expression.call
    weights, profile = weights_for_call(call)
    themes = call_themes(call, expression)
    members, excluded = consortium_ids(expression)
    member_rows = pool.rows_of(members)
    eligible = pool.eligible(types=call.eligible_types, label_required=call.label_required)
    eligible[pool.rows_of(excluded)] = False
    picks = suggest(
        pool,
        weights,
        lead=int(member_rows[0]),
        partners=member_rows[1:],
        themes=themes,
        eligible=eligible,
        min_partners=call.min_partners,
        min_countries=call.min_countries,
    )

    names = vocabulary_names()
    picked = Organisation.objects.select_related("country", "region").in_bulk(
        [pick.id for pick in picks]
    )
    # A pool being refreshed may still hold an organisation deleted since.
    picks = [pick for pick in picks if pick.id in picked]
    profiles, _eligible = scoring_profiles(
        organisations=Organisation.objects.filter(pk__in=[expression.lead_id, *picked])
    )
    by_id = {item.id: item for item in profiles}
    idf = term_idf([item.text for item in profiles])
    invite_names = _invite_names(picked.values())
    rows = []
    for pick in picks:
        reasons = explain(
            by_id[expression.lead_id], by_id[pick.id], pick.contributions, pool.taxonomy, idf=idf
        )
        rows.append(
            {
                "organisation": picked[pick.id],
                "score": pick.score,
                "band": band_label(pick.contributions),
                "reasons": sentences(reasons, names),
                "adds": gain_sentences(pick, names),
                "invite_name": invite_names[pick.id],
            }
        )

    countries = pool.taxonomy.countries
    country_rows = pool.encoded.country[member_rows]
    now = sorted({countries[c] for c in country_rows if c >= 0})
    after = sorted(set(now) | {code for pick in picks for code in pick.countries})
    held = pool.theme_matrix(themes)[member_rows].any(axis=0)
    added = {theme for pick in picks for theme in pick.themes}
    country_names = names["country"]
    return ConsortiumSuggestions(
        profile=WeightProfileName(profile).label,
        rows=rows,
        min_partners=call.min_partners,
        min_countries=call.min_countries,
        partners_now=len(members) - 1,
        countries_now=sorted(country_names.get(code, code) for code in now),
        countries_after=sorted(country_names.get(code, code) for code in after),
        themes=[
            (
                names[THEME_NAMES[theme.kind]].get(theme.slug, theme.slug),
                ThemeKind(theme.kind).label,
                bool(held[k]),
                bool(held[k]) or theme in added,
            )
            for k, theme in enumerate(themes)
        ],
    )


def _invite_names(organisations):
    """organisation id -> what to type in the invite form to name it and nobody else: its name,
    or its acronym when another verified organisation bears the same name."""
    organisations = list(organisations)
    shared = set(
        public_organisations()
        .annotate(lowered=Lower("name"))
        .filter(lowered__in={o.name.lower() for o in organisations})
        .values("lowered")
        .annotate(count=Count("id"))
        .filter(count__gt=1)
        .values_list("lowered", flat=True)
    )
    return {
        o.pk: o.acronym if o.name.lower() in shared and o.acronym else o.name for o in organisations
    }
