"""Writes for matchmaking: a run loads profiles, calls the scoring core, stores the result."""

import io
import struct

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from matchmaking.enums import RunState
from matchmaking.features import encode
from matchmaking.models import WEIGHT_FIELDS, Recommendation, RecommendationRun
from matchmaking.queries import scoring_profiles, taxonomy_from_db
from matchmaking.scoring import top_k
from partnerships.models import Organisation
from partnerships.services import log_action

DEFAULT_K = 20
COPY_COLUMNS = ("run_id", "organisation_id", "partner_id", "rank", "score", *WEIGHT_FIELDS)


def run_recommendations(profile, *, k=DEFAULT_K, workers=2, organisations=None, by=None):
    """Score organisations with `profile` and store each one's k best verified partners.

    `organisations` (a queryset, all by default) limits who is scored and recommended.
    The run is written in one transaction: readers see the previous run until this one is
    complete. Organisations whose profile did not change since the load lose their
    "needs rescoring" flag.
    """
    started = timezone.now()
    profiles, eligible = scoring_profiles(organisations=organisations)
    run = RecommendationRun.objects.create(
        profile=profile, weights=profile.weights, k=k, state=RunState.RUNNING
    )
    try:
        encoded = encode(profiles, taxonomy_from_db())
        result = top_k(encoded, profile.weights, k=k, workers=workers, eligible=eligible)
        with transaction.atomic():
            write_recommendations(run, encoded.ids, result)
            run.state = RunState.DONE
            run.organisations = len(profiles)
            run.finished_at = timezone.now()
            run.save(update_fields=["state", "organisations", "finished_at"])
            Organisation.objects.filter(needs_rescoring=True, updated_at__lt=started).update(
                needs_rescoring=False
            )
            log_action(run, "scored", actor=by, data={"organisations": len(profiles), "k": k})
    except Exception:
        RecommendationRun.objects.filter(pk=run.pk).update(
            state=RunState.FAILED, finished_at=timezone.now()
        )
        raise
    return run


def recommendation_rows(run, ids, result):
    """Column arrays of every recommendation (rank from 1), skipping missing partners."""
    source, rank = np.nonzero(result.partners >= 0)
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


def write_recommendations(run, ids, result):
    """Insert a run's recommendations: binary COPY on PostgreSQL, bulk_create elsewhere."""
    columns = recommendation_rows(run, ids, result)
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
