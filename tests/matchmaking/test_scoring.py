import math
import random
import zlib
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from matchmaking.enums import DEFAULT_WEIGHT_PROFILES, WeightProfileName
from matchmaking.explain import Reason, explain
from matchmaking.features import (
    OrganisationProfile,
    Taxonomy,
    encode,
)
from matchmaking.scoring import (
    COMPONENTS,
    MODULATORS,
    PENALTY,
    RELEVANCE_FLOOR,
    THEMATIC,
    listable,
    score_chunk,
    top_k,
    total_score,
    validate_weights,
    weighted_contributions,
)
from matchmaking.sentences import sentence
from matchmaking.synthetic import generate_profiles, load_taxonomy
from matchmaking.text import CONCEPT_SHARE, PARENT_WEIGHT, analyse, lexicon

TEXT_DIMS = 16

# Small vocabularies, so random instances share sectors, regions and texts, and tie often.
TAXONOMY = Taxonomy(
    sectors=("automotive", "plastics", "textiles", "food", "it", "tourism"),
    emerging=("mobility", "packaging", "digital"),
    ecosystems=("health", "retail"),
    value_chain=("research", "design", "components", "production", "services"),
    objectives=("green", "digital", "health"),
    countries=("DE", "FR", "PL"),
    regions=("DE1", "DE2", "FR1", "PL1"),
    sector_emerging={
        "automotive": frozenset({"mobility"}),
        "it": frozenset({"mobility", "digital"}),
        "plastics": frozenset({"packaging"}),
        "food": frozenset({"packaging"}),
    },
    sector_ecosystems={
        "textiles": frozenset({"retail"}),
        "tourism": frozenset({"retail"}),
        "food": frozenset({"health"}),
    },
    service_positions=frozenset({"services"}),
)
REGIONS = {"DE1": "DE", "DE2": "DE", "FR1": "FR", "PL1": "PL"}
WORDS = [
    "battery",
    "sensor",
    "fabric",
    "harvest",
    "cloud",
    "hotel",
    "recycling",
    "design",
    "export",
]
PROFILES = [dict(DEFAULT_WEIGHT_PROFILES[name]) for name in WeightProfileName]
# Low enough that random instances list many partners, so ties and the cap are exercised.
FLOOR = 0.05


def random_profiles(count, seed):
    rng = random.Random(seed)

    def some(items, low, high):
        return frozenset(rng.sample(items, rng.randint(low, min(high, len(items)))))

    profiles = []
    for identifier in range(count):
        region = rng.choice(sorted(REGIONS))
        profiles.append(
            OrganisationProfile(
                id=100 + identifier,
                country=REGIONS[region],
                region=region,
                sectors=some(TAXONOMY.sectors, 0, 2),
                emerging=some(TAXONOMY.emerging, 0, 2),
                ecosystems=some(TAXONOMY.ecosystems, 0, 1),
                value_chain=some(TAXONOMY.value_chain, 0, 2),
                objectives=some(TAXONOMY.objectives, 0, 2),
                target_countries=some(TAXONOMY.countries, 0, 3),
                members=rng.choice([0, 15, 90, 500, 900]),
                label_rank=rng.randint(0, 3),
                text=" ".join(rng.choices(WORDS, k=rng.randint(0, 6))),
                seeking_sectors=some(TAXONOMY.sectors, 0, 2),
                seeking_emerging=some(TAXONOMY.emerging, 0, 1),
                seeking_value_chain=some(TAXONOMY.value_chain, 0, 1),
            )
        )
    return profiles


def reference_text_vectors(texts, dims):
    """matchmaking.text's vectors from their definition, one text at a time, as {key: value}:
    TF-IDF over concept columns (own column 1, taxonomy entries PARENT_WEIGHT) and over
    crc32 lemma buckets, each normalised, weighted by CONCEPT_SHARE and normalised again."""
    parents = lexicon().parents
    analyses = [analyse(text) for text in texts]
    concept_counts, lemma_counts = [], []
    for analysis in analyses:
        concepts = Counter()
        for concept in analysis.concepts:
            concepts[concept] += 1.0
            for parent in parents[concept]:
                concepts[parent] += PARENT_WEIGHT
        concept_counts.append(concepts)
        lemma_counts.append(Counter(zlib.crc32(lemma.encode()) % dims for lemma in analysis.lemmas))

    def tfidf(counters, share):
        document_frequency = Counter(key for counter in counters for key in counter)
        vectors = []
        for counter in counters:
            vector = {
                key: count * (math.log((1 + len(texts)) / (1 + document_frequency[key])) + 1)
                for key, count in counter.items()
            }
            norm = math.sqrt(sum(value * value for value in vector.values()))
            vectors.append({key: math.sqrt(share) * v / norm for key, v in vector.items()})
        return vectors

    vectors = []
    for concepts, lemmas in zip(
        tfidf(concept_counts, CONCEPT_SHARE),
        tfidf(lemma_counts, 1 - CONCEPT_SHARE),
        strict=True,
    ):
        vector = {("concept", key): v for key, v in concepts.items()}
        vector |= {("lemma", key): v for key, v in lemmas.items()}
        norm = math.sqrt(sum(value * value for value in vector.values()))
        vectors.append({key: value / norm for key, value in vector.items()} if norm else {})
    return vectors


def cosine(first, second):
    if not first or not second:
        return 0.0
    return len(first & second) / math.sqrt(len(first) * len(second))


def weighted_cosine(first, second):
    """Cosine of two sparse vectors given as {item: weight}."""
    dot = sum(weight * second.get(item, 0.0) for item, weight in first.items())
    norms = math.sqrt(sum(w * w for w in first.values()) * sum(w * w for w in second.values()))
    return dot / norms if norms else 0.0


def market_vector(profile, idf):
    return {country: idf[country] for country in profile.target_countries - {profile.country}}


def reference_market_idf(profiles):
    targeted = Counter(c for p in profiles for c in p.target_countries - {p.country})
    return {c: math.log((1 + len(profiles)) / (1 + df)) + 1 for c, df in targeted.items()}


def mean_over_pairs(first, second, value):
    if not first or not second:
        return 0.0
    return sum(value(a, b) for a in first for b in second) / (len(first) * len(second))


def target_weight(profile, taxonomy):
    targets = (profile.target_countries - {profile.country}) & set(taxonomy.countries)
    return min(1.0, 3 / len(targets)) if targets else 0.0


def reference_median(profiles):
    sizes = sorted(p.members for p in profiles if p.members > 0)
    return float(np.median(sizes)) if sizes else 0.0


def reference_components(source, partner, taxonomy, source_text, partner_text, market_idf, median):
    """Each component straight from its definition, one pair at a time."""
    services = taxonomy.service_positions
    linear = [slug for slug in taxonomy.value_chain if slug not in services]

    def complement(own, theirs):
        if (own in services) != (theirs in services):
            return 1.0
        if own in services:
            return 0.0
        return {1: 1.0, 2: 0.5}.get(abs(linear.index(own) - linear.index(theirs)), 0.0)

    def focus(profile):
        return {("e", slug): 1.0 for slug in profile.emerging} | {
            ("c", slug): 0.25 for slug in profile.ecosystems
        }

    def declared(profile):
        return {("emerging", slug): 1.0 for slug in profile.emerging} | {
            ("ecosystem", slug): 0.25 for slug in profile.ecosystems
        }

    def in_bridge(sector, bridge):
        return bridge in taxonomy.bridges(sector)

    cross = 0.0
    own_bridges, their_bridges = declared(source), declared(partner)
    if source.sectors and partner.sectors and own_bridges and their_bridges:
        for bridge, weight in own_bridges.items():
            if bridge not in their_bridges:
                continue
            pairs = sum(
                own != theirs and in_bridge(own, bridge) and in_bridge(theirs, bridge)
                for own in source.sectors
                for theirs in partner.sectors
            )
            cross += weight * pairs / (len(source.sectors) * len(partner.sectors))
        cross /= math.sqrt(sum(own_bridges.values()) * sum(their_bridges.values()))

    def holds(profile):
        return (
            {("s", slug) for slug in profile.sectors}
            | {("e", slug) for slug in profile.emerging}
            | {("c", slug) for slug in profile.ecosystems}
            | {("v", slug) for slug in profile.value_chain}
        )

    def seeks(profile):
        return (
            {("s", slug) for slug in profile.seeking_sectors}
            | {("e", slug) for slug in profile.seeking_emerging}
            | {("c", slug) for slug in profile.seeking_ecosystems}
            | {("v", slug) for slug in profile.seeking_value_chain}
        )

    def found(seeker, holder):
        sought, held = seeks(seeker), holds(holder)
        return len(sought & held) / math.sqrt(len(sought) * len(held)) if sought and held else 0.0

    abroad = source.country != partner.country
    in_targets = partner.country in source.target_countries and abroad
    targets_source = source.country in partner.target_countries and abroad
    size = 0.0
    if partner.members > median and median < 500:
        low, high = math.log1p(median), math.log1p(500)
        size = min(1.0, (math.log1p(partner.members) - low) / (high - low))
    shared_focus = weighted_cosine(focus(source), focus(partner))
    return {
        "cross_sector": cross,
        "shared_focus": shared_focus,
        "value_chain": shared_focus
        * mean_over_pairs(source.value_chain, partner.value_chain, complement),
        "s3_objectives": cosine(source.objectives, partner.objectives),
        "seeking": 0.5 * found(source, partner) + 0.5 * found(partner, source),
        "text": sum(value * partner_text.get(bucket, 0.0) for bucket, value in source_text.items()),
        "international": 0.5 * abroad + 0.5 * in_targets * target_weight(source, taxonomy),
        "partner_interest": targets_source * target_weight(partner, taxonomy),
        "shared_markets": weighted_cosine(
            market_vector(source, market_idf), market_vector(partner, market_idf)
        ),
        "strength": 0.5 * partner.label_rank / 3 + 0.5 * size,
        PENALTY: (source.region == partner.region) * cosine(source.sectors, partner.sectors),
    }


def reference_pair(components, weights):
    """(score, relevance) of one pair from its components, as the scoring docstring says."""
    weights = validate_weights(weights)
    shares = sum(weights[name] for name in THEMATIC)
    relevance = sum(weights[name] * components[name] for name in THEMATIC) / shares
    modulation = sum(weights[name] * components[name] for name in MODULATORS)
    score = relevance * (1 + modulation) * (1 - weights[PENALTY] * components[PENALTY])
    return score, relevance


def reference_scores(profiles, taxonomy, weights, with_relevance=False):
    texts = reference_text_vectors([p.text for p in profiles], TEXT_DIMS)
    market_idf = reference_market_idf(profiles)
    median = reference_median(profiles)
    scores, relevance = {}, {}
    for i, source in enumerate(profiles):
        for j, partner in enumerate(profiles):
            components = reference_components(
                source, partner, taxonomy, texts[i], texts[j], market_idf, median
            )
            scores[i, j], relevance[i, j] = reference_pair(components, weights)
    return (scores, relevance) if with_relevance else scores


def reference_top_k(
    scores, relevance, profiles, k, *, floor=FLOOR, cap=None, eligible=None, decimals=9
):
    """Greedy by score: a partner from a country that already fills `cap` places waits until
    no other listable partner is left."""
    cap = cap or max(2, math.ceil(k / 4))
    best = []
    for i in range(len(profiles)):
        pairs = sorted(
            (-round(scores[i, j], decimals), j)
            for j in range(len(profiles))
            if j != i
            and (eligible is None or eligible[j])
            and relevance[i, j] >= floor
            and scores[i, j] > 0
        )
        taken, waiting, per_country = [], [], Counter()
        for _score, j in pairs:
            country = profiles[j].country
            if per_country[country] < cap:
                taken.append(j)
                per_country[country] += 1
            else:
                waiting.append(j)
        best.append((taken + waiting)[:k])
    return best


def padded(lists, k):
    return [row + [-1] * (k - len(row)) for row in lists]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("weights", PROFILES, ids=[name.value for name in WeightProfileName])
def test_fast_scores_equal_reference_on_random_instances(seed, weights):
    profiles = random_profiles(60, seed)
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)

    fast = total_score(score_chunk(encoded, np.arange(60)), weights)

    expected = reference_scores(profiles, TAXONOMY, weights)
    assert np.abs(
        fast - np.array([[expected[i, j] for j in range(60)] for i in range(60)])
    ).max() < (1e-9)


def test_every_component_equals_its_reference_and_lies_in_the_unit_interval():
    profiles = random_profiles(60, 12)
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)
    components = score_chunk(encoded, np.arange(60))
    texts = reference_text_vectors([p.text for p in profiles], TEXT_DIMS)
    idf, median = reference_market_idf(profiles), reference_median(profiles)

    for i in range(0, 60, 7):
        for j in range(60):
            expected = reference_components(
                profiles[i], profiles[j], TAXONOMY, texts[i], texts[j], idf, median
            )
            assert {name: components[name][i, j] for name in expected} == pytest.approx(expected)
    for name in (*COMPONENTS, PENALTY):
        assert components[name].min() >= -1e-12
        assert components[name].max() <= 1 + 1e-12
    # Every themed component is somewhere positive, so the instances test each of them.
    assert all(components[name].max() > 0 for name in COMPONENTS)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("weights", PROFILES, ids=[name.value for name in WeightProfileName])
def test_top_k_equals_reference_top_k(seed, weights):
    profiles = random_profiles(60, seed)
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)
    expected, relevance = reference_scores(profiles, TAXONOMY, weights, with_relevance=True)

    result = top_k(encoded, weights, k=20, chunk_rows=16, floor=FLOOR)

    best = reference_top_k(expected, relevance, profiles, 20)
    assert result.partners.tolist() == padded(best, 20)
    for i, row in enumerate(best):
        assert result.scores[i, : len(row)].tolist() == pytest.approx(
            [expected[i, j] for j in row], abs=1e-9
        )
        assert np.isnan(result.scores[i, len(row) :]).all()


@pytest.mark.parametrize("cap", [1, 2, 20])
def test_top_k_country_cap_equals_reference(cap):
    # Three countries and k = 20: with a cap of 1 or 2, most of each list waits for the cap.
    profiles = random_profiles(80, 13)
    weights = PROFILES[0]
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)
    expected, relevance = reference_scores(profiles, TAXONOMY, weights, with_relevance=True)

    result = top_k(encoded, weights, k=20, chunk_rows=8, floor=FLOOR, country_cap=cap)

    assert result.partners.tolist() == padded(
        reference_top_k(expected, relevance, profiles, 20, cap=cap), 20
    )


def test_top_k_equals_reference_on_synthetic_profiles():
    taxonomy = load_taxonomy()
    profiles = generate_profiles(60, seed=7, taxonomy=taxonomy)
    weights = PROFILES[0]
    encoded = encode(profiles, taxonomy, text_dims=TEXT_DIMS)
    expected, relevance = reference_scores(profiles, taxonomy, weights, with_relevance=True)

    result = top_k(encoded, weights, k=10)

    best = reference_top_k(expected, relevance, profiles, 10, floor=RELEVANCE_FLOOR)
    assert result.partners.tolist() == padded(best, 10)
    # The floor leaves some lists short on so small a population, and none empty of sense.
    assert 0 < sum(len(row) for row in best) < 600


def test_top_k_contributions_sum_to_score_and_no_listed_score_is_negative():
    profiles = random_profiles(60, 3)
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)

    result = top_k(encoded, PROFILES[0], k=20, floor=FLOOR)

    listed = result.partners >= 0
    summed = sum(result.contributions[name] for name in (*COMPONENTS, PENALTY))
    assert np.abs(summed[listed] - result.scores[listed]).max() < 1e-12
    assert (result.contributions[PENALTY] <= 0).all()
    assert (result.scores[listed] > 0).all()
    relevance = sum(result.contributions[name] for name in THEMATIC)
    assert (relevance[listed] >= FLOOR).all()


def test_top_k_never_recommends_self_and_lists_only_partners_above_the_floor():
    base = OrganisationProfile(
        id=1,
        country="DE",
        region="DE1",
        sectors=frozenset({"automotive"}),
        emerging=frozenset({"mobility"}),
        value_chain=frozenset({"components"}),
    )
    related = [
        replace(base, id=2, country="FR", region="FR1", sectors=frozenset({"it"})),
        replace(base, id=3, country="PL", region="PL1", sectors=frozenset({"it"})),
    ]
    # Declares nothing in common with anyone, whatever its countries.
    stranger = OrganisationProfile(
        id=4,
        country="FR",
        region="FR1",
        sectors=frozenset({"tourism"}),
        ecosystems=frozenset({"retail"}),
        target_countries=frozenset({"DE", "PL"}),
    )
    profiles = [base, *related, stranger]
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)

    result = top_k(encoded, PROFILES[0], k=5)

    # The two IT clusters share the industry and nothing else (same sector, same position):
    # a copy of each other, below the floor, like the stranger.
    assert result.partners.tolist() == [
        [1, 2, -1, -1, -1],
        [0, -1, -1, -1, -1],
        [0, -1, -1, -1, -1],
        [-1, -1, -1, -1, -1],
    ]
    assert np.isnan(result.scores[:, 2:]).all()


def test_top_k_breaks_ties_by_lower_partner_index():
    twin = OrganisationProfile(
        id=0,
        country="DE",
        region="DE1",
        sectors=frozenset({"automotive", "it"}),
        emerging=frozenset({"mobility"}),
        value_chain=frozenset({"design", "production"}),
        text="battery sensor",
    )
    profiles = [replace(twin, id=identifier) for identifier in range(8)]
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)

    first = top_k(encoded, PROFILES[0], k=3, chunk_rows=3, country_cap=3)
    second = top_k(encoded, PROFILES[0], k=3, chunk_rows=8, workers=1, country_cap=3)

    assert first.partners.tolist() == [[j for j in range(8) if j != i][:3] for i in range(8)]
    assert second.partners.tolist() == first.partners.tolist()
    assert len(set(first.scores.ravel().tolist())) == 1


@pytest.mark.parametrize("chunk_rows", [1, 7, 60])
@pytest.mark.parametrize("workers", [1, 2])
def test_top_k_does_not_depend_on_chunk_size_or_workers(chunk_rows, workers):
    profiles = random_profiles(60, 6)
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)
    baseline = top_k(encoded, PROFILES[1], k=20, chunk_rows=60, workers=1, floor=FLOOR)

    result = top_k(encoded, PROFILES[1], k=20, chunk_rows=chunk_rows, workers=workers, floor=FLOOR)

    assert np.array_equal(result.partners, baseline.partners)
    assert np.array_equal(result.scores, baseline.scores, equal_nan=True)


def test_top_k_recommends_only_eligible_partners_but_to_everyone():
    profiles = random_profiles(60, 8)
    eligible = np.array([i % 3 == 0 for i in range(60)])
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)
    expected, relevance = reference_scores(profiles, TAXONOMY, PROFILES[2], with_relevance=True)

    result = top_k(encoded, PROFILES[2], k=5, chunk_rows=9, eligible=eligible, floor=FLOOR)

    assert result.partners.tolist() == padded(
        reference_top_k(expected, relevance, profiles, 5, eligible=eligible), 5
    )
    assert all(eligible[j] for j in result.partners.ravel() if j >= 0)
    assert (result.partners[:, 0] >= 0).sum() > 40


def complementary_instance():
    source = OrganisationProfile(
        id=1,
        country="DE",
        region="DE1",
        sectors=frozenset({"automotive"}),
        emerging=frozenset({"mobility"}),
        value_chain=frozenset({"components"}),
        objectives=frozenset({"green"}),
        members=90,
        text="battery sensor",
    )
    twin = replace(source, id=2)
    partner = OrganisationProfile(
        id=3,
        country="FR",
        region="FR1",
        sectors=frozenset({"it"}),
        emerging=frozenset({"mobility"}),
        value_chain=frozenset({"production"}),
        members=90,
        text="cloud",
    )
    return [source, twin, partner]


def test_duplicate_penalty_puts_twin_below_complementary_partner_abroad():
    weights = {
        "cross_sector": 0.2,
        "shared_focus": 0.1,
        "value_chain": 0.1,
        "s3_objectives": 0.3,
        "text": 0.3,
        "international": 0.1,
        "duplicate": 0.5,
    }
    encoded = encode(complementary_instance(), TAXONOMY, text_dims=TEXT_DIMS)

    without_penalty = top_k(encoded, {**weights, PENALTY: 0.0}, k=2)
    with_penalty = top_k(encoded, weights, k=2)

    assert without_penalty.partners[0].tolist() == [1, 2]
    assert with_penalty.partners[0].tolist() == [2, 1]
    twin_score = without_penalty.scores[0, 0]
    assert with_penalty.contributions[PENALTY][0].tolist() == pytest.approx(
        [0.0, -weights[PENALTY] * twin_score]
    )
    assert with_penalty.scores[0, 1] == pytest.approx((1 - weights[PENALTY]) * twin_score)


def test_geography_never_lifts_an_unrelated_partner_and_raises_a_related_one():
    source = OrganisationProfile(
        id=1,
        country="DE",
        region="DE1",
        sectors=frozenset({"automotive"}),
        emerging=frozenset({"mobility"}),
        value_chain=frozenset({"components"}),
        target_countries=frozenset({"FR", "PL"}),
    )
    domestic = replace(
        source, id=2, region="DE2", sectors=frozenset({"it"}), target_countries=frozenset()
    )
    abroad = replace(domestic, id=3, country="FR", region="FR1", target_countries=frozenset({"DE"}))
    # Abroad, in a target country, interested in Germany, heading for the same markets, gold
    # label and large: and nothing in common.
    stranger = OrganisationProfile(
        id=4,
        country="PL",
        region="PL1",
        sectors=frozenset({"tourism"}),
        ecosystems=frozenset({"retail"}),
        target_countries=frozenset({"DE", "FR"}),
        label_rank=3,
        members=900,
    )
    profiles = [source, domestic, abroad, stranger]
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)
    weights = {**PROFILES[0], "international": 5.0, "partner_interest": 5.0}

    result = top_k(encoded, weights, k=3)

    assert result.partners[0].tolist() == [2, 1, -1]
    relevance = sum(result.contributions[name][0] for name in THEMATIC)
    assert relevance[0] == pytest.approx(relevance[1])
    assert result.scores[0, 0] > result.scores[0, 1]


def test_declaring_every_country_a_target_spreads_the_same_interest():
    countries = frozenset(TAXONOMY.countries)
    honest = OrganisationProfile(
        id=1,
        country="DE",
        region="DE1",
        target_countries=frozenset({"FR", "PL"}),
    )
    greedy = replace(honest, id=2, target_countries=countries)
    encoded = encode([honest, greedy], TAXONOMY, text_dims=TEXT_DIMS)

    targets = encoded.targets.toarray()

    # Two targets count fully; every country (its own left out) counts no more in total than
    # TARGET_BUDGET of them.
    assert targets[0].tolist() == [0.0, 1.0, 1.0]
    assert targets[1].tolist() == [0.0, 1.0, 1.0]
    many = frozenset({f"C{k}" for k in range(12)})
    taxonomy = replace(TAXONOMY, countries=(*TAXONOMY.countries, *sorted(many)))
    spread = encode([replace(honest, target_countries=many)], taxonomy).targets.toarray()
    assert spread.sum() == pytest.approx(3.0)


def test_explain_names_the_bridge_and_sums_to_the_score():
    profiles = complementary_instance()
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)
    # Fixed weights, so that tuning the shipped profiles does not reorder the reasons.
    weights = {
        "cross_sector": 0.30,
        "shared_focus": 0.10,
        "value_chain": 0.20,
        "s3_objectives": 0.10,
        "text": 0.15,
        "international": 0.10,
        "strength": 0.15,
        "duplicate": 0.50,
    }
    result = top_k(encoded, weights, k=2)
    contributions = {name: result.contributions[name][0, 0] for name in (*COMPONENTS, PENALTY)}

    reasons = explain(profiles[0], profiles[result.partners[0, 0]], contributions, TAXONOMY)

    assert [reason.code for reason in reasons] == [
        "cross_sector",
        "value_chain",
        "shared_focus",
        "different_country",
    ]
    assert reasons[0].params == {
        "own_sector": "automotive",
        "partner_sector": "it",
        "bridge_kind": "emerging",
        "bridge": "mobility",
    }
    assert reasons[1].params == {
        "own_positions": ["components"],
        "partner_positions": ["production"],
    }
    assert sum(reason.contribution for reason in reasons) == pytest.approx(result.scores[0, 0])


def test_validate_weights_rejects_unknown_and_negative_weights():
    with pytest.raises(ValueError, match="Unknown score components"):
        validate_weights({"charisma": 1.0})
    with pytest.raises(ValueError, match="non-negative"):
        validate_weights({"text": -0.1})
    assert validate_weights({"text": 0.5}) == {
        **dict.fromkeys((*COMPONENTS, PENALTY), 0.0),
        "text": 0.5,
    }


def test_top_k_lists_nobody_without_a_thematic_weight():
    encoded = encode(random_profiles(30, 1), TAXONOMY, text_dims=TEXT_DIMS)

    result = top_k(encoded, {"international": 1.0, "partner_interest": 0.5}, floor=FLOOR)

    assert (result.partners == -1).all()


def exhaustive_pick(encoded, weights, rows, k, *, floor, cap, eligible):
    """The capped greedy pick from every pair's exact score, straight from score_chunk."""
    contributions = weighted_contributions(score_chunk(encoded, rows), weights)
    scores = sum(contributions.values())
    allowed = listable(contributions, floor)
    allowed[np.arange(len(rows)), rows] = False
    allowed[:, ~eligible] = False
    best = []
    for m in range(len(rows)):
        order = [
            j
            for j in np.lexsort((np.arange(encoded.size), -np.round(scores[m], 9)))
            if allowed[m, j]
        ]
        taken, waiting, per_country = [], [], Counter()
        for j in order:
            if per_country[encoded.country[j]] < cap:
                taken.append(int(j))
                per_country[encoded.country[j]] += 1
            else:
                waiting.append(int(j))
        best.append((taken + waiting)[:k])
    return padded(best, k), scores


@pytest.mark.parametrize("scale", [1, 1000])
@pytest.mark.parametrize("eligible_every", [1, 4])
def test_top_k_equals_exhaustive_ranking_when_columns_are_grouped(eligible_every, scale):
    # 1,500 organisations over tiny vocabularies: enough columns for the grouped lower bound
    # of `top_k`, a great many exact ties at every row's k-th score, and three countries, so
    # the cap reaches deep into the lists.
    profiles = random_profiles(1500, 9)
    eligible = np.arange(1500) % eligible_every == 0
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)
    weights = {name: scale * weight for name, weight in PROFILES[0].items()}
    weights[PENALTY] = PROFILES[0][PENALTY]
    rows = np.arange(0, 1500, 37)
    expected, scores = exhaustive_pick(
        encoded, weights, rows, 20, floor=FLOOR, cap=5, eligible=eligible
    )

    result = top_k(encoded, weights, k=20, eligible=eligible, floor=FLOOR)

    assert result.partners[rows].tolist() == expected
    listed = np.array(expected) >= 0
    chosen = np.take_along_axis(scores, np.maximum(np.array(expected), 0), 1)
    assert np.abs(result.scores[rows][listed] - chosen[listed]).max() < 1e-9 * scale


def test_explain_names_target_country_and_puts_the_duplicate_penalty_last():
    source, twin, partner = complementary_instance()
    source = replace(source, target_countries=frozenset({"FR"}))
    profiles = [source, twin, partner]
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)
    weights = PROFILES[0]
    result = top_k(encoded, weights, k=2)

    def reasons_for(rank):
        contributions = {name: result.contributions[name][0, rank] for name in result.contributions}
        return explain(source, profiles[result.partners[0, rank]], contributions, TAXONOMY)

    assert result.partners[0].tolist() == [2, 1]
    abroad, twin_reasons = reasons_for(0), reasons_for(1)
    assert [(r.code, r.params) for r in abroad if r.code == "target_country"] == [
        ("target_country", {"country": "FR"})
    ]
    assert twin_reasons[-1].code == "near_duplicate"
    assert twin_reasons[-1].params == {"region": "DE1", "sectors": ["automotive"]}
    assert twin_reasons[-1].contribution < 0
    assert sum(r.contribution for r in twin_reasons) == pytest.approx(result.scores[0, 1])


def test_explain_names_interest_both_ways_and_shared_markets():
    source = OrganisationProfile(
        id=1,
        country="DE",
        region="DE1",
        objectives=frozenset({"green"}),
        target_countries=frozenset({"FR", "PL"}),
    )
    partner = OrganisationProfile(
        id=2,
        country="FR",
        region="FR1",
        objectives=frozenset({"green"}),
        target_countries=frozenset({"DE", "PL"}),
    )
    encoded = encode([source, partner], TAXONOMY, text_dims=TEXT_DIMS)
    weights = {
        "s3_objectives": 1.0,
        "international": 0.5,
        "partner_interest": 0.3,
        "shared_markets": 0.4,
    }
    result = top_k(encoded, weights, k=1)
    contributions = {name: result.contributions[name][0, 0] for name in (*COMPONENTS, PENALTY)}

    reasons = explain(source, partner, contributions, TAXONOMY)

    assert [(r.code, r.params) for r in reasons] == [
        ("s3_objectives", {"objectives": ["green"]}),
        ("target_country", {"country": "FR"}),
        ("partner_interest", {"country": "FR", "own_country": "DE"}),
        ("shared_markets", {"countries": ["PL"]}),
    ]
    # Poland is aimed at by both (idf 1); France and Germany by one each (idf ln 1.5 + 1).
    single, shared = math.log(3 / 2) + 1, 1.0
    cosine = shared * shared / (single**2 + shared**2)
    assert [r.contribution for r in reasons] == pytest.approx([1.0, 0.5, 0.3, 0.4 * cosine])
    assert sum(r.contribution for r in reasons) == pytest.approx(result.scores[0, 0])


def test_partner_interest_ranks_a_partner_that_targets_our_country_first():
    themes = {"objectives": frozenset({"green"})}
    source = OrganisationProfile(id=1, country="DE", region="DE1", **themes)
    home = OrganisationProfile(
        id=2, country="DE", region="DE2", target_countries=frozenset({"DE"}), **themes
    )
    indifferent = OrganisationProfile(id=3, country="PL", region="PL1", **themes)
    keen = OrganisationProfile(
        id=4, country="FR", region="FR1", target_countries=frozenset({"DE"}), **themes
    )
    encoded = encode([source, home, indifferent, keen], TAXONOMY, text_dims=TEXT_DIMS)

    result = top_k(
        encoded, {"s3_objectives": 1.0, "international": 0.5, "partner_interest": 0.5}, k=3
    )

    # Its own country is never one of an organisation's targets, so `home` gains nothing.
    assert result.partners[0].tolist() == [3, 2, 1]
    assert result.scores[0].tolist() == pytest.approx([1.75, 1.25, 1.0])
    assert result.contributions["partner_interest"][0].tolist() == [0.5, 0.0, 0.0]


def test_shared_markets_count_a_rare_target_country_more_than_a_common_one():
    source = OrganisationProfile(
        id=1, country="DE", region="DE1", target_countries=frozenset({"FR", "PL"})
    )
    common = OrganisationProfile(
        id=2, country="DE", region="DE2", target_countries=frozenset({"FR"})
    )
    rare = OrganisationProfile(id=3, country="DE", region="DE2", target_countries=frozenset({"PL"}))
    # Five more organisations aim at France, none at Poland.
    crowd = [
        OrganisationProfile(
            id=10 + k, country="PL", region="PL1", target_countries=frozenset({"FR"})
        )
        for k in range(5)
    ]
    encoded = encode([source, common, rare, *crowd], TAXONOMY, text_dims=TEXT_DIMS)

    markets = score_chunk(encoded, [0])["shared_markets"][0]

    idf_france, idf_poland = math.log(9 / 8) + 1, math.log(9 / 3) + 1
    norm = math.hypot(idf_france, idf_poland)
    assert markets[1] == pytest.approx(idf_france / norm)
    assert markets[2] == pytest.approx(idf_poland / norm)
    assert markets[2] > markets[1]


def test_sentences_for_international_interest_and_shared_markets():
    names = {"country": {"DE": "Germany", "FR": "France", "PL": "Poland"}}
    reasons = [
        Reason("partner_interest", 0.2, {"country": "PL", "own_country": "DE"}),
        Reason("shared_markets", 0.1, {"countries": ["FR", "PL"]}),
    ]

    assert [sentence(reason, names) for reason in reasons] == [
        "a partner in Poland looking for partners in Germany",
        "the same target markets (France, Poland)",
    ]


def test_top_k_equals_exhaustive_ranking_with_unknown_countries_and_targets():
    # Countries outside the taxonomy: never the same as anyone's, never a target; the scorer
    # adds the international terms by country, so it must treat them as the product does.
    profiles = [
        replace(p, country="XX", region="XX1") if p.id % 5 == 0 else p
        for p in random_profiles(300, 11)
    ]
    eligible = np.arange(300) % 3 != 0
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)
    weights = {**PROFILES[0], "partner_interest": 0.4, "international": 0.3}
    rows = np.arange(300)
    expected, scores = exhaustive_pick(
        encoded, weights, rows, 15, floor=FLOOR, cap=4, eligible=eligible
    )

    result = top_k(encoded, weights, k=15, chunk_rows=7, eligible=eligible, floor=FLOOR)

    assert result.partners.tolist() == expected
    listed = np.array(expected) >= 0
    chosen = np.take_along_axis(scores, np.maximum(np.array(expected), 0), 1)
    assert np.abs(result.scores[listed] - chosen[listed]).max() < 1e-9
