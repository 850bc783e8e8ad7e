import numpy as np
import pytest

from matchmaking import learning, synthetic
from matchmaking.features import encode
from matchmaking.scoring import COMPONENTS, THEMATIC

# Thematic weights are shares of the relevance, modulators multiply it (as in the engine).
PLANTED = {
    "cross_sector": 0.30,
    "shared_focus": 0.0,
    "value_chain": 0.15,
    "s3_objectives": 0.20,
    "text": 0.25,
    "seeking": 0.10,
    "international": 0.6,
    "partner_interest": 0.0,
    "shared_markets": 0.0,
    "strength": 0.3,
}
SLOPE = 2.0


def _population(n=1500, seed=3):
    taxonomy = synthetic.load_taxonomy()
    return encode(synthetic.generate_profiles(n, seed=seed, taxonomy=taxonomy), taxonomy)


def _planted_log(encoded, weights, *, pairs, intercept, seed):
    """Random pairs with outcomes drawn from a logistic model of the log of the engine's score
    over their components."""
    rng = np.random.default_rng(seed)
    rows = rng.integers(encoded.size, size=pairs)
    columns = rng.integers(encoded.size, size=pairs)
    keep = rows != columns
    components = learning.pair_components(encoded, rows[keep], columns[keep])
    score = learning.engine_scores(components, weights)
    z = intercept + SLOPE * np.log(learning.RELEVANCE_EPS + score)
    labels = (rng.random(len(z)) < 1 / (1 + np.exp(-z))).astype(float)
    return components, labels, rng.random(len(z))


def _shares(weights):
    total = sum(weights[name] for name in THEMATIC)
    return {name: weights[name] / total for name in THEMATIC}


def test_learn_recovers_planted_weights_in_rank_order_and_relative_size():
    components, labels, times = _planted_log(
        _population(), PLANTED, pairs=40_000, intercept=3.0, seed=5
    )
    current = dict.fromkeys(COMPONENTS, 0.0) | {"cross_sector": 2.0, "international": 0.1}

    learned = learning.learn(components, labels, times, current=current)

    planted, fitted = _shares(PLANTED), _shares(learned.weights)
    weighted = [name for name in THEMATIC if PLANTED[name] > 0]
    assert sorted(weighted, key=planted.get) == sorted(weighted, key=fitted.get)
    assert max(abs(fitted[name] - planted[name]) for name in THEMATIC) < 0.06
    # Modulators are on the engine's own scale, not shares.
    assert learned.weights["international"] == pytest.approx(0.6, abs=0.2)
    assert learned.weights["strength"] == pytest.approx(0.3, abs=0.2)
    assert learned.weights["shared_markets"] < 0.1
    assert learned.fit.slope == pytest.approx(SLOPE, abs=0.4)
    assert learned.fit.converged
    # The thematic weights come back on the compared profile's scale.
    assert sum(learned.weights[name] for name in THEMATIC) == pytest.approx(2.0)
    assert learned.auc_fitted > learned.auc_current


def test_learn_beats_geography_led_weights_on_held_out_planted_outcomes():
    components, labels, times = _planted_log(
        _population(), PLANTED, pairs=20_000, intercept=1.0, seed=8
    )
    geography = dict.fromkeys(COMPONENTS, 0.0) | {
        "shared_focus": 0.1,
        "international": 1.0,
        "shared_markets": 1.0,
    }

    learned = learning.learn(components, labels, times, current=geography)

    assert learned.auc_fitted > learned.auc_current + 0.05
    assert learned.auc_gain == learned.auc_fitted - learned.auc_current


def test_time_split_never_trains_on_newer_outcomes():
    times = np.array([5.0, 1.0, 9.0, 3.0, 7.0, 7.0, 2.0, 8.0, 4.0, 6.0])

    split = learning.time_split(times, test_share=0.3)

    assert times[split.train].max() < times[split.test].min()
    assert split.cutoff == 7.0
    # Both outcomes at the cutoff time test, so the test share is 4 of 10, not 3.
    assert sorted(times[split.test].tolist()) == [7.0, 7.0, 8.0, 9.0]
    assert (split.train ^ split.test).all()


def test_learn_fits_only_the_older_outcomes_when_newer_ones_follow_other_weights():
    encoded = _population(n=800, seed=11)
    text_only = dict.fromkeys(COMPONENTS, 0.0) | {"text": 1.0}
    cross_only = dict.fromkeys(COMPONENTS, 0.0) | {"cross_sector": 1.0}
    old = _planted_log(encoded, text_only, pairs=12_000, intercept=1.0, seed=1)
    new = _planted_log(encoded, cross_only, pairs=6_000, intercept=1.0, seed=2)
    components = np.vstack([old[0], new[0]])
    labels = np.concatenate([old[1], new[1]])
    # Old outcomes in [0, 1), new ones in [10, 11).
    times = np.concatenate([old[2], 10 + new[2]])

    # Cut just before the first new outcome.
    share = (len(new[1]) - 0.5) / len(labels)

    learned = learning.learn(components, labels, times, current=text_only, test_share=share)

    assert learned.train_outcomes == len(old[1])
    assert learned.test_outcomes == len(new[1])
    assert _shares(learned.weights)["text"] > 0.8
    assert _shares(learned.weights)["cross_sector"] < 0.1


def test_time_split_refuses_outcomes_all_at_one_time():
    with pytest.raises(ValueError, match="same time"):
        learning.time_split(np.ones(10))


def test_fit_weights_refuses_a_log_without_negatives():
    with pytest.raises(ValueError, match="both positive and negative"):
        learning.fit_weights(np.ones((3, len(COMPONENTS))), np.ones(3))


def test_fit_weights_refuses_a_matrix_of_the_wrong_width():
    with pytest.raises(ValueError, match="one column per name"):
        learning.fit_weights(np.ones((2, 3)), np.array([0.0, 1.0]))


def test_fit_weights_keeps_weights_non_negative_when_a_component_hurts():
    rng = np.random.default_rng(0)
    components = rng.random((4000, len(COMPONENTS)))
    hurts = COMPONENTS.index("international")
    labels = (rng.random(4000) < 1 / (1 + np.exp(4 * components[:, hurts] - 2))).astype(float)

    fit = learning.fit_weights(components, labels)

    assert fit.weights["international"] == 0.0
    assert min(fit.weights.values()) == 0.0


def test_sample_negatives_skips_the_organisation_itself_and_known_pairs():
    rng = np.random.default_rng(4)

    rows, columns, times = learning.sample_negatives(
        [0, 0, 1], [1.0, 2.0, 3.0], size=3, per_positive=5, known={(0, 1), (1, 0)}, rng=rng
    )

    assert rows.tolist() == [0] * 10 + [1] * 5
    assert columns.tolist() == [2] * 15
    assert times.tolist() == [1.0] * 5 + [2.0] * 5 + [3.0] * 5


def test_sample_negatives_draws_from_the_pool_of_a_row_when_given():
    rng = np.random.default_rng(4)

    rows, columns, _times = learning.sample_negatives(
        [0, 1], [1.0, 2.0], size=50, per_positive=30, known={(0, 7)}, rng=rng, pools={0: [7, 8, 9]}
    )

    assert set(columns[rows == 0].tolist()) == {8, 9}
    assert len(set(columns[rows == 1].tolist())) > 10


def test_auc_counts_ties_half_and_is_none_without_negatives():
    assert learning.auc([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0]) == 0.875
    assert learning.auc([0.3, 0.2], [1, 1]) is None


def test_recall_at_k_is_the_share_of_positive_pairs_listed():
    listed = {0: [4, 5], 1: [2]}

    assert learning.recall_at_k(listed, [(0, 5), (1, 3), (2, 0), (0, 4)]) == 0.5
    assert learning.recall_at_k(listed, []) is None
