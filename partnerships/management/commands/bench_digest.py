"""Build the weekly digest for many people and report its time and peak memory.

Adds `--people` readers who agreed to digests (members of the organisations already in the
database, each with a few notifications for the digest), builds every reader's digest as the
weekly task does, a chunk at a time, and throws the e-mails away instead of sending them;
then rolls everything back. Run at a tenth of the size first, so the table shows whether the
peak grows with the number of people (it should not: it is bounded by the chunk). Peak memory
is Python's own allocations while building (tracemalloc). The last line printed is one JSON
object, for scripts.
"""

import json
import time
import tracemalloc

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from partnerships.enums import MembershipRole, NotificationDelivery, NotificationKind
from partnerships.models import (
    Notification,
    NotificationPreference,
    Organisation,
    OrganisationMembership,
    User,
)
from partnerships.services.digest import CHUNK_SIZE, build_digests, week_of

BENCH_DOMAIN = "digest-bench.invalid"


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the weekly digest for many people (nothing is sent or kept)."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10_000)

    def handle(self, *args, people, **options):
        if people < 1:
            raise CommandError("--people must be at least 1.")
        sizes = sorted({max(1, people // 10), people})
        rows = []
        for size in sizes:
            try:
                with transaction.atomic():
                    readers = self.seed(size)
                    rows.append(self.measure(size, readers))
                    raise Rollback
            except Rollback:
                pass
        self.stdout.write(
            f"{'people':>8} {'digests':>8} {'seconds':>8} {'peak MB':>8} {'KB/digest':>10}"
        )
        for row in rows:
            self.stdout.write(
                f"{row['people']:>8} {row['digests']:>8} {row['seconds']:>8.2f} "
                f"{row['peak_mb']:>8.1f} {row['kb_per_digest']:>10.1f}"
            )
        last = rows[-1]
        self.stdout.write(
            json.dumps(
                {
                    "people": last["people"],
                    "seconds": last["seconds"],
                    "peak_mb": last["peak_mb"],
                    "chunk": CHUNK_SIZE,
                    "peak_mb_at_tenth": rows[0]["peak_mb"],
                }
            )
        )

    def seed(self, size):
        now = timezone.now()
        start = User.objects.count()
        User.objects.bulk_create(
            [
                User(
                    email=f"reader{start + number}@{BENCH_DOMAIN}",
                    full_name=f"Reader {number}",
                    email_consent=True,
                    email_consent_at=now,
                    password="!",
                )
                for number in range(size)
            ],
            batch_size=2000,
        )
        readers = User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").order_by("pk")
        ids = list(readers.values_list("pk", flat=True))
        organisations = list(Organisation.objects.values_list("pk", flat=True)[:2000])
        if organisations:
            OrganisationMembership.objects.bulk_create(
                [
                    OrganisationMembership(
                        user_id=user_id,
                        organisation_id=organisations[index % len(organisations)],
                        role=MembershipRole.EDITOR,
                    )
                    for index, user_id in enumerate(ids)
                ],
                batch_size=2000,
            )
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(
                    user_id=user_id,
                    kind=NotificationKind.MESSAGE,
                    delivery=NotificationDelivery.DIGEST,
                )
                for user_id in ids
            ],
            batch_size=2000,
        )
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=user_id,
                    kind=NotificationKind.MESSAGE,
                    data={
                        "organisation": "Baltic Batteries",
                        "recipient": "Nordic Cells",
                        "subject": f"Pilot line {number}",
                    },
                    url="/notifications/",
                    created_at=now,
                )
                for user_id in ids
                for number in range(3)
            ],
            batch_size=5000,
        )
        if connection.vendor == "postgresql":
            # As the weekly run finds them: statistics that know the tables are not empty.
            with connection.cursor() as cursor:
                for model in (User, OrganisationMembership, Notification, NotificationPreference):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
        return readers

    def measure(self, size, readers):
        week = week_of(timezone.localdate())
        tracemalloc.start()
        started = time.perf_counter()
        digests = 0
        sizes = 0
        for digest in build_digests(week=week, readers=readers):
            digests += 1
            sizes += len(digest.text) + len(digest.html)
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return {
            "people": size,
            "digests": digests,
            "seconds": round(seconds, 2),
            "peak_mb": round(peak / 2**20, 1),
            "kb_per_digest": sizes / max(digests, 1) / 1024,
        }
