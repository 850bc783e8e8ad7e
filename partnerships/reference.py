"""Reference taxonomies: build the region file from NUTS, and load every data file into the DB."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from partnerships.country_names import translated_country_name
from partnerships.models import (
    Country,
    Ecosystem,
    EmergingIndustry,
    PolicyObjective,
    Region,
    S3Priority,
    SectoralIndustry,
    ValueChainPosition,
)
from partnerships.models.localised import TRANSLATED_LANGUAGES, localised_columns

DATA_DIR = Path(__file__).resolve().parent / "data"
# In load order: regions need countries, the links of emerging industries and ecosystems
# need sectoral industries.
DATA_FILES = (
    "countries",
    "regions",
    "sectoral_industries",
    "value_chain_positions",
    "policy_objectives",
    "emerging_industries",
    "ecosystems",
    "s3_priorities",
)
TAXONOMY_FILES = (
    "sectoral_industries",
    "value_chain_positions",
    "policy_objectives",
    "emerging_industries",
    "ecosystems",
)
MODELS = {
    "countries": Country,
    "regions": Region,
    "sectoral_industries": SectoralIndustry,
    "value_chain_positions": ValueChainPosition,
    "policy_objectives": PolicyObjective,
    "emerging_industries": EmergingIndustry,
    "ecosystems": Ecosystem,
    "s3_priorities": S3Priority,
}
TAXONOMY_FIELDS = [*localised_columns("name"), "description"]
COUNTRY_FIELDS = ["iso_code", *localised_columns("name"), "eu_member", "population"]
PRIORITY_FIELDS = [
    *localised_columns("title")[1:],
    "description",
    "economic_domain",
    "scientific_domain",
    "policy_objective_id",
]
BATCH_SIZE = 500

# NUTS keeps an "Extra-Regio" pseudo-region (ZZ codes) for territory outside any region, such as
# embassies and the continental shelf. No organisation sits there, and the official counts
# (92 NUTS-1, 244 NUTS-2, 1,165 NUTS-3 for the EU-27) leave them out, so we do too.
EXTRA_REGIO_PREFIX = "Extra-Regio"


def build_region_rows(entries):
    """Turn (code, name, level, country) tuples into region rows with a parent code, parents first.

    A parent is normally the code minus its last character. Northern Ireland's NUTS-3 codes
    (UKN06..UKN16) break that rule, so a missing parent falls back to the only region one level
    up inside the same NUTS-1 region; anything still ambiguous is an error, not a guess.
    """
    regions = {
        code: {"code": code, "name": name.strip(), "level": level, "country": country}
        for code, name, level, country in entries
        if not name.startswith(EXTRA_REGIO_PREFIX)
    }
    for code, row in regions.items():
        if row["level"] == 1:
            row["parent"] = None
            continue
        parent = code[:-1]
        if parent not in regions:
            candidates = [
                other
                for other, other_row in regions.items()
                if other_row["level"] == row["level"] - 1 and other.startswith(code[:3])
            ]
            if len(candidates) != 1:
                raise ValueError(f"No single parent for region {code}: {candidates}")
            parent = candidates[0]
        if regions[parent]["country"] != row["country"]:
            raise ValueError(f"Region {code} and its parent {parent} lie in different countries")
        row["parent"] = parent
    return sorted(regions.values(), key=lambda row: (row["level"], row["code"]))


@dataclass
class LoadResult:
    """What one load did to one taxonomy: rows in the file, and the keys it created or changed."""

    in_file: int = 0
    created_keys: set = field(default_factory=set)
    updated_keys: set = field(default_factory=set)

    @property
    def created(self):
        return len(self.created_keys)

    @property
    def updated(self):
        return len(self.updated_keys)


def read_data_file(name, *, data_dir=DATA_DIR):
    with open(Path(data_dir) / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


def load_reference_data(*, data_dir=DATA_DIR):
    """Create or update every reference taxonomy from the JSON files; return a LoadResult each.

    Safe to run again and again: rows whose values already match are not touched, changed
    values (a renamed sector, a moved region) are restored from the file, and nothing is ever
    deleted, so organisations and S3 priorities keep every row they point at. Links between
    taxonomies (emerging industry or ecosystem to sectoral industry) follow the file exactly.
    """
    data = {name: read_data_file(name, data_dir=data_dir) for name in DATA_FILES}
    for name in TAXONOMY_FILES:
        data[name] = [row | _translations(row, "name") for row in data[name]]
    results = {}
    with transaction.atomic():
        results["countries"] = _sync(
            Country, with_country_names(data["countries"]), key="code", fields=COUNTRY_FIELDS
        )
        results["regions"] = _sync_regions(data["regions"])
        for name in ("sectoral_industries", "value_chain_positions", "policy_objectives"):
            fields = (
                [*TAXONOMY_FIELDS, "order", "is_service"]
                if name == "value_chain_positions"
                else None
            )
            results[name] = _sync(
                MODELS[name], data[name], key="slug", fields=fields or TAXONOMY_FIELDS
            )
        sectors = dict(SectoralIndustry.objects.values_list("slug", "pk"))
        for name in ("emerging_industries", "ecosystems"):
            result = _sync(MODELS[name], data[name], key="slug", fields=TAXONOMY_FIELDS)
            relinked = _sync_sector_links(MODELS[name], data[name], sectors=sectors)
            # A row created in this run got its links as part of being created.
            result.updated_keys |= relinked - result.created_keys
            results[name] = result
        results["s3_priorities"] = _sync_priorities(data["s3_priorities"]["priorities"])
    return results


def with_country_names(rows):
    """The file's countries with their names in our other languages, from ISO 3166."""
    return [
        row
        | {
            f"name_{language}": translated_country_name(row["iso_code"], language)
            for language in TRANSLATED_LANGUAGES
        }
        for row in rows
    ]


def _translations(row, field):
    # A file row without a translation leaves the column empty: the page shows English.
    return {
        f"{field}_{language}": row.get(f"{field}_{language}", "")
        for language in TRANSLATED_LANGUAGES
    }


def _sync_priorities(rows):
    """Regions' S3 priorities from the file, keyed by (region, title) as the table is."""
    objectives = dict(PolicyObjective.objects.values_list("slug", "pk"))
    regions = set(
        Region.objects.filter(code__in={row["region"] for row in rows}).values_list(
            "code", flat=True
        )
    )
    unknown = sorted(
        {row["region"] for row in rows if row["region"] not in regions}
        | {row["policy_objective"] for row in rows if row["policy_objective"] not in objectives}
    )
    if unknown:
        raise ValueError(f"S3 priorities name unknown regions or objectives: {unknown}")
    existing = {
        (priority.region_id, priority.title): priority
        for priority in S3Priority.objects.filter(region_id__in=regions)
    }
    keyed = [
        {
            "key": (row["region"], row["title"]),
            "region_id": row["region"],
            "title": row["title"],
            **_translations(row, "title"),
            "description": row["description"],
            "economic_domain": row["economic_domain"],
            "scientific_domain": row["scientific_domain"],
            "policy_objective_id": objectives[row["policy_objective"]],
        }
        for row in rows
    ]
    to_create, to_update = [], []
    for row in keyed:
        values = {name: row[name] for name in PRIORITY_FIELDS}
        current = existing.get(row["key"])
        if current is None:
            to_create.append(S3Priority(region_id=row["region_id"], title=row["title"], **values))
        elif any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            to_update.append(current)
    S3Priority.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    S3Priority.objects.bulk_update(to_update, PRIORITY_FIELDS, batch_size=BATCH_SIZE)
    return LoadResult(
        in_file=len(rows),
        created_keys={(p.region_id, p.title) for p in to_create},
        updated_keys={(p.region_id, p.title) for p in to_update},
    )


def _sync(model, rows, *, key, fields, existing=None):
    """Insert missing rows and update differing ones in bulk; `rows` hold attribute values."""
    if existing is None:
        existing = model.objects.in_bulk(field_name=key)
    to_create, to_update = [], []
    for row in rows:
        values = {name: row[name] for name in fields}
        current = existing.get(row[key])
        if current is None:
            to_create.append(model(**{key: row[key]}, **values))
        elif any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            to_update.append(current)
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    model.objects.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    return LoadResult(
        in_file=len(rows),
        created_keys={getattr(obj, key) for obj in to_create},
        updated_keys={getattr(obj, key) for obj in to_update},
    )


def _sync_regions(rows):
    # Level by level, so that every parent is in the table before its children arrive.
    existing = Region.objects.in_bulk()
    total = LoadResult()
    for level in (1, 2, 3):
        level_rows = [
            {
                "code": row["code"],
                "name": row["name"],
                "level": row["level"],
                "country_id": row["country"],
                "parent_id": row["parent"],
            }
            for row in rows
            if row["level"] == level
        ]
        result = _sync(
            Region,
            level_rows,
            key="code",
            fields=["name", "level", "country_id", "parent_id"],
            existing=existing,
        )
        total.in_file += result.in_file
        total.created_keys |= result.created_keys
        total.updated_keys |= result.updated_keys
    return total


def _sync_sector_links(model, rows, *, sectors):
    """Make each row's sectoral-industry links equal the file's; return the slugs that changed."""
    unknown = {slug for row in rows for slug in row["sectoral_industries"]} - sectors.keys()
    if unknown:
        raise ValueError(
            f"{model.__name__} links to unknown sectoral industries: {sorted(unknown)}"
        )
    m2m = model._meta.get_field("sectoral_industries")
    through = m2m.remote_field.through
    source, target = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
    owners = dict(
        model.objects.filter(slug__in=[row["slug"] for row in rows]).values_list("slug", "pk")
    )
    wanted = {
        (owners[row["slug"]], sectors[slug]) for row in rows for slug in row["sectoral_industries"]
    }
    present = set(
        through.objects.filter(**{f"{source}__in": owners.values()}).values_list(source, target)
    )
    missing, extra = wanted - present, present - wanted
    through.objects.bulk_create([through(**{source: a, target: b}) for a, b in sorted(missing)])
    for owner_pk, sector_pk in extra:
        through.objects.filter(**{source: owner_pk, target: sector_pk}).delete()
    slug_of = {pk: slug for slug, pk in owners.items()}
    return {slug_of[owner_pk] for owner_pk, _ in missing | extra}
