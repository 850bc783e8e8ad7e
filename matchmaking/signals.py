"""Receivers of the lower app's signals; connected in MatchmakingConfig.ready()."""

from django.db import transaction


def queue_rescoring(sender, organisation_ids, **kwargs):
    """Queue a refresh of the changed organisations once the change is committed.

    The flag set with the change is what guarantees the refresh: if this task is lost, the
    periodic sweep still finds the organisations marked.
    """
    from matchmaking.tasks import rescore_organisations

    ids = sorted(set(organisation_ids))
    if ids:
        transaction.on_commit(lambda: rescore_organisations.delay(ids))
