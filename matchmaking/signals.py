"""Receivers of the lower app's signals, connected in MatchmakingConfig.ready(), and the
signals this app sends to the apps above it."""

import logging

from celery import current_app
from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

RESCORE_TASK = "matchmaking.rescore_organisations"

# Sent by `outcomes.outcome_log` so that apps above this one add what came of pairs of
# organisations in their part of the portal (meetings accepted, agreements reached). No
# keyword arguments. Each receiver returns a list of `outcomes.Outcome`.
pair_outcomes = Signal()


def _queue(ids):
    try:
        # By its registered name: the task module imports the services, which import this one.
        current_app.tasks[RESCORE_TASK].delay(ids)
    except Exception:
        # The profile change is saved and flagged; a broker outage or a failing in-process
        # refresh must not undo the manager's save. The periodic sweep picks the flag up.
        logger.exception("Re-scoring of organisations %s could not run now; the sweep will", ids)


def queue_rescoring(sender, organisation_ids, **kwargs):
    """Queue a refresh of the changed organisations once the change is committed.

    The flag set with the change is what guarantees the refresh: if this task is lost, the
    periodic sweep still finds the organisations marked.
    """
    ids = sorted(set(organisation_ids))
    if ids:
        transaction.on_commit(lambda: _queue(ids))
