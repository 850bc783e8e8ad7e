import numpy as np
import pytest

from matchmaking.enums import DEFAULT_WEIGHT_PROFILES, WeightProfileName
from matchmaking.evaluation import metrics
from matchmaking.evaluation.populations import SIGNALS, base_population, plant
from matchmaking.evaluation.records import (
    HeldOutCase,
    insert_cases,
    insert_consortia,
    load_data,
    regions_by_country,
)
from matchmaking.evaluation.run import choose_gamers, why_failed
from matchmaking.evaluation.scorers import (
    Population,
    ablations,
    baselines,
    components_only,
    engine,
    geography_components,
    popularity,
    random_lists,
    text_tfidf,
    thematic_components,
    theme_jaccard,
)
from matchmaking.features import OrganisationProfile
from matchmaking.synthetic import load_taxonomy

DEFAULT = dict(DEFAULT_WEIGHT_PROFILES[WeightProfileName.DEFAULT])


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


@pytest.fixture(scope="module")
def held_out(taxonomy):
    base = base_population(300, seed=3, taxonomy=taxonomy)
    cases = load_data("held_out_cases.json")["cases"]
    profiles, inserted = insert_cases(base, cases, regions=regions_by_country())
    return Population.build(profiles, taxonomy), inserted


def pass_rate(scorer, population, cases):
    lists = scorer(population, np.array([case.source for case in cases]), 20)
    return np.mean(
        [
            metrics.case_passes(listed, case.must_include, case.must_rank_below)
            for listed, case in zip(lists, cases, strict=True)
        ]
    )


def test_recall_is_the_mean_share_of_relevant_partners_found_per_list():
    partners = np.array([[1, 2, -1], [0, 3, -1], [4, 5, 6]])

    assert metrics.recall(partners, [[1, 5], [3], []]) == 0.75
    assert metrics.recall(partners, [[], [], []]) == 0.0


def test_lift_divides_by_the_best_baseline_and_names_it():
    assert metrics.lift(0.6, {"random": 0.1, "geography": 0.3, "themes": 0.2}) == (
        2.0,
        "geography",
    )
    assert metrics.lift(0.6, {"random": 0.0, "popularity": 0.0}) == (None, "random")


def test_gini_of_appearances():
    assert metrics.gini([0, 0, 0, 4]) == 0.75
    assert metrics.gini([3, 3, 3, 3]) == 0.0
    assert metrics.gini([4, 3, 2, 1]) == 0.25
    assert metrics.gini([0, 0]) == 0.0


def test_coverage_and_appearances_ignore_missing_places():
    partners = np.array([[1, 2, -1], [1, -1, -1]])

    assert metrics.appearances(partners, 4).tolist() == [0, 2, 1, 0]
    assert metrics.coverage(partners, 4) == 0.5


def test_gaming_growth_sums_the_group_before_dividing():
    assert metrics.growth([2, 3], [4, 6]) == 2.0
    assert metrics.growth([1, 9], [10, 9]) == 1.9
    assert metrics.growth([0, 0], [5, 1]) is None


def test_country_share_is_the_largest_country_of_each_list():
    partners = np.array([[0, 1, 2, -1], [3, -1, -1, -1], [-1, -1, -1, -1]])
    country = np.array([5, 5, 7, -1])

    assert metrics.country_shares(partners, country).tolist() == [2 / 3, 1.0]


def test_a_case_passes_only_with_every_wanted_partner_above_every_unwanted_one():
    assert metrics.case_passes([7, 3, 9], must_include=[7, 3], must_rank_below=[9, 4])
    assert not metrics.case_passes([7, 9, 3], must_include=[7, 3], must_rank_below=[9])
    assert not metrics.case_passes([7, 9, -1], must_include=[7, 3], must_rank_below=[])
    assert metrics.case_passes([1, 2, -1], must_include=[], must_rank_below=[9])
    assert not metrics.case_passes([1, 9, -1], must_include=[], must_rank_below=[9])


def test_unrelated_share_counts_pairs_sharing_no_theme():
    def related(sources, partners):
        return sources == partners

    assert metrics.unrelated_share(np.array([1, 2, 3, 4]), np.array([1, 0, 3, 0]), related) == 0.5
    assert metrics.unrelated_share(np.array([]), np.array([]), related) == 0.0


def test_planted_signals_at_zero_leave_the_population_as_generated(taxonomy):
    base = base_population(200, seed=5, taxonomy=taxonomy)

    planted = plant(base, taxonomy, groups=10, seed=5, presence=dict.fromkeys(SIGNALS, 0.0))

    assert planted.profiles == base
    assert len(planted.groups) == 10


def test_planted_target_countries_name_the_fellows_only_when_present(taxonomy):
    base = base_population(200, seed=5, taxonomy=taxonomy)
    only_targets = dict.fromkeys(SIGNALS, 0.0) | {"target_countries": 1.0}

    planted = plant(base, taxonomy, groups=10, seed=5, presence=only_targets)

    for group in planted.groups:
        countries = [planted.profiles[row].country for row in group]
        assert len(set(countries)) == len(group)
        for row in group:
            fellows = {planted.profiles[o].country for o in group if o != row}
            assert planted.profiles[row].target_countries == (base[row].target_countries | fellows)
            assert planted.profiles[row].sectors == base[row].sectors


def test_weakening_one_signal_leaves_the_others_as_drawn(taxonomy):
    base = base_population(300, seed=8, taxonomy=taxonomy)

    usual = plant(base, taxonomy, groups=12, seed=8)
    without_text = plant(base, taxonomy, groups=12, seed=8, presence={"text": 0.0})

    assert usual.groups == without_text.groups
    for row in usual.fellows():
        assert without_text.profiles[row].text == base[row].text
        assert without_text.profiles[row].sectors == usual.profiles[row].sectors
        assert without_text.profiles[row].target_countries == (usual.profiles[row].target_countries)
    assert any(usual.profiles[row].text != base[row].text for row in usual.fellows())


def test_held_out_cases_are_at_least_thirty_and_each_names_its_partners():
    cases = load_data("held_out_cases.json")["cases"]

    assert len(cases) >= 30
    assert len({case["name"] for case in cases}) == len(cases)
    assert all(case["must_include"] or case["must_rank_below"] for case in cases)


def test_consortia_members_become_one_organisation_each(taxonomy):
    consortia = load_data("escp_consortia.json")["consortia"]
    names = {member["name"] for consortium in consortia for member in consortium["members"]}

    profiles, groups = insert_consortia([], consortia, regions=regions_by_country())

    assert len(profiles) == len(names)
    assert [len(rows) for rows in groups] == [len(c["members"]) for c in consortia]
    assert all(consortium["sources"] for consortium in consortia)
    assert all(profile.country in taxonomy.countries for profile in profiles)


def test_a_geography_only_scorer_fails_the_held_out_cases(held_out):
    population, cases = held_out

    broken = components_only(DEFAULT, geography_components())
    geography_weights = dict.fromkeys(DEFAULT, 0.0) | {
        name: DEFAULT[name] for name in geography_components()
    }

    # With no theme weighed, the engine lists nobody: it passes only the "don't" cases that
    # forbid a partner and want none, and fails every case that wants a partner.
    wants_none = sum(not case.must_include for case in cases) / len(cases)
    assert pass_rate(broken, population, cases) == 0.0
    assert pass_rate(engine(geography_weights), population, cases) == wants_none
    assert wants_none < 0.1


def test_themes_with_the_near_duplicate_penalty_pass_the_held_out_cases(held_out):
    population, cases = held_out
    themes_first = dict.fromkeys(DEFAULT, 0.0) | {
        name: DEFAULT[name] for name in thematic_components()
    }
    themes_first["duplicate"] = DEFAULT["duplicate"]

    assert pass_rate(engine(themes_first), population, cases) == 1.0


def test_baseline_lists_never_hold_the_organisation_itself(held_out):
    population, _ = held_out
    rows = np.array([0, 5, 17])

    for scorer in (random_lists(1), popularity, theme_jaccard(), text_tfidf()):
        lists = scorer(population, rows, 20)
        assert lists.shape == (3, 20)
        assert not (lists == rows[:, None]).any()
        assert all(len(set(row.tolist())) == 20 for row in lists)


def _tiny(taxonomy, specs):
    return Population.build(
        [
            OrganisationProfile(id=n + 1, country="DE", region="DE11", **spec)
            for n, spec in enumerate(specs)
        ],
        taxonomy,
    )


def test_theme_jaccard_ranks_the_same_sector_copy_first_and_lists_no_stranger(taxonomy):
    sectors, emerging = taxonomy.sectors, taxonomy.emerging
    population = _tiny(
        taxonomy,
        [
            {"sectors": frozenset(sectors[:2]), "emerging": frozenset(emerging[:1])},
            {"sectors": frozenset(sectors[:2]), "emerging": frozenset(emerging[:1])},
            {"sectors": frozenset(sectors[1:2])},
            {"sectors": frozenset(sectors[5:6])},
        ],
    )

    lists = theme_jaccard()(population, np.array([0]), 3)

    # The copy shares 3 of 3 items, the next 1 of 3; the stranger shares nothing.
    assert lists.tolist() == [[1, 2, -1]]


def test_text_tfidf_ranks_by_shared_words_only(taxonomy):
    population = _tiny(
        taxonomy,
        [
            {"text": "hydrogen electrolyser storage"},
            {"text": "tourism heritage"},
            {"text": "hydrogen electrolyser storage pipelines"},
            {"text": "storage of grain"},
        ],
    )

    lists = text_tfidf()(population, np.array([0]), 3)

    assert lists.tolist() == [[2, 3, -1]]


def test_the_engine_own_parts_are_ablations_not_baselines():
    assert list(baselines(DEFAULT, 1)) == ["random", "popularity", "geography", "jaccard", "tfidf"]
    assert list(ablations(DEFAULT)) == [
        "no geography",
        *(f"no {name}" for name in thematic_components() if DEFAULT[name] > 0),
    ]


def test_gamers_are_ordinary_unplanted_organisations_one_per_country(taxonomy):
    base = base_population(200, seed=4, taxonomy=taxonomy)
    planted = plant(base, taxonomy, groups=5, seed=4)
    appearances = np.arange(200) % 10

    gamers = choose_gamers(appearances, planted, seed=4, count=5)

    planted_rows = {row for group in planted.groups for row in group}
    low, high = np.percentile(appearances[appearances >= 2], [25, 75])
    assert len(gamers) == 5
    assert len({planted.profiles[row].country for row in gamers}) == 5
    assert all(low <= appearances[row] <= high for row in gamers)
    assert not planted_rows & set(gamers.tolist())


def test_a_failed_case_says_what_went_wrong_in_its_own_names():
    case = HeldOutCase(
        name="case",
        rule="do",
        source=0,
        must_include=(7,),
        must_rank_below=(9, 4),
        names={0: "source", 7: "partner", 9: "clone", 4: "lure"},
    )
    empty = HeldOutCase("empty", "do", 0, (), (9,), {0: "source", 9: "lure"})

    assert why_failed([9, 4, 7], case) == "listed above: clone, lure"
    assert why_failed([9, 4, -1], case) == "not listed: partner"
    assert why_failed([3, 9, -1], empty) == "listed: lure"
