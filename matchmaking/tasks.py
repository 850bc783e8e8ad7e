"""Thin Celery tasks: ids in, re-fetch, call a service. Each is safe to run twice.

Imports flow from here to the services only: a service queues a task by its registered name.
"""

import logging

from celery import shared_task

from matchmaking import services
from matchmaking.enums import CHUNK_MAX_ATTEMPTS
from matchmaking.models import RunChunk, WeightFit
from matchmaking.signals import RESCORE_TASK

logger = logging.getLogger(__name__)

RETRY_BACKOFF_S = 5


@shared_task(
    name=services.SCORE_CHUNK_TASK,
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


@shared_task(
    name=RESCORE_TASK,
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
    services.rescore_organisations(organisation_ids)


@shared_task(
    name="matchmaking.sweep_needs_rescoring",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=0,
)
def sweep_needs_rescoring():
    """Pick up organisations still marked for re-scoring (e.g. a task lost with the broker)."""
    ids = services.organisations_needing_rescoring()
    if ids:
        services.rescore_organisations(ids)
    return len(ids)


@shared_task(
    name=services.FIT_WEIGHTS_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=0,
)
def fit_weights(fit_id):
    """Fit a queued weight fit; a fit gone or already taken is left alone (one effect)."""
    fit = WeightFit.objects.filter(pk=fit_id).first()
    if fit is not None:
        services.run_weight_fit(fit)
