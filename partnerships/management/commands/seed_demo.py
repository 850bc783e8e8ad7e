"""Fill the database with the realistic demo data set of `partnerships.demo`, in bulk.

This is the one write path that bypasses the services on purpose: 100,000 organisations
through per-object services would take hours and an audit entry each. Rows go in with
`bulk_create`, or with COPY on PostgreSQL where `bulk_create` is too slow.
"""

import datetime as dt
import io
import json
import time
from collections import Counter
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships import page_cache
from partnerships.demo import (
    CountryInfo,
    RegionInfo,
    TaxonInfo,
    Taxonomies,
    generate_demo,
)
from partnerships.enums import MemberType, ValidationState
from partnerships.facet_loader import bump_directory_version
from partnerships.models import (
    Country,
    Ecosystem,
    EmergingIndustry,
    Label,
    Organisation,
    PlantedPartnership,
    PolicyObjective,
    Region,
    S3Priority,
    SectoralIndustry,
    ValueChainPosition,
)
from partnerships.reference import load_reference_data

ORGANISATION_BATCH = 2000
LINK_BATCH = 10000
# Demo websites live under the reserved ".example" top-level domain; `--replace` finds them so.
DEMO_WEBSITE_SUFFIX = ".example"


def reference_data_missing():
    return not (
        Region.objects.filter(level=2).exists()
        and SectoralIndustry.objects.exists()
        and PolicyObjective.objects.exists()
        and ValueChainPosition.objects.exists()
    )


def taxonomies_from_db():
    """The reference tables as the plain data the pure generator takes."""
    places = {}
    for parent, name in (
        Region.objects.filter(level=3).order_by("code").values_list("parent_id", "name")
    ):
        places.setdefault(parent, []).append(name)

    def links(model):
        through = model.sectoral_industries.through
        owner = f"{model._meta.model_name}__slug"
        found = {}
        for slug, sector in through.objects.order_by(owner, "sectoralindustry__slug").values_list(
            owner, "sectoralindustry__slug"
        ):
            found.setdefault(slug, []).append(sector)
        return found

    emerging_links, ecosystem_links = links(EmergingIndustry), links(Ecosystem)
    return Taxonomies(
        countries=tuple(
            CountryInfo(code, name, population, eu_member)
            for code, name, population, eu_member in Country.objects.order_by("code").values_list(
                "code", "name", "population", "eu_member"
            )
        ),
        regions=tuple(
            RegionInfo(code, name, country, tuple(places.get(code, ())))
            for code, name, country in Region.objects.filter(level=2)
            .order_by("code")
            .values_list("code", "name", "country_id")
        ),
        sectors=tuple(
            TaxonInfo(slug, name)
            for slug, name in SectoralIndustry.objects.order_by("slug").values_list("slug", "name")
        ),
        emerging=tuple(
            TaxonInfo(slug, name, tuple(emerging_links.get(slug, ())))
            for slug, name in EmergingIndustry.objects.order_by("slug").values_list("slug", "name")
        ),
        ecosystems=tuple(
            TaxonInfo(slug, name, tuple(ecosystem_links.get(slug, ())))
            for slug, name in Ecosystem.objects.order_by("slug").values_list("slug", "name")
        ),
        positions=tuple(
            TaxonInfo(slug, name, service=service)
            for slug, name, service in ValueChainPosition.objects.order_by(
                "order", "slug"
            ).values_list("slug", "name", "is_service")
        ),
        objectives=tuple(
            TaxonInfo(slug, name)
            for slug, name in PolicyObjective.objects.order_by("slug").values_list("slug", "name")
        ),
    )


def _copy_text(value):
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def insert_rows(model, fields, rows):
    """Insert plain rows (tuples in `fields` order) into `model`'s table as fast as we can."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        columns = ", ".join(
            connection.ops.quote_name(model._meta.get_field(name).column) for name in fields
        )
        buffer = io.StringIO()
        buffer.writelines("\t".join(_copy_text(v) for v in row) + "\n" for row in rows)
        buffer.seek(0)
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
        return
    attnames = [model._meta.get_field(name).attname for name in fields]
    model.objects.bulk_create(
        (model(**dict(zip(attnames, row, strict=True))) for row in rows), batch_size=LINK_BATCH
    )


def _reserve_ids(model, count):
    """Take `count` ids from the table's sequence, so COPY can write rows with known keys."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _organisation_values(spec, now):
    """The generated values of one organisation, by field attname."""
    values = {
        "name": spec.name,
        "acronym": spec.acronym,
        "type": spec.type,
        "country_id": spec.country,
        "region_id": spec.region,
        "city": spec.city,
        "website": spec.website,
        "year_established": spec.year_established,
        "description": spec.description,
        "keywords": spec.keywords,
        "staff_fte": Decimal(f"{spec.staff_fte:.1f}"),
        "member_employees": spec.member_employees,
        "contact_email": spec.contact_email,
        "validation_state": spec.validation_state,
        "rejection_reason": spec.rejection_reason,
        # The matchmaking app scores every new organisation on its next run.
        "needs_rescoring": True,
        "created_at": now,
        "updated_at": now,
        # Every profile past the draft was sent to staff once; the queue shows when.
        "submitted_at": None if spec.validation_state == ValidationState.DRAFT else now,
        # Kept for duplicate checks; "https://www.x.example" -> "x.example".
        "website_domain": spec.website.split("://", 1)[-1].removeprefix("www."),
    }
    values.update(zip(MemberType.values, spec.members, strict=True))
    return values


def _organisation_columns():
    """Every column but the key; fields the generator does not fill get their default."""
    fields = [f for f in Organisation._meta.concrete_fields if not f.primary_key]
    return [f.attname for f in fields], {f.attname: f.get_default() for f in fields}


def _insert_organisations(specs, now):
    attnames, defaults = _organisation_columns()
    rows = []
    for spec in specs:
        values = _organisation_values(spec, now)
        rows.append(tuple(values.get(name, defaults[name]) for name in attnames))
    if connection.vendor == "postgresql":
        ids = _reserve_ids(Organisation, len(rows))
        insert_rows(
            Organisation,
            ("id", *attnames),
            [(pk, *row) for pk, row in zip(ids, rows, strict=True)],
        )
        return ids
    created = Organisation.objects.bulk_create(
        (Organisation(**dict(zip(attnames, row, strict=True))) for row in rows),
        batch_size=ORGANISATION_BATCH,
    )
    return [organisation.pk for organisation in created]


def _priority_ids(priorities):
    """Ids for the generated S3 priorities, reusing rows an earlier run already made."""
    objectives = dict(PolicyObjective.objects.values_list("slug", "pk"))
    existing = {
        (region, title): pk
        for pk, region, title in S3Priority.objects.filter(
            region_id__in={p.region for p in priorities}
        ).values_list("pk", "region_id", "title")
    }
    missing = [
        S3Priority(
            region_id=p.region,
            title=p.title,
            description=p.description,
            economic_domain=p.economic_domain,
            scientific_domain=p.scientific_domain,
            policy_objective_id=objectives[p.objective],
        )
        for p in priorities
        if (p.region, p.title) not in existing
    ]
    for priority in S3Priority.objects.bulk_create(missing, batch_size=ORGANISATION_BATCH):
        existing[(priority.region_id, priority.title)] = priority.pk
    return [existing[(p.region, p.title)] for p in priorities], len(missing)


def write_demo(data, *, now):
    """Write generated `DemoData` in bulk; return how many rows of each kind were made."""
    priority_ids, priorities_created = _priority_ids(data.priorities)
    ids = _insert_organisations(data.organisations, now)

    pk_of = {
        "sectors": dict(SectoralIndustry.objects.values_list("slug", "pk")),
        "emerging": dict(EmergingIndustry.objects.values_list("slug", "pk")),
        "ecosystems": dict(Ecosystem.objects.values_list("slug", "pk")),
        "positions": dict(ValueChainPosition.objects.values_list("slug", "pk")),
        "objectives": dict(PolicyObjective.objects.values_list("slug", "pk")),
    }
    # (relation, spec attribute, through column, vocabulary)
    relations = (
        ("sectoral_industries", "sectors", "sectoralindustry", "sectors"),
        ("emerging_industries", "emerging", "emergingindustry", "emerging"),
        ("ecosystems", "ecosystems", "ecosystem", "ecosystems"),
        ("value_chain_positions", "positions", "valuechainposition", "positions"),
        ("policy_objectives", "objectives", "policyobjective", "objectives"),
        ("seeking_sectors", "seeking_sectors", "sectoralindustry", "sectors"),
        ("seeking_emerging", "seeking_emerging", "emergingindustry", "emerging"),
        ("seeking_ecosystems", "seeking_ecosystems", "ecosystem", "ecosystems"),
        ("seeking_value_chain", "seeking_positions", "valuechainposition", "positions"),
    )
    links = 0
    for relation, attribute, column, vocabulary in relations:
        lookup = pk_of[vocabulary]
        rows = [
            (pk, lookup[slug])
            for pk, spec in zip(ids, data.organisations, strict=True)
            for slug in getattr(spec, attribute)
        ]
        insert_rows(getattr(Organisation, relation).through, ("organisation", column), rows)
        links += len(rows)
    rows = [
        (pk, priority_ids[index])
        for pk, spec in zip(ids, data.organisations, strict=True)
        for index in spec.priorities
    ]
    insert_rows(Organisation.s3_priorities.through, ("organisation", "s3priority"), rows)
    links += len(rows)
    rows = [
        (pk, code)
        for pk, spec in zip(ids, data.organisations, strict=True)
        for code in spec.target_countries
    ]
    insert_rows(Organisation.target_countries.through, ("organisation", "country"), rows)
    links += len(rows)

    label_rows = [
        (
            pk,
            label.level,
            label.awarding_body,
            label.assessed_on,
            label.valid_until,
            "",
            "",
            "",
            label.state,
            "",
        )
        for pk, spec in zip(ids, data.organisations, strict=True)
        for label in spec.labels
    ]
    insert_rows(
        Label,
        (
            "organisation",
            "level",
            "awarding_body",
            "assessed_on",
            "valid_until",
            "source_url",
            "certificate",
            "certificate_original_name",
            "state",
            "check_note",
        ),
        label_rows,
    )

    themes = dict(EmergingIndustry.objects.values_list("slug", "pk"))
    partnerships = PlantedPartnership.objects.bulk_create(
        [
            PlantedPartnership(seed=data.seed, name=p.name, theme_id=themes.get(p.theme))
            for p in data.partnerships
        ],
        batch_size=ORGANISATION_BATCH,
    )
    rows = [
        (partnership.pk, ids[index])
        for partnership, spec in zip(partnerships, data.partnerships, strict=True)
        for index in spec.organisations
    ]
    insert_rows(
        PlantedPartnership.organisations.through, ("plantedpartnership", "organisation"), rows
    )
    return {
        "organisations": len(ids),
        "labels": len(label_rows),
        "priorities_created": priorities_created,
        "links": links,
        "partnerships": len(partnerships),
        "planted": len(rows),
    }


def delete_demo_data():
    """Remove what earlier runs made: planted partnerships and demo organisations."""
    PlantedPartnership.objects.all().delete()
    deleted, _counts = Organisation.objects.filter(website__endswith=DEMO_WEBSITE_SUFFIX).delete()
    return deleted


class Command(BaseCommand):
    help = _(
        "Generate realistic demo cluster organisations (deterministic for a seed), with labels, "
        "S3 priorities and planted value-chain partnerships, and write them in bulk."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisations", type=int, default=1200, help=_("How many to generate.")
        )
        parser.add_argument("--seed", type=int, default=2016, help=_("Generator seed."))
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("Do nothing when the database already holds organisations."),
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_("Delete earlier demo organisations and planted partnerships first."),
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = options["organisations"]
        if count < 0:
            raise CommandError(_("The number of organisations cannot be negative."))
        if reference_data_missing():
            self.stdout.write(_("Reference tables are empty: loading the reference data first."))
            load_reference_data()
        if options["if_empty"] and Organisation.objects.exists():
            self.stdout.write(_("Organisations already exist: nothing to do."))
            self._finish(0, started)
            return

        taxonomies = taxonomies_from_db()
        data = generate_demo(
            taxonomies, organisations=count, seed=options["seed"], today=timezone.localdate()
        )
        generated = time.perf_counter()
        with transaction.atomic():
            deleted = delete_demo_data() if options["replace"] else 0
            written = write_demo(data, now=timezone.now())
        bump_directory_version()
        # Bulk writes pass no service: every stored public page goes (names, profiles).
        page_cache.bump(page_cache.ALL)
        finished = time.perf_counter()

        self._summary(data, written, deleted, generated - started, finished - generated)
        self._finish(written["organisations"], started)

    def _summary(self, data, written, deleted, generate_seconds, write_seconds):
        today = timezone.localdate()
        levels = Counter(label.level for spec in data.organisations for label in spec.labels)
        expired = sum(
            1 for spec in data.organisations for label in spec.labels if label.valid_until < today
        )
        states = Counter(spec.validation_state for spec in data.organisations)
        rows = [
            (_("Organisations"), written["organisations"]),
            (_("Countries"), len({spec.country for spec in data.organisations})),
            (_("NUTS-2 regions"), len({spec.region for spec in data.organisations})),
            (_("Verified"), states.get("verified", 0)),
            (_("Pending, draft or rejected"), len(data.organisations) - states.get("verified", 0)),
            (_("Bronze labels"), levels.get("bronze", 0)),
            (_("Silver labels"), levels.get("silver", 0)),
            (_("Gold labels"), levels.get("gold", 0)),
            (_("Expired labels"), expired),
            (_("S3 priorities (new)"), written["priorities_created"]),
            (_("Taxonomy links"), written["links"]),
            (_("Planted partnerships"), written["partnerships"]),
            (_("Organisations in them"), written["planted"]),
            (_("Earlier demo rows deleted"), deleted),
            (_("Generating (s)"), f"{generate_seconds:.1f}"),
            (_("Writing (s)"), f"{write_seconds:.1f}"),
        ]
        width = max(len(label) for label, _value in rows) + 2
        header = f"{_('Demo data'):<{width}}{_('Count'):>10}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for label, value in rows:
            self.stdout.write(f"{label:<{width}}{value!s:>10}")

    def _finish(self, count, started):
        seconds = round(time.perf_counter() - started, 2)
        self.stdout.write(json.dumps({"organisations": count, "seconds": seconds}))
