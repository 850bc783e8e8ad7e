"""Runs: a run loads profiles, calls the scoring core and switches the organisations' sets.

Each organisation's set is switched atomically: its rows and its `RecommendationSet` pointer
are written in one transaction, and readers go through the pointer (see queries/). The rows
themselves are written by `storage`; full runs' chunks share an encoding (`encoded_cache`).
Tasks are queued by name, so this module never imports the tasks that call it.
"""

import numpy as np
from celery import group, signature
from django.db import transaction
from django.utils import timezone

from matchmaking.encoded_cache import encoded_for_run
from matchmaking.enums import (
    CHUNK_MAX_ATTEMPTS,
    DEFAULT_WEIGHT_PROFILES,
    ChunkState,
    RunKind,
    RunState,
    WeightProfileName,
)
from matchmaking.features import encode
from matchmaking.models import RecommendationRun, RunChunk, WeightProfile
from matchmaking.queries import dismissed_partners, latest_run, scoring_profiles, taxonomy_from_db
from matchmaking.scoring import TopK, lists_entered, partner_scores, top_k, validate_weights
from matchmaking.storage import (
    delete_superseded,
    full_lists,
    lists_holding,
    lowest_listed_scores,
    switch_sets,
)
from partnerships.models import Organisation
from partnerships.services import log_action

DEFAULT_K = 20
# Organisations per chunk task of a full run: big enough that loading the profiles once per
# chunk stays a small share of its time, small enough to spread over a few workers.
CHUNK_SIZE = 2000
# Changed organisations taken per sweep, so a sweep stays a short task.
SWEEP_LIMIT = 500
# Registered names of the tasks this module queues (see tasks.py).
SCORE_CHUNK_TASK = "matchmaking.score_chunk"


def stored_default_profile():
    """The default weight profile for a run to point at, recreated from the shipped weights if
    it was removed (a write: only the services that store a run call it)."""
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
        transaction.on_commit(lambda: queue_chunks(run.pk))
    return run


def queue_chunks(run_id):
    """Fan a full run's pending chunks out over however many workers listen."""
    ids = list(
        RunChunk.objects.filter(run_id=run_id, state=ChunkState.PENDING).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        finish_run_if_complete(run_id)
        return
    group(signature(SCORE_CHUNK_TASK, args=(pk,)) for pk in ids).apply_async()


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


def score_run_chunk(chunk, *, workers=1):
    """Score one chunk of a full run and switch its organisations' sets. Safe to repeat."""
    run = chunk.run
    encoded, eligible = encoded_for_run(run)
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
    profile = profile or stored_default_profile()
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
    """Rows to refresh: the changed ones, the lists holding one, the lists one may enter."""
    scores = partner_scores(encoded, weights, changed)
    scores[:, ~eligible[changed]] = -np.inf
    ids = encoded.ids
    # Only a full list that a changed partner can be listed in needs its lowest score: the
    # others either take any partner (not full) or none of these (-inf everywhere).
    full = np.isin(ids, list(full_lists(k)))
    lowest = np.where(full, np.inf, -np.inf)
    reachable = full & np.isfinite(scores).any(axis=1)
    stored = lowest_listed_scores([int(pk) for pk in ids[reachable]])
    lowest[reachable] = [stored[int(pk)] for pk in ids[reachable]]
    entered = lists_entered(scores, lowest)
    row_of = {int(pk): row for row, pk in enumerate(ids)}
    holding = {row_of[pk] for pk in lists_holding(ids[changed]) if pk in row_of}
    affected = set(entered.tolist()) | holding | set(changed.tolist())
    return np.array(sorted(affected), dtype=np.int64)


def organisations_needing_rescoring(limit=SWEEP_LIMIT):
    return list(
        Organisation.objects.filter(needs_rescoring=True)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
