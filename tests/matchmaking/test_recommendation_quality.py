"""What a cluster manager must be able to trust in a full run: themes lead, geography only
raises a related partner, explanations are true for both sides, exposure cannot be bought."""

from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from matchmaking.enums import DEFAULT_WEIGHT_PROFILES, WeightProfileName
from matchmaking.explain import Reason, declared, explain, strongest
from matchmaking.features import OrganisationProfile, encode, median_members
from matchmaking.scoring import COMPONENTS, PENALTY, RELEVANCE_FLOOR, THEMATIC, top_k
from matchmaking.synthetic import generate_profiles, load_taxonomy

WEIGHTS = dict(DEFAULT_WEIGHT_PROFILES[WeightProfileName.DEFAULT])
TAXONOMY = load_taxonomy()


@pytest.fixture(scope="module")
def full_run():
    profiles = generate_profiles(2000, seed=5, taxonomy=TAXONOMY)
    encoded = encode(profiles, TAXONOMY)
    return profiles, top_k(encoded, WEIGHTS, k=20)


def listed_pairs(profiles, result):
    for i, row in enumerate(result.partners):
        for rank, j in enumerate(row):
            if j >= 0:
                contributions = {
                    name: result.contributions[name][i, rank] for name in (*COMPONENTS, PENALTY)
                }
                yield profiles[i], profiles[j], contributions, result.scores[i, rank]


def test_full_run_lists_no_partner_below_the_floor_and_no_score_at_or_below_zero(full_run):
    profiles, result = full_run
    listed = result.partners >= 0
    relevance = sum(result.contributions[name] for name in THEMATIC)

    assert (relevance[listed] >= RELEVANCE_FLOOR).all()
    assert (result.scores[listed] > 0).all()
    # Most lists are full: the floor trims strangers, it does not empty the portal.
    assert listed.all(axis=1).mean() > 0.9


def test_full_run_explanations_are_true_for_both_sides(full_run):
    profiles, result = full_run
    median = median_members(profiles)
    said = Counter()
    for source, partner, contributions, score in listed_pairs(profiles, result):
        reasons = explain(source, partner, contributions, TAXONOMY)
        said.update(reason.code for reason in reasons)
        assert [r.contribution for r in reasons] == sorted(
            (r.contribution for r in reasons), reverse=True
        )
        assert sum(r.contribution for r in reasons) == pytest.approx(score)
        for reason in reasons:
            params = reason.params
            if reason.code == "cross_sector":
                bridge = (params["bridge_kind"], params["bridge"])
                assert bridge in declared(source) & declared(partner)
                assert params["own_sector"] in source.sectors
                assert params["partner_sector"] in partner.sectors
                assert params["own_sector"] != params["partner_sector"]
            if reason.code == "shared_focus":
                assert set(params["emerging"]) <= source.emerging & partner.emerging
                assert set(params["ecosystems"]) <= source.ecosystems & partner.ecosystems
            if reason.code == "value_chain":
                assert source.value_chain != partner.value_chain
                assert set(params["own_positions"]) <= source.value_chain
                assert set(params["partner_positions"]) <= partner.value_chain
                assert any(
                    TAXONOMY.complement(own, theirs) > 0
                    for own in params["own_positions"]
                    for theirs in params["partner_positions"]
                    if own != theirs
                )
            if reason.code == "strength":
                assert partner.label_rank > 0 or partner.members > median
    # Every kind of reason checked here is said somewhere in the run.
    for code in ("cross_sector", "shared_focus", "value_chain", "seeking", "strength"):
        assert said[code] > 0


def test_identical_value_chain_positions_are_never_called_complementary(full_run):
    profiles, _result = full_run
    source = replace(profiles[0], value_chain=frozenset({"design-engineering", "production"}))
    twin = replace(profiles[1], value_chain=source.value_chain, emerging=source.emerging)
    contributions = dict.fromkeys((*COMPONENTS, PENALTY), 0.0) | {"value_chain": 0.2}

    [reason] = explain(source, twin, contributions, TAXONOMY)

    assert reason.code == "same_chain"


def appearances(profiles, weights, watched):
    encoded = encode(profiles, TAXONOMY)
    result = top_k(encoded, weights, k=20)
    others = np.setdiff1d(np.arange(len(profiles)), watched)
    counts = Counter(result.partners[others].ravel().tolist())
    return sum(counts[row] for row in watched)


def test_declaring_every_country_a_target_grows_appearances_at_most_half():
    profiles = generate_profiles(2000, seed=11, taxonomy=TAXONOMY)
    ordinary = [row for row, p in enumerate(profiles) if len(p.target_countries) <= 2][:10]
    before = appearances(profiles, WEIGHTS, ordinary)
    gamed = list(profiles)
    for row in ordinary:
        gamed[row] = replace(profiles[row], target_countries=frozenset(TAXONOMY.countries))

    after = appearances(gamed, WEIGHTS, ordinary)

    assert before > 0
    assert after <= 1.5 * before


ESTONIA = {"country": "EE", "region": "EE00", "members": 60}


def estonian_population():
    """The example of the issue: an Estonian digital-health cluster among partners that share
    its themes (at home and abroad) and foreign ones that share nothing but geography."""
    source = OrganisationProfile(
        id=1,
        sectors=frozenset({"information-technology-analytical-instruments"}),
        emerging=frozenset({"digital-industries", "medical-devices"}),
        ecosystems=frozenset({"digital", "health"}),
        value_chain=frozenset({"design-engineering"}),
        objectives=frozenset({"digital-transformation", "health"}),
        target_countries=frozenset({"IT", "BE", "FI", "DE"}),
        seeking_sectors=frozenset({"medical-devices"}),
        text="telemedicine software health data platforms for hospitals",
        **ESTONIA,
    )
    medtech_de = OrganisationProfile(
        id=2,
        country="DE",
        region="DE21",
        sectors=frozenset({"medical-devices"}),
        emerging=frozenset({"medical-devices"}),
        ecosystems=frozenset({"health"}),
        value_chain=frozenset({"production"}),
        objectives=frozenset({"health"}),
        members=200,
        text="medical device manufacturers hospitals diagnostics",
    )
    pharma_fi = OrganisationProfile(
        id=3,
        country="FI",
        region="FI1B",
        sectors=frozenset({"biopharmaceuticals"}),
        emerging=frozenset({"medical-devices"}),
        ecosystems=frozenset({"health"}),
        value_chain=frozenset({"research"}),
        objectives=frozenset({"health"}),
        members=120,
        text="clinical research health data hospitals",
    )
    health_ee = OrganisationProfile(
        id=4,
        sectors=frozenset({"medical-devices"}),
        emerging=frozenset({"medical-devices"}),
        ecosystems=frozenset({"health"}),
        value_chain=frozenset({"production"}),
        objectives=frozenset({"health"}),
        text="medical devices hospitals",
        **ESTONIA,
    )
    # Target countries of the source, interested in Estonia, large and gold-labelled: and
    # nothing the source does.
    tourism_it = OrganisationProfile(
        id=5,
        country="IT",
        region="ITC4",
        sectors=frozenset({"hospitality-tourism", "oil-gas-production-transportation"}),
        emerging=frozenset({"blue-growth-industries"}),
        ecosystems=frozenset({"tourism"}),
        value_chain=frozenset({"services-after-sales"}),
        target_countries=frozenset({"EE", "FI", "DE"}),
        members=450,
        label_rank=3,
        text="coastal tourism offshore oil and gas services",
    )
    arts_be = OrganisationProfile(
        id=6,
        country="BE",
        region="BE10",
        sectors=frozenset({"performing-arts"}),
        emerging=frozenset({"creative-industries"}),
        ecosystems=frozenset({"cultural-creative-industries"}),
        value_chain=frozenset({"distribution"}),
        target_countries=frozenset({"EE", "IT", "DE"}),
        members=300,
        label_rank=2,
        text="theatre dance festivals performing arts venues",
    )
    return [source, medtech_de, pharma_fi, health_ee, tourism_it, arts_be]


def test_estonian_digital_health_cluster_gets_health_partners_and_no_strangers():
    profiles = estonian_population()
    encoded = encode(profiles, TAXONOMY)

    result = top_k(encoded, WEIGHTS, k=5)

    listed = [profiles[j].id for j in result.partners[0] if j >= 0]
    # Partners in target countries come first among the related ones, the domestic one
    # follows, and the tourism and performing-arts strangers are not listed at all.
    assert sorted(listed[:2]) == [2, 3]
    assert listed[2:] == [4]
    relevance = sum(result.contributions[name][0] for name in THEMATIC)
    assert (relevance[:3] >= RELEVANCE_FLOOR).all()


def test_an_unrelated_foreign_partner_never_outranks_a_related_domestic_one():
    profiles = estonian_population()
    domestic = profiles[3]
    for stranger in profiles[4:]:
        # However much geography is worth, the stranger stays unlisted.
        weights = {**WEIGHTS, "international": 10.0, "partner_interest": 10.0}
        encoded = encode([profiles[0], domestic, stranger], TAXONOMY)

        result = top_k(encoded, weights, k=2)

        assert result.partners[0].tolist() == [1, -1]


def test_pages_give_what_partners_do_together_before_where_the_partner_is():
    reasons = [
        Reason(code="international", contribution=0.5, component="international"),
        Reason(code="text", contribution=0.2, component="text"),
        Reason(code="strength", contribution=0.15, component="strength"),
        Reason(code="value_chain", contribution=0.1, component="value_chain"),
        Reason(code="duplicate", contribution=-0.05, component="duplicate"),
    ]

    shown = strongest(reasons)

    assert [reason.code for reason in shown] == [
        "text",
        "value_chain",
        "international",
        "duplicate",
    ]
