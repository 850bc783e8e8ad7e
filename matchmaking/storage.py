"""Recommendation rows in the database: bulk writes (binary COPY), the atomic switch of sets,
the removal of superseded rows, and the reads a refresh needs about the lists shown now.

Raw SQL lives here and only here, so that services orchestrate and never build statements.
"""

import io
import struct

import numpy as np
from django.db import connection, transaction
from django.db.models import F, Min, OuterRef, Subquery
from django.utils import timezone

from matchmaking.models import (
    WEIGHT_FIELDS,
    Recommendation,
    RecommendationRun,
    RecommendationSet,
)

COPY_COLUMNS = ("run_id", "organisation_id", "partner_id", "rank", "score", *WEIGHT_FIELDS)


def switch_sets(run, ids, result, rows):
    """Write the lists of `rows` and point their organisations at `run`, all or nothing.

    A pointer only moves forward: a run that commits after a newer one has switched an
    organisation leaves that organisation alone (its rows are deleted as superseded).
    """
    organisation_ids = np.asarray(ids)[rows]
    with transaction.atomic():
        write_recommendations(run, ids, result, rows=rows)
        point_sets(run, organisation_ids)


def point_sets(run, organisation_ids):
    """Point these organisations' sets at `run`, unless a newer run already holds them."""
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


def full_lists(k):
    """Ids of the organisations whose shown list holds k partners (ranks run from 1 up)."""
    return set(
        Recommendation.objects.filter(
            rank=k, organisation__recommendation_set__run_id=F("run_id")
        ).values_list("organisation_id", flat=True)
    )


def lowest_listed_scores(organisation_ids):
    """organisation id -> the lowest score of its shown list, for these organisations."""
    current = RecommendationSet.objects.filter(organisation_id__in=organisation_ids)
    # Naming the runs lets the (run, organisation, rank) index find the rows.
    return dict(
        Recommendation.objects.filter(
            run_id__in=current.values("run_id").distinct(),
            organisation_id__in=organisation_ids,
            organisation__recommendation_set__run_id=F("run_id"),
        )
        .values("organisation_id")
        .annotate(lowest=Min("score"))
        .values_list("organisation_id", "lowest")
    )


def lists_holding(partner_ids):
    """Ids of the organisations whose shown list holds one of `partner_ids`."""
    return set(
        Recommendation.objects.filter(
            partner_id__in=[int(pk) for pk in partner_ids],
            organisation__recommendation_set__run_id=F("run_id"),
        ).values_list("organisation_id", flat=True)
    )
