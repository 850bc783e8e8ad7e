"""Builds the directory's in-memory `FacetIndex` from the database and keeps it fresh.

Each process keeps one index. A cache key, "directory-version", names the data it was built
from: every write that changes what the directory shows sets a new version once its
transaction commits, and the next request in any process (the cache is shared through Redis
in production) rebuilds. An index older than DIRECTORY_INDEX_MAX_AGE seconds is rebuilt too,
as a safety net for writes that bypass the services (a shell, raw SQL).
"""

import datetime as dt
import threading
import time
import uuid

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max

from partnerships.directory import MEMBERS_TOTAL, public_organisations
from partnerships.enums import SIZE_BAND_BOUNDS, LabelLevel, OrganisationType, SizeBand
from partnerships.facets import NO_LABEL, FacetIndex, Links
from partnerships.models import (
    Country,
    Ecosystem,
    EmergingIndustry,
    Label,
    Organisation,
    Region,
    SectoralIndustry,
)
from partnerships.models.localised import (
    TRANSLATED_LANGUAGES,
    active_language,
    localised,
    localised_columns,
)

VERSION_KEY = "directory-version"
# The many-to-many facets: group name, relation on Organisation, its reference model.
LINKED = (
    ("sector", "sectoral_industries", SectoralIndustry),
    ("emerging_industry", "emerging_industries", EmergingIndustry),
    ("ecosystem", "ecosystems", Ecosystem),
)

NAME_COLUMNS = localised_columns("name")

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)

_lock = threading.Lock()
_built = {"version": None, "at": 0.0, "index": None}


def directory_version():
    """The current data version; a cleared or restarted cache simply starts a new one."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_directory_version():
    """Make every process rebuild its index on its next directory request."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def bump_directory_version_on_commit():
    # Before the commit another request could rebuild from the old rows under the new version.
    transaction.on_commit(bump_directory_version)


class LocalisedNames:
    """The index's display names by group, in the language active when a group is read.

    Built once per index for every portal language, so a French and an English request served
    by the same process each read their own names without a query.
    """

    def __init__(self, fixed):
        languages = ("en", *TRANSLATED_LANGUAGES)
        self._by_language = {language: dict(fixed) for language in languages}

    def add(self, group, rows):
        """`rows` maps a value to its name columns (a `.values()` row)."""
        for language, names in self._by_language.items():
            names[group] = {value: localised(row, "name", language) for value, row in rows.items()}

    def __getitem__(self, group):
        language = active_language()
        return self._by_language.get(language, self._by_language["en"])[group]


def _codes(values, vocab):
    positions = {value: code for code, value in enumerate(vocab)}
    return np.fromiter((positions[value] for value in values), dtype=np.int32, count=len(values))


def build_index():
    """Read every verified organisation in a few bulk queries and index it."""
    public = public_organisations()
    # The database's (name, id) order, so the name sort collates exactly as SQL would.
    rows = list(
        public.order_by("name", "id")
        .annotate(members=MEMBERS_TOTAL)
        .values_list(
            "id", "country_id", "region_id", "type", "members", "created_at", "member_employees"
        )
    )
    in_name_order = np.array([row[0] for row in rows], dtype=np.int64)
    order = np.argsort(in_name_order, kind="stable")
    rows = [rows[position] for position in order]
    ids = in_name_order[order]
    # Row k (in id order) was fetched at position order[k] of the name order.
    name_rank = order.astype(np.int64)

    countries = list(Country.objects.order_by("name", "code").values("code", *NAME_COLUMNS))
    regions = list(Region.objects.order_by("name", "code").values_list("code", "name"))
    vocab = {
        "country": [row["code"] for row in countries],
        "region": [code for code, _name in regions],
        "type": list(OrganisationType.values),
        "size": list(SizeBand.values),
        "label_level": list(LabelLevel.values),
    }
    # NUTS names regions in their own languages, which need no translation.
    names = LocalisedNames({"region": dict(regions)})
    names.add("country", {row["code"]: row for row in countries})

    links = {}
    for group, relation, model in LINKED:
        items = list(model.objects.order_by("name", "pk").values("pk", "slug", *NAME_COLUMNS))
        vocab[group] = [item["slug"] for item in items]
        names.add(group, {item["slug"]: item for item in items})
        field = Organisation._meta.get_field(relation)
        through = field.remote_field.through
        target = f"{field.m2m_reverse_field_name()}_id"
        pairs = np.array(
            list(
                through.objects.filter(organisation__in=public.values("pk")).values_list(
                    "organisation_id", target
                )
            ),
            dtype=np.int64,
        ).reshape(-1, 2)
        item_code = {item["pk"]: code for code, item in enumerate(items)}
        links[group] = Links.from_pairs(
            np.searchsorted(ids, pairs[:, 0]),
            np.fromiter((item_code[pk] for pk in pairs[:, 1]), dtype=np.int32, count=len(pairs)),
            size=len(ids),
        )

    label_until = {level: np.full(len(ids), NO_LABEL, dtype=np.int32) for level in LabelLevel}
    latest = (
        Label.objects.filter(organisation__in=public.values("pk"))
        .values_list("organisation_id", "level")
        .annotate(until=Max("valid_until"))
        .order_by()
    )
    for organisation_id, level, until in latest:
        label_until[level][np.searchsorted(ids, organisation_id)] = until.toordinal()

    index = FacetIndex(
        ids=ids,
        country=_codes([row[1] for row in rows], vocab["country"]),
        region=_codes([row[2] for row in rows], vocab["region"]),
        type=_codes([row[3] for row in rows], vocab["type"]),
        members=np.array([row[4] for row in rows], dtype=np.int64),
        member_employees=np.array([row[6] for row in rows], dtype=np.int64),
        created=np.array([(row[5] - EPOCH) // MICROSECOND for row in rows], dtype=np.int64),
        name_rank=name_rank,
        label_until={str(level): until for level, until in label_until.items()},
        links=links,
        vocab=vocab,
        size_bands={str(band): SIZE_BAND_BOUNDS[band] for band in SizeBand},
    )
    return index, names


def directory_index():
    """This process's index and the display names of its values, rebuilt when out of date."""
    version = directory_version()
    max_age = getattr(settings, "DIRECTORY_INDEX_MAX_AGE", 300)
    with _lock:
        fresh = time.monotonic() - _built["at"] < max_age
        if _built["index"] is None or _built["version"] != version or not fresh:
            # Stored under the version read before building: a write meanwhile rebuilds again.
            _built.update(version=version, at=time.monotonic(), index=build_index())
        return _built["index"]
