"""Learn a weight profile from what people did with partners: pure NumPy/SciPy, no ORM.

An outcome is an ordered pair (organisation, partner) with a time and a label: 1 when
something good came of it (found useful, contacted, a meeting accepted, an agreement, a
consortium formed), 0 when it was judged not relevant or is a sampled pair nobody acted on.
Each pair is described by its unweighted score components, one column per name of
`scoring.COMPONENTS`. The caller builds that matrix (`pair_components` does it from
`features.encode`'s blocks), so the fit knows nothing of how the scorer combines components:
a gated or multiplicative score still reads its weights from the same dict.

The model has the engine's own form (see `scoring`): with r(x) = sum_t u_t x_t over the
thematic components and m(x) = sum_m v_m x_m over the modulators,

    P(positive | x) = sigmoid(b + a * log(RELEVANCE_EPS + r(x)) + a * log(1 + m(x)))

so the log-odds rise with the log of the engine's score, relevance * (1 + modulation), with
u, v, a >= 0 and an L2 penalty on u and v, fitted by L-BFGS-B with bounds from the current
weights. Why this one: a linear fit (b + w . x) reads a modulator as a score added to the
relevance, while the engine multiplies by it, so a weight fitted that way would mean
something else once adopted; here the fitted thematic weights are shares of the relevance,
as in a profile (only their ratios matter: their scale moves into b), and the modulator
weights are on the engine's own scale, so staff compare them line by line with the profile's.
The bounds keep every component's meaning ("more of it never lowers a score"). The slope a
lets outcomes depend more or less steeply on the score than proportionally. RELEVANCE_EPS keeps
the log finite for a pair that shares nothing (which the engine never lists anyway).

Sampled negatives are partners drawn at random for the organisation of a positive outcome
(case-control sampling): the slopes stay consistent, only the intercept moves, and the
intercept never enters a weight profile.

Time-ordered split: the older share of outcomes trains, the newer tests, and a cut never
splits one moment (everything at the cutoff time tests), so no fit has seen an outcome as new
as any it is judged on. The held-out gain compares the fitted and the current weights on the
newer outcomes: the AUC of the engine's score here, recall of held-out positives in a top k
where the caller ranks with the real scorer (`recall_at_k`).
"""

from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from matchmaking.scoring import COMPONENTS, MODULATORS, PENALTY, THEMATIC, total_score

# Held-out share of the outcomes (the newest ones).
TEST_SHARE = 0.3
# L2 penalty on the weights, relative to the mean loss per outcome.
L2 = 1e-4
# Random partners drawn per positive outcome as its negatives.
NEGATIVES_PER_POSITIVE = 4
# Added to the relevance inside the log: well below the relevance floor, so pairs the engine
# lists are told apart as it does, and a pair sharing nothing stays finite.
RELEVANCE_EPS = 1e-3


@dataclass(frozen=True)
class Split:
    """Boolean masks of the training (older) and test (newer) outcomes, and the cut time."""

    train: np.ndarray
    test: np.ndarray
    cutoff: float


@dataclass(frozen=True)
class Fit:
    """Fitted non-negative weights by component (thematic ones as shares summing to 1, see the
    module docstring), the intercept and slope, and whether L-BFGS-B converged."""

    weights: dict
    intercept: float
    slope: float
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
    """The engine-form logistic model of the module docstring over the component columns."""
    x = np.asarray(components, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    if x.ndim != 2 or x.shape != (len(y), len(names)):
        raise ValueError("The component matrix needs one row per outcome, one column per name.")
    if not ((y == 0) | (y == 1)).all():
        raise ValueError("Labels must be 0 or 1.")
    if y.min() == y.max():
        raise ValueError("A fit needs both positive and negative outcomes.")
    thematic = [k for k, name in enumerate(names) if name in THEMATIC]
    modulators = [k for k, name in enumerate(names) if name in MODULATORS]
    if not thematic:
        raise ValueError("A fit needs at least one thematic component.")
    xt, xm = x[:, thematic], x[:, modulators]
    s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, np.float64)
    s = s / s.sum()
    dt, dm = len(thematic), len(modulators)

    def loss(theta):
        u, v, a, b = theta[:dt], theta[dt : dt + dm], theta[dt + dm], theta[-1]
        relevance = RELEVANCE_EPS + xt @ u
        modulation = 1.0 + xm @ v
        log_score = np.log(relevance) + np.log(modulation)
        z = b + a * log_score
        # log(1 + e^z) - y z, in a form that never overflows.
        value = s @ (np.logaddexp(0.0, z) - y * z) + 0.5 * l2 * (u @ u + v @ v)
        residual = s * (_sigmoid(z) - y)
        gradient = np.concatenate(
            [
                a * (xt.T @ (residual / relevance)) + l2 * u,
                a * (xm.T @ (residual / modulation)) + l2 * v,
                [residual @ log_score, residual.sum()],
            ]
        )
        return value, gradient

    # From equal shares, no geography and a proportional slope: the fit owes nothing to the
    # weights it is compared with.
    start = np.concatenate([np.full(dt, 1.0 / dt), np.zeros(dm), [1.0, 0.0]])
    result = optimize.minimize(
        loss,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=[(0.0, None)] * (dt + dm + 1) + [(None, None)],
        options={"maxiter": 1000},
    )
    u = np.maximum(result.x[:dt], 0.0)
    shares = u / u.sum() if u.sum() > 0 else np.full(dt, 1.0 / dt)
    weights = dict.fromkeys(names, 0.0)
    for k, value in zip(thematic, shares, strict=True):
        weights[names[k]] = float(value)
    for k, value in zip(modulators, result.x[dt : dt + dm], strict=True):
        weights[names[k]] = float(max(value, 0.0))
    return Fit(
        weights=weights,
        intercept=float(result.x[-1]),
        slope=float(result.x[dt + dm]),
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


def engine_scores(components, weights, names=COMPONENTS):
    """The engine's score of each pair (see `scoring`) from its component columns, without the
    near-duplicate penalty (the log holds no same-region information beyond the components)."""
    components = np.asarray(components, dtype=np.float64)
    columns = {name: components[:, k] for k, name in enumerate(names)}
    zero = np.zeros(len(components))
    full = {name: columns.get(name, zero) for name in COMPONENTS} | {PENALTY: zero}
    known = {name: float(weights.get(name, 0.0)) for name in COMPONENTS}
    return total_score(full, known | {PENALTY: 0.0})


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
    are ignored); the fitted thematic weights come back scaled to its thematic total (only
    their ratios count), the modulators as fitted.
    """
    components = np.asarray(components, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.float64)
    weight = np.ones(len(labels)) if sample_weight is None else np.asarray(sample_weight)
    split = time_split(times, test_share=test_share)
    train, test = split.train, split.test
    fit = fit_weights(
        components[train], labels[train], names=names, sample_weight=weight[train], l2=l2
    )
    thematic = [name for name in names if name in THEMATIC]
    total = sum(current.get(name, 0.0) for name in thematic) or 1.0
    fitted = scaled_to({name: fit.weights[name] for name in thematic}, total) | {
        name: fit.weights[name] for name in names if name not in THEMATIC
    }
    return Learned(
        weights=fitted,
        current={name: float(current.get(name, 0.0)) for name in names},
        fit=fit,
        split=split,
        train_outcomes=int(train.sum()),
        train_positives=int(labels[train].sum()),
        test_outcomes=int(test.sum()),
        test_positives=int(labels[test].sum()),
        auc_fitted=auc(engine_scores(components[test], fitted, names), labels[test]),
        auc_current=auc(engine_scores(components[test], current, names), labels[test]),
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
