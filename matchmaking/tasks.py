"""Thin Celery tasks: ids in, re-fetch, call a service. Each is safe to run twice."""

import logging

from celery import group, shared_task

from matchmaking.enums import CHUNK_MAX_ATTEMPTS

logger = logging.getLogger(__name__)

RETRY_BACKOFF_S = 5


@shared_task(
    name="matchmaking.score_chunk",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=CHUNK_MAX_ATTEMPTS - 1,
)
def score_chunk(self, chunk_id):
    """Score one chunk of a full run; a chunk that keeps crashing is given up, not retried forever.

    Tries are counted on the chunk row rather than by Celery, so that a try lost with a killed
    worker (redelivered thanks to acks_late) counts as well.
    """
    from matchmaking import services
    from matchmaking.models import RunChunk

    while True:
        chunk = RunChunk.objects.select_related("run").filter(pk=chunk_id).first()
        if chunk is None or not services.begin_chunk_attempt(chunk):
            return
        try:
            services.score_run_chunk(chunk)
            return
        except Exception as exc:
            logger.exception("Chunk %s of run %s failed", chunk.pk, chunk.run_id)
            if services.record_chunk_error(chunk, exc):
                return
            if not self.request.is_eager:
                countdown = RETRY_BACKOFF_S * 2**self.request.retries
                raise self.retry(exc=exc, countdown=countdown) from exc
            # In process (no broker) there is no queue to wait in: the next try runs now.


def queue_chunks(run_id):
    """Fan a full run's pending chunks out over however many workers listen."""
    from matchmaking import services
    from matchmaking.enums import ChunkState
    from matchmaking.models import RunChunk

    ids = list(
        RunChunk.objects.filter(run_id=run_id, state=ChunkState.PENDING).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        services.finish_run_if_complete(run_id)
        return
    group(score_chunk.s(pk) for pk in ids).apply_async()


@shared_task(
    name="matchmaking.rescore_organisations",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def rescore_organisations(organisation_ids):
    """Refresh the lists of changed organisations and the lists they enter.

    Running it twice recomputes the same lists from the same data: one effect.
    """
    from matchmaking import services

    services.rescore_organisations(organisation_ids)


@shared_task(
    name="matchmaking.sweep_needs_rescoring",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=0,
)
def sweep_needs_rescoring():
    """Pick up organisations still marked for re-scoring (e.g. a task lost with the broker)."""
    from matchmaking import services

    ids = services.organisations_needing_rescoring()
    if ids:
        services.rescore_organisations(ids)
    return len(ids)


@shared_task(
    name="matchmaking.fit_weights",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=0,
)
def fit_weights(fit_id):
    """Fit a queued weight fit; a fit gone or already taken is left alone (one effect)."""
    from matchmaking import services
    from matchmaking.models import WeightFit

    fit = WeightFit.objects.filter(pk=fit_id).first()
    if fit is not None:
        services.run_weight_fit(fit)
