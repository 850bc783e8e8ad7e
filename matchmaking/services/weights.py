"""Weight profiles: staff edits, weights fitted on the portal's outcomes, and their adoption."""

from datetime import UTC, datetime

import numpy as np
from celery import signature
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from matchmaking import learning
from matchmaking.enums import VERDICT_OUTCOMES, FitState
from matchmaking.features import encode
from matchmaking.models import WEIGHT_FIELDS, WeightFit, WeightProfile
from matchmaking.outcomes import outcome_log
from matchmaking.queries import scoring_profiles, shown_partners, taxonomy_from_db
from matchmaking.scoring import top_k
from matchmaking.services.runs import DEFAULT_K, stored_default_profile
from partnerships.services import log_action
from partnerships.services.audit import signed_in


def save_weight_profile(profile, *, by):
    """Store a staff edit of a weight profile, with the new weights in the audit trail.

    Past runs keep the weights they were scored with; the next run uses these.
    """
    profile.full_clean()
    with transaction.atomic():
        profile.save()
        log_action(profile, "weights saved", actor=by, data=profile.weights)
    return profile


# Weights learnt from outcomes -----------------------------------------------------------------

FIT_WEIGHTS_TASK = "matchmaking.fit_weights"

# Fewer positive outcomes than this tell too little to fit nine weights on.
MIN_POSITIVE_OUTCOMES = 10


def fit_weight_profile(
    profile,
    *,
    by,
    test_share=learning.TEST_SHARE,
    negatives=learning.NEGATIVES_PER_POSITIVE,
    seed=0,
    k=DEFAULT_K,
):
    """Fit weights now and record them beside `profile`'s (a done `WeightFit`): the command's
    way; the staff page queues the same fit with `request_weight_fit`."""
    weights, figures, cutoff = _fitted(
        profile, test_share=test_share, negatives=negatives, seed=seed, k=k
    )
    with transaction.atomic():
        fit = WeightFit.objects.create(
            profile=profile,
            current_weights=profile.weights,
            weights=weights,
            figures=figures,
            cutoff=cutoff,
            parameters=_fit_parameters(test_share, negatives, seed, k),
            by=signed_in(by),
        )
        log_action(fit, "weights fitted", actor=by, data=figures)
    return fit


def _fit_parameters(test_share, negatives, seed, k):
    return {"test_share": test_share, "negatives": negatives, "seed": seed, "k": k}


def request_weight_fit(
    profile,
    *,
    by,
    test_share=learning.TEST_SHARE,
    negatives=learning.NEGATIVES_PER_POSITIVE,
    seed=0,
    k=DEFAULT_K,
):
    """Record a queued fit and hand it to a task after the commit (in process without a
    broker). Too few positive outcomes is refused here, so the form can say so at once."""
    positives = sum(record.positive for record in outcome_log())
    if positives < MIN_POSITIVE_OUTCOMES:
        raise _too_few(positives)
    with transaction.atomic():
        fit = WeightFit.objects.create(
            profile=profile,
            current_weights=profile.weights,
            state=FitState.QUEUED,
            parameters=_fit_parameters(test_share, negatives, seed, k),
            by=signed_in(by),
        )
        log_action(fit, "weight fit queued", actor=by, data=fit.parameters)
        transaction.on_commit(lambda: _queue_fit(fit.pk))
    return fit


def _queue_fit(fit_id):
    # By name: the tasks import these services, and a task runs wherever a worker listens.
    signature(FIT_WEIGHTS_TASK, args=(fit_id,)).apply_async()


def run_weight_fit(fit):
    """Fit a queued `WeightFit`; a fit already taken by another try is left alone, so running
    the task twice fits once. A fit the outcomes cannot support ends failed, with the reason."""
    with transaction.atomic():
        fit = WeightFit.objects.select_for_update().get(pk=fit.pk)
        if fit.state != FitState.QUEUED:
            return fit
        fit.state = FitState.FITTING
        fit.save(update_fields=["state"])
    profile = fit.profile or stored_default_profile()
    try:
        weights, figures, cutoff = _fitted(profile, **fit.parameters)
    except ValidationError as exc:
        fit.state, fit.error = FitState.FAILED, " ".join(exc.messages)
        with transaction.atomic():
            fit.save(update_fields=["state", "error"])
            log_action(fit, "weight fit failed", actor=fit.by, data={"error": fit.error})
        return fit
    fit.state, fit.weights, fit.figures, fit.cutoff = FitState.DONE, weights, figures, cutoff
    with transaction.atomic():
        fit.save(update_fields=["state", "weights", "figures", "cutoff"])
        log_action(fit, "weights fitted", actor=fit.by, data=figures)
    return fit


def _too_few(positives):
    return ValidationError(
        _("%(count)s positive outcomes are recorded; a fit needs at least %(needed)s.")
        % {"count": positives, "needed": MIN_POSITIVE_OUTCOMES}
    )


def _fitted(profile, *, test_share, negatives, seed, k):
    """(fitted weights, figures, cutoff) of a fit on the portal's outcomes against `profile`.

    Changes no profile: adopting a fit is `adopt_weight_fit`. The older outcomes train, the
    newer test (see `learning`). Negatives are drawn from the list each organisation is shown
    now (from everyone when it has none). The held-out figures are the AUC of both weight sets
    and the share of newer positive pairs that were found outside the lists (meetings,
    agreements, consortia) in the top k as the scorer ranks with each.
    """
    records = outcome_log()
    profiles, eligible = scoring_profiles()
    encoded = encode(profiles, taxonomy_from_db())
    row_of = {int(pk): row for row, pk in enumerate(encoded.ids)}
    records = [r for r in records if r.organisation_id in row_of and r.partner_id in row_of]
    positives = sum(record.positive for record in records)
    if positives < MIN_POSITIVE_OUTCOMES:
        raise _too_few(positives)
    rows = np.array([row_of[r.organisation_id] for r in records], dtype=np.int64)
    columns = np.array([row_of[r.partner_id] for r in records], dtype=np.int64)
    times = np.array([r.at.timestamp() for r in records])
    labels = np.array([float(r.positive) for r in records])
    weights = np.array([r.weight for r in records])
    positive = labels == 1
    shown = shown_partners({r.organisation_id for r in records if r.positive})
    sampled_rows, sampled_columns, sampled_times = learning.sample_negatives(
        rows[positive],
        times[positive],
        size=encoded.size,
        per_positive=negatives,
        known=set(zip(rows.tolist(), columns.tolist(), strict=True)),
        rng=np.random.default_rng(seed),
        pools={
            row_of[organisation]: [row_of[pk] for pk in partners if pk in row_of]
            for organisation, partners in shown.items()
        },
    )
    all_rows = np.concatenate([rows, sampled_rows])
    all_columns = np.concatenate([columns, sampled_columns])
    components = learning.pair_components(encoded, all_rows, all_columns)
    try:
        learned = learning.learn(
            components,
            np.concatenate([labels, np.zeros(len(sampled_rows))]),
            np.concatenate([times, sampled_times]),
            current=profile.weights,
            sample_weight=np.concatenate([weights, np.ones(len(sampled_rows))]),
            test_share=test_share,
        )
    except ValueError as exc:
        raise ValidationError(
            _("The outcomes cannot be split into older ones to fit on and newer ones to test.")
        ) from exc
    fitted = profile.weights | learned.weights
    # Recall counts only the newer positives found outside the lists (meetings, agreements,
    # consortia): a verdict was given on a partner the current weights listed, so it would
    # count as found for them by construction.
    verdicts = set(VERDICT_OUTCOMES.values())
    held_out = [
        (int(row), int(column))
        for row, column, record, newer in zip(
            rows, columns, records, learned.split.test[: len(rows)], strict=True
        )
        if record.positive and newer and set(record.kinds) - verdicts
    ]
    sources = np.array(sorted({row for row, _column in held_out}), dtype=np.int64)
    recall = {}
    for name, weight_set in (("fitted", fitted), ("current", profile.weights)):
        listed = {}
        if len(sources):
            result = top_k(encoded, weight_set, k=k, workers=1, eligible=eligible, rows=sources)
            listed = {int(row): result.partners[row].tolist() for row in sources}
        recall[name] = learning.recall_at_k(listed, held_out)
    figures = {
        "train_outcomes": learned.train_outcomes,
        "train_positives": learned.train_positives,
        "test_outcomes": learned.test_outcomes,
        "test_positives": learned.test_positives,
        "sampled_negatives": len(sampled_rows),
        "auc_fitted": learned.auc_fitted,
        "auc_current": learned.auc_current,
        "k": k,
        "recall_positives": len(held_out),
        "recall_fitted": recall["fitted"],
        "recall_current": recall["current"],
        "converged": learned.fit.converged,
        "slope": learned.fit.slope,
    }
    return fitted, figures, datetime.fromtimestamp(learned.split.cutoff, tz=UTC)


def adopt_weight_fit(fit, *, by, into=None, name=""):
    """Write a fit's weights into the profile `into`, or into a new profile called `name`.

    The next run scored with that profile uses them; past runs keep the weights they used.
    """
    name = name.strip()
    if (into is None) == (not name):
        raise ValidationError(_("Choose a profile to adopt the weights into, or name a new one."))
    with transaction.atomic():
        fit = WeightFit.objects.select_for_update().get(pk=fit.pk)
        if fit.adopted_at is not None:
            raise ValidationError(_("These weights were adopted already."))
        if fit.state != FitState.DONE:
            raise ValidationError(_("Only a finished fit can be adopted."))
        profile = into or WeightProfile(slug=_free_slug(name), name=name)
        for field, value in fit.weights.items():
            if field in WEIGHT_FIELDS:
                setattr(profile, field, value)
        profile.full_clean()
        profile.save()
        fit.adopted_into = profile
        fit.adopted_at = timezone.now()
        fit.save(update_fields=["adopted_into", "adopted_at"])
        log_action(profile, "weights adopted", actor=by, data={"fit": fit.pk, **profile.weights})
    return profile


def _free_slug(name):
    base = slugify(name)[:40] or "fitted"
    slug, number = base, 1
    while WeightProfile.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug
