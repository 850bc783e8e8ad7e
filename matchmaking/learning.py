"""Learn a weight profile from what people did with partners: pure NumPy/SciPy, no ORM.

An outcome is an ordered pair (organisation, partner) with a time and a label: 1 when
something good came of it (found useful, contacted, a meeting accepted, an agreement, a
consortium formed), 0 when it was judged not relevant or is a sampled pair nobody acted on.
Each pair is described by its unweighted score components, one column per name of
`scoring.COMPONENTS`. The caller builds that matrix (`pair_components` does it from
`features.encode`'s blocks), so the fit knows nothing of how the scorer combines components:
a gated or multiplicative score still reads its weights from the same dict.

The model is a logistic regression, P(positive | x) = sigmoid(b + w . x), with w >= 0 and an
L2 penalty on w, fitted by L-BFGS-B with bounds. Why this one: its weights are on the
components' own scale, so after scaling to the shipped profile's total they read as a weight
profile staff can compare line by line; the bounds keep every component's meaning ("more of
it never lowers a score"); and it has a unique optimum, so the same log always gives the same
profile.

Sampled negatives are partners drawn at random for the organisation of a positive outcome
(case-control sampling): the slopes stay consistent, only the intercept moves, and the
intercept never enters a weight profile.

Time-ordered split: the older share of outcomes trains, the newer tests, and a cut never
splits one moment (everything at the cutoff time tests), so no fit has seen an outcome as new
as any it is judged on. The held-out gain compares the fitted and the current weights on the
newer outcomes: the AUC of the linear score here, recall of held-out positives in a top k
where the caller ranks with the real scorer (`recall_at_k`).
"""

from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from matchmaking.scoring import COMPONENTS

# Held-out share of the outcomes (the newest ones).
TEST_SHARE = 0.3
# L2 penalty on the weights, relative to the mean loss per outcome.
L2 = 1e-4
# Random partners drawn per positive outcome as its negatives.
NEGATIVES_PER_POSITIVE = 4


@dataclass(frozen=True)
class Split:
    """Boolean masks of the training (older) and test (newer) outcomes, and the cut time."""

    train: np.ndarray
    test: np.ndarray
    cutoff: float


@dataclass(frozen=True)
class Fit:
    """Fitted non-negative weights by component, the intercept, and whether L-BFGS-B converged."""

    weights: dict
    intercept: float
    converged: bool
    iterations: int


@dataclass(frozen=True)
class Learned:
    """A fit on the older outcomes and how it and the current weights do on the newer ones."""

    weights: dict  # fitted, scaled to the current weights' total
    current: dict
    fit: Fit
    split: Split
    train_outcomes: int
    train_positives: int
    test_outcomes: int
    test_positives: int
    auc_fitted: float | None
    auc_current: float | None

    @property
    def auc_gain(self):
        if self.auc_fitted is None or self.auc_current is None:
            return None
        return self.auc_fitted - self.auc_current


def time_split(times, *, test_share=TEST_SHARE):
    """Older outcomes train, newer test; every outcome at the cutoff time goes to the test."""
    times = np.asarray(times, dtype=np.float64)
    if not 0 < test_share < 1:
        raise ValueError("The test share must lie strictly between 0 and 1.")
    if len(times) < 2:
        raise ValueError("At least two outcomes are needed to split them by time.")
    ordered = np.sort(times)
    cutoff = float(ordered[min(len(times) - 1, int(len(times) * (1 - test_share)))])
    train = times < cutoff
    if not train.any():
        raise ValueError("Every outcome has the same time: nothing is older to train on.")
    return Split(train=train, test=~train, cutoff=cutoff)


def sample_negatives(
    rows, times, *, size, per_positive=NEGATIVES_PER_POSITIVE, known=(), rng, pools=None
):
    """`per_positive` random partners for the organisation of each positive, at its time.

    `size` is the number of organisations; a draw is never the organisation itself nor a pair
    in `known` (pairs with an outcome of their own). `pools` optionally maps a row to the
    partners to draw from instead of everyone: the list the organisation was shown, so that
    a verdict is weighed against the partners passed over beside it, not against partners no
    list would hold (which would teach the fit to prefer whatever the shown lists already
    favour). Returns (rows, columns, times).
    """
    rows = np.asarray(rows, dtype=np.int64)
    times = np.asarray(times, dtype=np.float64)
    if size < 2:
        raise ValueError("Negatives need at least two organisations.")
    known = {(int(a), int(b)) for a, b in known}
    pools = pools or {}
    out_rows, out_columns, out_times = [], [], []
    for row, at in zip(rows.tolist(), times.tolist(), strict=True):
        pool = pools.get(row)
        drawn = 0
        # A row with nearly every partner known could loop for ever; a bounded number of
        # tries leaves it with fewer negatives instead.
        for _attempt in range(per_positive * 20):
            if drawn == per_positive:
                break
            column = int(pool[rng.integers(len(pool))]) if pool else int(rng.integers(size))
            if column == row or (row, column) in known:
                continue
            out_rows.append(row)
            out_columns.append(column)
            out_times.append(at)
            drawn += 1
    return (
        np.array(out_rows, dtype=np.int64),
        np.array(out_columns, dtype=np.int64),
        np.array(out_times, dtype=np.float64),
    )


def pair_components(encoded, rows, columns, names=COMPONENTS):
    """Unweighted component values of the pairs (rows[m], columns[m]): m x len(names)."""
    rows = np.asarray(rows, dtype=np.int64)
    columns = np.asarray(columns, dtype=np.int64)
    column_of = {name: k for k, name in enumerate(names)}
    missing = sorted(set(names) - {block.name for block in encoded.blocks})
    if missing:
        raise ValueError(f"No encoded block for components: {missing}")
    # A component may have several terms (blocks of one name); they add up.
    matrix = np.zeros((len(rows), len(names)))
    for block in encoded.blocks:
        if block.name in column_of:
            matrix[:, column_of[block.name]] += block.pairs(rows, columns)
    return matrix


def fit_weights(components, labels, *, names=COMPONENTS, sample_weight=None, l2=L2):
    """Regularised logistic regression with non-negative weights over the component columns."""
    x = np.asarray(components, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    if x.ndim != 2 or x.shape != (len(y), len(names)):
        raise ValueError("The component matrix needs one row per outcome, one column per name.")
    if not ((y == 0) | (y == 1)).all():
        raise ValueError("Labels must be 0 or 1.")
    if y.min() == y.max():
        raise ValueError("A fit needs both positive and negative outcomes.")
    s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, np.float64)
    s = s / s.sum()
    d = x.shape[1]

    def loss(theta):
        w, b = theta[:d], theta[d]
        z = x @ w + b
        # log(1 + e^z) - y z, in a form that never overflows.
        value = s @ (np.logaddexp(0.0, z) - y * z) + 0.5 * l2 * (w @ w)
        residual = s * (_sigmoid(z) - y)
        gradient = np.append(x.T @ residual + l2 * w, residual.sum())
        return value, gradient

    start = np.zeros(d + 1)
    result = optimize.minimize(
        loss,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=[(0.0, None)] * d + [(None, None)],
        options={"maxiter": 500},
    )
    weights = {
        name: float(max(value, 0.0)) for name, value in zip(names, result.x[:d], strict=True)
    }
    return Fit(
        weights=weights,
        intercept=float(result.x[d]),
        converged=bool(result.success),
        iterations=int(result.nit),
    )


def _sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -z))


def auc(scores, labels):
    """Area under the ROC curve (ties count half), or None without both kinds of labels."""
    scores = np.asarray(scores, dtype=np.float64)
    labels = np.asarray(labels).astype(bool)
    positives, negatives = int(labels.sum()), int((~labels).sum())
    if positives == 0 or negatives == 0:
        return None
    ranks = stats.rankdata(scores)
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def scaled_to(weights, total):
    """The weights scaled so that they sum to `total` (all zero stays all zero)."""
    current = sum(weights.values())
    if current <= 0:
        return dict.fromkeys(weights, 0.0)
    return {name: value * total / current for name, value in weights.items()}


def linear_scores(components, weights, names=COMPONENTS):
    return np.asarray(components) @ np.array([weights.get(name, 0.0) for name in names])


def learn(
    components,
    labels,
    times,
    *,
    current,
    names=COMPONENTS,
    sample_weight=None,
    test_share=TEST_SHARE,
    l2=L2,
):
    """Fit on the older outcomes, score both weight sets on the newer ones.

    `current` is the weight dict the fit is compared with (extra keys, such as the penalty,
    are ignored); the fitted weights come back scaled to its total over `names`.
    """
    components = np.asarray(components, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.float64)
    weight = np.ones(len(labels)) if sample_weight is None else np.asarray(sample_weight)
    split = time_split(times, test_share=test_share)
    train, test = split.train, split.test
    fit = fit_weights(
        components[train], labels[train], names=names, sample_weight=weight[train], l2=l2
    )
    total = sum(current.get(name, 0.0) for name in names) or 1.0
    fitted = scaled_to(fit.weights, total)
    return Learned(
        weights=fitted,
        current={name: float(current.get(name, 0.0)) for name in names},
        fit=fit,
        split=split,
        train_outcomes=int(train.sum()),
        train_positives=int(labels[train].sum()),
        test_outcomes=int(test.sum()),
        test_positives=int(labels[test].sum()),
        auc_fitted=auc(linear_scores(components[test], fitted, names), labels[test]),
        auc_current=auc(linear_scores(components[test], current, names), labels[test]),
    )


def recall_at_k(partners, positives):
    """Share of held-out positive pairs found in the ranked lists.

    `partners` maps a row to its ranked partner rows (a top k), `positives` is a list of
    (row, column) pairs. None when there is no positive.
    """
    if not positives:
        return None
    found = sum(1 for row, column in positives if column in set(partners.get(row, ())))
    return found / len(positives)
