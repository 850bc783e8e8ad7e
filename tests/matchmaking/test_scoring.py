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
    SERVICE_COMPLEMENT_WEIGHT,
    OrganisationProfile,
    Taxonomy,
    encode,
)
from matchmaking.scoring import (
    COMPONENTS,
    PENALTY,
    score_chunk,
    top_k,
    total_score,
    validate_weights,
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
                target_countries=some(TAXONOMY.countries, 0, 2),
                members=rng.choice([0, 15, 90, 500, 900]),
                label_rank=rng.randint(0, 3),
                text=" ".join(rng.choices(WORDS, k=rng.randint(0, 6))),
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


def reference_components(source, partner, taxonomy, source_text, partner_text, market_idf):
    """Each component straight from its definition, one pair at a time."""
    services = taxonomy.service_positions
    order = {slug: k for k, slug in enumerate(p for p in taxonomy.value_chain if p not in services)}

    def complement(own, theirs):
        if (own in services) != (theirs in services):
            return SERVICE_COMPLEMENT_WEIGHT
        if own in services:
            return 0.0
        return {1: 1.0, 2: 0.5}.get(abs(order[own] - order[theirs]), 0.0)

    def linked(own, theirs):
        return own != theirs and bool(taxonomy.bridges(own) & taxonomy.bridges(theirs))

    def focus(profile):
        return {("e", slug): 1.0 for slug in profile.emerging} | {
            ("c", slug): 0.25 for slug in profile.ecosystems
        }

    abroad = source.country != partner.country
    in_targets = partner.country in source.target_countries and abroad
    targets_source = source.country in partner.target_countries and abroad
    size = min(1.0, math.log1p(partner.members) / math.log1p(500))
    return {
        "cross_sector": mean_over_pairs(source.sectors, partner.sectors, linked),
        "shared_focus": weighted_cosine(focus(source), focus(partner)),
        "value_chain": mean_over_pairs(
            source.value_chain,
            partner.value_chain,
            complement,
        ),
        "s3_objectives": cosine(source.objectives, partner.objectives),
        "text": sum(value * partner_text.get(bucket, 0.0) for bucket, value in source_text.items()),
        "international": 0.5 * abroad + 0.5 * in_targets,
        "partner_interest": float(targets_source),
        "shared_markets": weighted_cosine(
            market_vector(source, market_idf), market_vector(partner, market_idf)
        ),
        "strength": 0.5 * partner.label_rank / 3 + 0.5 * size,
        PENALTY: (source.region == partner.region) * cosine(source.sectors, partner.sectors),
    }


def reference_scores(profiles, taxonomy, weights):
    texts = reference_text_vectors([p.text for p in profiles], TEXT_DIMS)
    market_idf = reference_market_idf(profiles)
    weights = validate_weights(weights)
    scores = {}
    for i, source in enumerate(profiles):
        for j, partner in enumerate(profiles):
            components = reference_components(
                source, partner, taxonomy, texts[i], texts[j], market_idf
            )
            scores[i, j] = sum(weights[name] * components[name] for name in COMPONENTS) - (
                weights[PENALTY] * components[PENALTY]
            )
    return scores


def reference_top_k(scores, count, k, eligible=None):
    best = []
    for i in range(count):
        pairs = [
            (-round(scores[i, j], 9), j)
            for j in range(count)
            if j != i and (eligible is None or eligible[j])
        ]
        best.append([j for _, j in sorted(pairs)[:k]])
    return best


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("weights", PROFILES, ids=[name.value for name in WeightProfileName])
def test_fast_scores_equal_reference_on_random_instances(seed, weights):
    profiles = random_profiles(60, seed)
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)

    fast = total_score(score_chunk(encoded, np.arange(60)), weights)

    expected = reference_scores(profiles, TAXONOMY, weights)
    assert np.abs(
        fast - np.array([[expected[i, j] for j in range(60)] for i in range(60)])
    ).max() < (1e-6)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("weights", PROFILES, ids=[name.value for name in WeightProfileName])
def test_top_k_equals_reference_top_k(seed, weights):
    profiles = random_profiles(60, seed)
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)
    expected = reference_scores(profiles, TAXONOMY, weights)

    result = top_k(encoded, weights, k=20, chunk_rows=16)

    assert result.partners.tolist() == reference_top_k(expected, 60, 20)
    expected_scores = [[expected[i, j] for j in row] for i, row in enumerate(result.partners)]
    assert np.abs(result.scores - np.array(expected_scores)).max() < 1e-6


def test_top_k_equals_reference_on_synthetic_profiles():
    taxonomy = load_taxonomy()
    profiles = generate_profiles(60, seed=7, taxonomy=taxonomy)
    weights = PROFILES[0]
    encoded = encode(profiles, taxonomy, text_dims=TEXT_DIMS)
    expected = reference_scores(profiles, taxonomy, weights)

    result = top_k(encoded, weights, k=10)

    assert result.partners.tolist() == reference_top_k(expected, 60, 10)


def test_top_k_contributions_sum_to_score():
    profiles = random_profiles(60, 3)
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)

    result = top_k(encoded, PROFILES[0], k=20)

    summed = sum(result.contributions[name] for name in (*COMPONENTS, PENALTY))
    assert np.abs(summed - result.scores).max() < 1e-12
    assert (result.contributions[PENALTY] <= 0).all()


def test_top_k_never_recommends_self_and_pads_when_few_partners():
    profiles = random_profiles(5, 4)
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)

    result = top_k(encoded, PROFILES[0], k=10)

    for i, row in enumerate(result.partners.tolist()):
        assert sorted(row[:4]) == sorted(set(range(5)) - {i})
        assert row[4:] == [-1] * 6
    assert np.isnan(result.scores[:, 4:]).all()


def test_top_k_breaks_ties_by_lower_partner_index():
    twin = random_profiles(1, 5)[0]
    profiles = [replace(twin, id=identifier) for identifier in range(8)]
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)

    first = top_k(encoded, PROFILES[0], k=3, chunk_rows=3)
    second = top_k(encoded, PROFILES[0], k=3, chunk_rows=8, workers=1)

    assert first.partners.tolist() == [[j for j in range(8) if j != i][:3] for i in range(8)]
    assert second.partners.tolist() == first.partners.tolist()
    assert len(set(first.scores.ravel().tolist())) == 1


@pytest.mark.parametrize("chunk_rows", [1, 7, 60])
@pytest.mark.parametrize("workers", [1, 2])
def test_top_k_does_not_depend_on_chunk_size_or_workers(chunk_rows, workers):
    profiles = random_profiles(60, 6)
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)
    baseline = top_k(encoded, PROFILES[1], k=20, chunk_rows=60, workers=1)

    result = top_k(encoded, PROFILES[1], k=20, chunk_rows=chunk_rows, workers=workers)

    assert np.array_equal(result.partners, baseline.partners)
    assert np.array_equal(result.scores, baseline.scores)


def test_top_k_recommends_only_eligible_partners_but_to_everyone():
    profiles = random_profiles(60, 8)
    eligible = np.array([i % 3 == 0 for i in range(60)])
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)
    expected = reference_scores(profiles, TAXONOMY, PROFILES[2])

    result = top_k(encoded, PROFILES[2], k=5, chunk_rows=9, eligible=eligible)

    assert result.partners.tolist() == reference_top_k(expected, 60, 5, eligible=eligible)
    assert all(eligible[j] for j in result.partners.ravel())


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
        value_chain=frozenset({"production"}),
        members=90,
        text="cloud",
    )
    return [source, twin, partner]


def test_duplicate_penalty_puts_twin_below_complementary_partner_abroad():
    weights = dict(DEFAULT_WEIGHT_PROFILES[WeightProfileName.SMART_SPECIALISATION])
    encoded = encode(complementary_instance(), TAXONOMY, text_dims=TEXT_DIMS)

    without_penalty = top_k(encoded, {**weights, PENALTY: 0.0}, k=2)
    with_penalty = top_k(encoded, weights, k=2)

    assert without_penalty.partners[0].tolist() == [1, 2]
    assert with_penalty.partners[0].tolist() == [2, 1]
    assert with_penalty.contributions[PENALTY][0].tolist() == [0.0, -weights[PENALTY]]


def test_explain_names_the_bridge_and_sums_to_the_score():
    profiles = complementary_instance()
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)
    # Fixed weights, so that tuning the shipped profiles does not reorder the reasons.
    weights = {
        "cross_sector": 0.25,
        "shared_focus": 0.10,
        "value_chain": 0.15,
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
        "strength",
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


@pytest.mark.parametrize("scale", [1, 1000])
@pytest.mark.parametrize("eligible_every", [1, 4])
def test_top_k_equals_exhaustive_ranking_when_columns_are_grouped(eligible_every, scale):
    # 1,500 organisations over tiny vocabularies: enough columns for the grouped lower bound
    # of `top_k`, and a great many exact ties at every row's k-th score.
    profiles = random_profiles(1500, 9)
    eligible = np.arange(1500) % eligible_every == 0
    encoded = encode(profiles, TAXONOMY, text_dims=TEXT_DIMS)
    weights = {name: scale * weight for name, weight in PROFILES[0].items()}
    rows = np.arange(0, 1500, 37)
    exhaustive = total_score(score_chunk(encoded, rows), weights)
    exhaustive[np.arange(len(rows)), rows] = -np.inf
    exhaustive[:, ~eligible] = -np.inf
    expected = [
        np.lexsort((np.arange(1500), -np.round(row, 9)))[:20].tolist() for row in exhaustive
    ]

    result = top_k(encoded, weights, k=20, eligible=eligible)

    assert result.partners[rows].tolist() == expected
    assert (
        np.abs(result.scores[rows] - np.take_along_axis(exhaustive, np.array(expected), 1)).max()
        < 1e-9 * scale
    )


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
    assert twin_reasons[-1].contribution == -weights[PENALTY]
    assert sum(r.contribution for r in twin_reasons) == pytest.approx(result.scores[0, 1])


def test_explain_names_interest_both_ways_and_shared_markets():
    source = OrganisationProfile(
        id=1, country="DE", region="DE1", target_countries=frozenset({"FR", "PL"})
    )
    partner = OrganisationProfile(
        id=2, country="FR", region="FR1", target_countries=frozenset({"DE", "PL"})
    )
    encoded = encode([source, partner], TAXONOMY, text_dims=TEXT_DIMS)
    weights = {"international": 0.5, "partner_interest": 0.3, "shared_markets": 0.4}
    result = top_k(encoded, weights, k=1)
    contributions = {name: result.contributions[name][0, 0] for name in (*COMPONENTS, PENALTY)}

    reasons = explain(source, partner, contributions, TAXONOMY)

    assert [(r.code, r.params) for r in reasons] == [
        ("target_country", {"country": "FR"}),
        ("partner_interest", {"country": "FR", "own_country": "DE"}),
        ("shared_markets", {"countries": ["PL"]}),
    ]
    # Poland is aimed at by both (idf 1); France and Germany by one each (idf ln 1.5 + 1).
    single, shared = math.log(3 / 2) + 1, 1.0
    cosine = shared * shared / (single**2 + shared**2)
    assert [r.contribution for r in reasons] == pytest.approx([0.5, 0.3, 0.4 * cosine])
    assert sum(r.contribution for r in reasons) == pytest.approx(result.scores[0, 0])


def test_partner_interest_ranks_a_partner_that_targets_our_country_first():
    source = OrganisationProfile(id=1, country="DE", region="DE1")
    home = OrganisationProfile(id=2, country="DE", region="DE2", target_countries=frozenset({"DE"}))
    indifferent = OrganisationProfile(id=3, country="PL", region="PL1")
    keen = OrganisationProfile(id=4, country="FR", region="FR1", target_countries=frozenset({"DE"}))
    encoded = encode([source, home, indifferent, keen], TAXONOMY, text_dims=TEXT_DIMS)

    result = top_k(encoded, {"international": 0.5, "partner_interest": 0.5}, k=3)

    # Its own country is never one of an organisation's targets, so `home` gains nothing.
    assert result.partners[0].tolist() == [3, 2, 1]
    assert result.scores[0].tolist() == pytest.approx([0.75, 0.25, 0.0])
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
    exhaustive = total_score(score_chunk(encoded, rows), weights)
    exhaustive[rows, rows] = -np.inf
    exhaustive[:, ~eligible] = -np.inf
    expected = [np.lexsort((rows, -np.round(row, 9)))[:15].tolist() for row in exhaustive]

    result = top_k(encoded, weights, k=15, chunk_rows=7, eligible=eligible)

    assert result.partners.tolist() == expected
    assert np.abs(result.scores - np.take_along_axis(exhaustive, np.array(expected), 1)).max() < (
        1e-9
    )
