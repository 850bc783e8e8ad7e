"""Writes for matchmaking: a run loads profiles, calls the scoring core, stores the result.

Each organisation's set is switched atomically: its rows and its `RecommendationSet` pointer
are written in one transaction, and readers go through the pointer (see queries.py).
"""

import io
import struct
from datetime import UTC, datetime

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Min, OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from matchmaking import learning
from matchmaking.enums import (
    CHUNK_MAX_ATTEMPTS,
    DEFAULT_WEIGHT_PROFILES,
    VERDICT_OUTCOMES,
    ChunkState,
    FeedbackVerdict,
    FitState,
    RunKind,
    RunState,
    WeightProfileName,
)
from matchmaking.features import encode
from matchmaking.models import (
    WEIGHT_FIELDS,
    Recommendation,
    RecommendationFeedback,
    RecommendationRun,
    RecommendationSet,
    RunChunk,
    WeightFit,
    WeightProfile,
)
from matchmaking.outcomes import outcome_log
from matchmaking.queries import (
    current_recommendations,
    dismissed_partners,
    latest_run,
    scoring_profiles,
    shown_partners,
    taxonomy_from_db,
)
from matchmaking.scoring import TopK, partner_scores, top_k, validate_weights
from partnerships.models import Organisation
from partnerships.services import log_action
from partnerships.services.audit import signed_in

DEFAULT_K = 20
# Organisations per chunk task of a full run: big enough that loading the profiles once per
# chunk stays a small share of its time, small enough to spread over a few workers.
CHUNK_SIZE = 2000
# Changed organisations taken per sweep, so a sweep stays a short task.
SWEEP_LIMIT = 500
COPY_COLUMNS = ("run_id", "organisation_id", "partner_id", "rank", "score", *WEIGHT_FIELDS)


def default_profile():
    """The default weight profile, recreated from the shipped weights if it was removed."""
    profile, _created = WeightProfile.objects.get_or_create(
        slug=WeightProfileName.DEFAULT,
        defaults={
            "name": str(WeightProfileName.DEFAULT.label),
            **DEFAULT_WEIGHT_PROFILES[WeightProfileName.DEFAULT],
        },
    )
    return profile


def run_recommendations(profile, *, k=DEFAULT_K, workers=2, organisations=None, by=None):
    """Score organisations with `profile` in this process and switch to their new sets.

    `organisations` (a queryset, all by default) limits who is scored and recommended.
    Every set is written and switched in one transaction: readers see the previous sets until
    this run is complete. Organisations whose profile did not change since the load lose their
    "needs rescoring" flag.
    """
    started = timezone.now()
    profiles, eligible = scoring_profiles(organisations=organisations)
    run = RecommendationRun.objects.create(
        profile=profile, weights=profile.weights, k=k, state=RunState.RUNNING
    )
    try:
        encoded = encode(profiles, taxonomy_from_db())
        result = top_k_listed(encoded, profile.weights, k=k, workers=workers, eligible=eligible)
        with transaction.atomic():
            switch_sets(run, encoded.ids, result, np.arange(encoded.size))
            run.state = RunState.DONE
            run.organisations = len(profiles)
            run.finished_at = timezone.now()
            run.save(update_fields=["state", "organisations", "finished_at"])
            # Every organisation of the queryset that was last changed before the load was
            # loaded: a subquery says so without sending every id back to the database.
            scored = Organisation.objects.all() if organisations is None else organisations
            _clear_rescoring(scored.values("pk"), before=started)
            log_action(run, "scored", actor=by, data={"organisations": len(profiles), "k": k})
        delete_superseded(encoded.ids, run=run)
    except Exception:
        RecommendationRun.objects.filter(pk=run.pk).update(
            state=RunState.FAILED, finished_at=timezone.now()
        )
        raise
    return run


def top_k_listed(encoded, weights, *, k, **options):
    """`scoring.top_k` without the partners each organisation judged not relevant.

    Each list is scored that many places longer and the dismissed partners are taken out, so
    every list is still k long when k others qualify.
    """
    row_of = {int(pk): row for row, pk in enumerate(encoded.ids)}
    dismissed = {
        row_of[organisation]: {row_of[pk] for pk in partners if pk in row_of}
        for organisation, partners in dismissed_partners().items()
        if organisation in row_of
    }
    extra = max((len(partners) for partners in dismissed.values()), default=0)
    result = top_k(encoded, weights, k=k + extra, **options)
    return _without_pairs(result, dismissed, k) if extra else result


def _without_pairs(result, dropped, k):
    """The first k entries of each row of `result` once the partners `dropped[row]` are out."""
    partners = result.partners.copy()
    scores = result.scores.copy()
    contributions = {name: values.copy() for name, values in result.contributions.items()}
    for row, columns in dropped.items():
        keep = ~np.isin(partners[row], list(columns))
        if keep.all():
            continue
        kept = int(keep.sum())
        for array, blank in (
            (partners, -1),
            (scores, np.nan),
            *((c, 0.0) for c in contributions.values()),
        ):
            array[row, :kept] = array[row][keep]
            array[row, kept:] = blank
    return TopK(
        partners=partners[:, :k],
        scores=scores[:, :k],
        contributions={name: values[:, :k] for name, values in contributions.items()},
    )


def switch_sets(run, ids, result, rows):
    """Write the lists of `rows` and point their organisations at `run`, all or nothing.

    A pointer only moves forward: a run that commits after a newer one has switched an
    organisation leaves that organisation alone (its rows are deleted as superseded).
    """
    organisation_ids = np.asarray(ids)[rows]
    with transaction.atomic():
        write_recommendations(run, ids, result, rows=rows)
        _point_sets(run, organisation_ids)


def _point_sets(run, organisation_ids):
    now = timezone.now()
    table = connection.ops.quote_name(RecommendationSet._meta.db_table)
    upsert = (
        "ON CONFLICT (organisation_id) DO UPDATE SET run_id = excluded.run_id, "
        f"switched_at = excluded.switched_at WHERE {table}.run_id <= excluded.run_id"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (organisation_id, run_id, switched_at) "
                f"SELECT unnest(%s::bigint[]), %s, %s {upsert}",
                [[int(pk) for pk in organisation_ids], run.pk, now],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} (organisation_id, run_id, switched_at) "
                f"VALUES (%s, %s, %s) {upsert}",
                [(int(pk), run.pk, now) for pk in organisation_ids],
            )


def delete_superseded(organisation_ids, *, run=None):
    """Delete these organisations' rows that their pointer no longer names (after the switch).

    `run` is the run that has just switched them: its own rows are only looked at when one of
    the pointers has already moved past it, so a full run does not scan the rows it wrote.
    """
    ids = [int(pk) for pk in organisation_ids]
    if not ids:
        return 0
    if run is not None and connection.vendor == "postgresql":
        return _delete_superseded_by_run(ids, run)
    current = RecommendationSet.objects.filter(organisation_id=OuterRef("organisation_id"))
    deleted, _counts = (
        Recommendation.objects.filter(organisation_id__in=ids)
        .exclude(run_id=Subquery(current.values("run_id")))
        .delete()
    )
    return deleted


def _delete_superseded_by_run(ids, run):
    table = connection.ops.quote_name(Recommendation._meta.db_table)
    sets = connection.ops.quote_name(RecommendationSet._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {sets} "
            "WHERE organisation_id = ANY(%s) AND run_id <> %s)",
            [ids, run.pk],
        )
        [moved] = cursor.fetchone()
        runs = RecommendationRun.objects.values_list("pk", flat=True)
        runs = list(runs if moved else runs.exclude(pk=run.pk))
        if not runs:
            return 0
        # run_id first: the unique (run, organisation, rank) index finds the candidate rows,
        # there being no index on the organisation alone.
        cursor.execute(
            f"DELETE FROM {table} r USING {sets} s "
            "WHERE r.run_id = ANY(%s) AND r.organisation_id = ANY(%s) "
            "AND s.organisation_id = r.organisation_id AND s.run_id <> r.run_id",
            [runs, ids],
        )
        return cursor.rowcount


def _clear_rescoring(ids, *, before):
    """Clear the flag of these organisations (ids, or a queryset of pks) changed before."""
    if not hasattr(ids, "query"):
        ids = [int(pk) for pk in ids]
    Organisation.objects.filter(pk__in=ids, needs_rescoring=True, updated_at__lt=before).update(
        needs_rescoring=False
    )


# Full re-score, split into chunk tasks -------------------------------------------------------


def start_full_run(profile, *, k=DEFAULT_K, chunk_size=CHUNK_SIZE, by=None):
    """Create a run and its chunks (ranges of organisation ids), queued after the commit.

    Chunks are id ranges rather than row numbers, so an organisation created meanwhile
    cannot shift which rows a chunk means.
    """
    ids = list(Organisation.objects.order_by("id").values_list("id", flat=True))
    with transaction.atomic():
        run = RecommendationRun.objects.create(
            profile=profile, weights=profile.weights, k=k, kind=RunKind.FULL
        )
        RunChunk.objects.bulk_create(
            RunChunk(run=run, first_id=part[0], last_id=part[-1])
            for part in (ids[i : i + chunk_size] for i in range(0, len(ids), chunk_size))
        )
        log_action(run, "run started", actor=by, data={"organisations": len(ids), "k": k})
        transaction.on_commit(lambda: _queue_chunks(run.pk))
    return run


def _queue_chunks(run_id):
    from matchmaking.tasks import queue_chunks

    queue_chunks(run_id)


def begin_chunk_attempt(chunk):
    """Count one more try of a pending chunk; give it up (False) once it has had its tries.

    Counted in the database, so a try lost with a killed worker counts too.
    """
    with transaction.atomic():
        chunk = RunChunk.objects.select_for_update().get(pk=chunk.pk)
        if chunk.state != ChunkState.PENDING:
            return False
        if chunk.attempts >= CHUNK_MAX_ATTEMPTS:
            chunk.state = ChunkState.FAILED
            chunk.save(update_fields=["state"])
            transaction.on_commit(lambda: finish_run_if_complete(chunk.run_id))
            return False
        chunk.attempts += 1
        chunk.save(update_fields=["attempts"])
    return True


_ENCODED = {}


def _encoded_for(run):
    """Every organisation encoded once per run and process: each chunk scores against all."""
    if run.pk not in _ENCODED:
        profiles, eligible = scoring_profiles()
        _ENCODED.clear()
        _ENCODED[run.pk] = (encode(profiles, taxonomy_from_db()), np.asarray(eligible))
    return _ENCODED[run.pk]


def score_run_chunk(chunk, *, workers=1):
    """Score one chunk of a full run and switch its organisations' sets. Safe to repeat."""
    run = chunk.run
    encoded, eligible = _encoded_for(run)
    inside = (encoded.ids >= chunk.first_id) & (encoded.ids <= chunk.last_id)
    rows = np.flatnonzero(inside)
    result = top_k_listed(
        encoded, run.weights, k=run.k, workers=workers, eligible=eligible, rows=rows
    )
    with transaction.atomic():
        locked = RunChunk.objects.select_for_update().get(pk=chunk.pk)
        if locked.state != ChunkState.PENDING:
            return False
        # Rows, pointers and the chunk's state commit together, so a chunk delivered twice
        # (acks_late after a lost worker) finds itself done here and writes nothing.
        switch_sets(run, encoded.ids, result, rows)
        locked.state = ChunkState.DONE
        locked.error = ""
        locked.save(update_fields=["state", "error"])
    delete_superseded(encoded.ids[rows], run=run)
    finish_run_if_complete(run.pk)
    return True


def record_chunk_error(chunk, error):
    """Remember why a try failed; give the chunk up when it has used all its tries."""
    with transaction.atomic():
        chunk = RunChunk.objects.select_for_update().get(pk=chunk.pk)
        chunk.error = str(error)[:2000]
        given_up = chunk.attempts >= CHUNK_MAX_ATTEMPTS and chunk.state == ChunkState.PENDING
        if given_up:
            chunk.state = ChunkState.FAILED
        chunk.save(update_fields=["error", "state"])
    if given_up:
        finish_run_if_complete(chunk.run_id)
    return given_up


def finish_run_if_complete(run_id):
    """Close a full run once no chunk is pending: done, or failed when a chunk gave up."""
    with transaction.atomic():
        run = RecommendationRun.objects.select_for_update().get(pk=run_id)
        if run.state != RunState.RUNNING:
            return run
        states = list(run.chunks.values_list("state", flat=True))
        if ChunkState.PENDING in states:
            return run
        run.state = RunState.FAILED if ChunkState.FAILED in states else RunState.DONE
        run.organisations = run.sets.count()
        run.finished_at = timezone.now()
        run.save(update_fields=["state", "organisations", "finished_at"])
        _clear_rescoring(run.sets.values_list("organisation_id", flat=True), before=run.started_at)
        log_action(run, "scored", actor=None, data={"organisations": run.organisations, "k": run.k})
    return run


# Incremental: changed organisations -----------------------------------------------------------


def rescore_organisations(organisation_ids, *, profile=None, k=None):
    """Recompute the lists of changed organisations and of those whose lists they enter or leave.

    A list is refreshed when it holds a changed organisation now, or when a changed one now
    scores at least its current last entry (or the list is not full). `k` is by default the
    one of the profile's latest finished run. Returns the run, or None when none of the
    organisations still exists.
    """
    profile = profile or default_profile()
    if k is None:
        previous = latest_run(profile)
        k = previous.k if previous else DEFAULT_K
    started = timezone.now()
    profiles, eligible = scoring_profiles()
    encoded = encode(profiles, taxonomy_from_db())
    eligible = np.asarray(eligible)
    index = {int(pk): row for row, pk in enumerate(encoded.ids)}
    changed = np.array(sorted({index[pk] for pk in organisation_ids if pk in index}), np.int64)
    if len(changed) == 0:
        return None
    weights = validate_weights(profile.weights)
    rows = _affected_rows(encoded, weights, changed, eligible, k)
    run = RecommendationRun.objects.create(
        profile=profile, weights=profile.weights, k=k, kind=RunKind.INCREMENTAL
    )
    result = top_k_listed(encoded, weights, k=k, workers=1, eligible=eligible, rows=rows)
    with transaction.atomic():
        switch_sets(run, encoded.ids, result, rows)
        run.state = RunState.DONE
        run.organisations = len(rows)
        run.finished_at = timezone.now()
        run.save(update_fields=["state", "organisations", "finished_at"])
        _clear_rescoring(encoded.ids[changed], before=started)
    delete_superseded(encoded.ids[rows], run=run)
    return run


def _affected_rows(encoded, weights, changed, eligible, k):
    # Every organisation's score for each changed one as partner: n x c, -inf where the pair
    # cannot be listed (below the relevance floor, itself, or an ineligible partner).
    score = partner_scores(encoded, weights, changed)
    score[:, ~eligible[changed]] = -np.inf

    ids = encoded.ids
    # A list is not ordered by score alone (the country cap moves some partners to its end):
    # a changed partner can enter it when it scores at least the list's lowest entry, or
    # when the list is not full.
    # A join on the set pointer, not a subquery per row: one hash join over the shown rows.
    shown = (
        Recommendation.objects.filter(organisation__recommendation_set__run_id=F("run_id"))
        .values("organisation_id")
        .annotate(lowest=Min("score"), entries=Count("id"))
        .values_list("organisation_id", "lowest", "entries")
    )
    lowest = {pk: (low if entries >= k else -np.inf) for pk, low, entries in shown}
    floor = np.array([lowest.get(int(pk), -np.inf) for pk in ids])
    enters = (score >= floor[:, None] - 1e-9).any(axis=1)
    holding = Recommendation.objects.filter(
        partner_id__in=[int(pk) for pk in ids[changed]],
        organisation__recommendation_set__run_id=F("run_id"),
    ).values_list("organisation_id", flat=True)
    row_of = {int(pk): row for row, pk in enumerate(ids)}
    affected = set(np.flatnonzero(enters).tolist()) | {row_of[pk] for pk in holding}
    affected |= set(changed.tolist())
    return np.array(sorted(affected), dtype=np.int64)


def organisations_needing_rescoring(limit=SWEEP_LIMIT):
    return list(
        Organisation.objects.filter(needs_rescoring=True)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


# Feedback -------------------------------------------------------------------------------------


def give_feedback(organisation, *, partner, verdict, by):
    """Store a member's verdict on a suggested partner (one row per verdict, the latest kept)."""
    if verdict not in FeedbackVerdict.values:
        raise ValidationError(_("Choose useful, not relevant or contacted."))
    shown = current_recommendations(organisation).filter(partner=partner).first()
    if shown is None:
        raise ValidationError(_("This partner is not among your recommended partners."))
    with transaction.atomic():
        feedback, _created = RecommendationFeedback.objects.update_or_create(
            organisation=organisation,
            partner=partner,
            verdict=verdict,
            defaults={"by": by, "run_id": shown.run_id, "score": shown.score},
        )
        log_action(
            organisation,
            "recommendation feedback",
            actor=by,
            data={
                "partner": partner.pk,
                "verdict": verdict,
            },
        )
    return feedback


def recommendation_rows(run, ids, result, rows=None):
    """Column arrays of the recommendations of `rows` (all by default; rank from 1), skipping
    missing partners."""
    partners = result.partners if rows is None else result.partners[rows]
    source, rank = np.nonzero(partners >= 0)
    if rows is not None:
        source = np.asarray(rows)[source]
    columns = {
        "run_id": np.full(len(source), run.pk, dtype=np.int64),
        "organisation_id": ids[source],
        "partner_id": ids[result.partners[source, rank]],
        "rank": (rank + 1).astype(np.int16),
        "score": result.scores[source, rank],
    }
    for name in WEIGHT_FIELDS:
        columns[name] = result.contributions[name][source, rank]
    return columns


def write_recommendations(run, ids, result, rows=None):
    """Insert a run's recommendations: binary COPY on PostgreSQL, bulk_create elsewhere."""
    columns = recommendation_rows(run, ids, result, rows)
    if connection.vendor == "postgresql":
        _copy_binary(Recommendation._meta.db_table, columns)
        return
    Recommendation.objects.bulk_create(
        (
            Recommendation(**{name: values[m].item() for name, values in columns.items()})
            for m in range(len(columns["run_id"]))
        ),
        batch_size=2000,
    )


def _copy_binary(table, columns):
    """COPY ... FROM STDIN (FORMAT binary): every row built at once as a NumPy record array."""
    count = len(columns["run_id"])
    layout = [("fields", ">i2")]
    for name in COPY_COLUMNS:
        values = columns[name]
        kind = ">i8" if values.dtype == np.int64 else ">i2" if values.dtype == np.int16 else ">f8"
        layout += [(f"{name}_size", ">i4"), (name, kind)]
    records = np.empty(count, dtype=np.dtype(layout))
    records["fields"] = len(COPY_COLUMNS)
    for name in COPY_COLUMNS:
        records[f"{name}_size"] = records.dtype[name].itemsize
        records[name] = columns[name]
    payload = io.BytesIO()
    payload.write(b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0))
    payload.write(records.tobytes())
    payload.write(struct.pack(">h", -1))
    payload.seek(0)
    names = ", ".join(connection.ops.quote_name(name) for name in COPY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN WITH (FORMAT binary)",
            payload,
        )


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
    from matchmaking.tasks import fit_weights

    fit_weights.delay(fit_id)


def run_weight_fit(fit):
    """Fit a queued `WeightFit`; a fit already taken by another try is left alone, so running
    the task twice fits once. A fit the outcomes cannot support ends failed, with the reason."""
    with transaction.atomic():
        fit = WeightFit.objects.select_for_update().get(pk=fit.pk)
        if fit.state != FitState.QUEUED:
            return fit
        fit.state = FitState.FITTING
        fit.save(update_fields=["state"])
    profile = fit.profile or default_profile()
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
