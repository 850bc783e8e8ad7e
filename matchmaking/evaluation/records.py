"""Organisations written as data: the hand-graded held-out cases and the members of real
cluster partnerships (matchmaking/data), turned into profiles and inserted into a population.

Pure: JSON files in, profiles out; no database.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matchmaking.evaluation.populations import REFERENCE_DIR, make_profile
from matchmaking.features import OrganisationProfile

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def regions_by_country():
    """Country code -> its NUTS-2 region codes, in file order."""
    regions = {}
    for region in json.loads((REFERENCE_DIR / "regions.json").read_text(encoding="utf-8")):
        if region["level"] == 2:
            regions.setdefault(region["country"], []).append(region["code"])
    return regions


def resolve_like(record, named):
    """`like` copies a fellow record of the same case ("source" or a name, already resolved)
    before the record's own fields apply."""
    if "like" not in record:
        return record
    base = {key: value for key, value in named[record["like"]].items() if key != "name"}
    return base | {key: value for key, value in record.items() if key != "like"}


def profile_from_record(record, *, identifier, regions):
    """An organisation written as data (held-out cases, ESCP members) as a profile.

    `region` defaults to the country's first NUTS-2 region, "other" is its second: two
    organisations of one country share a region unless one says otherwise.
    """
    country = record["country"]
    region = record.get("region")
    own = regions.get(country, [f"{country}0"])
    if region is None:
        region = own[0]
    elif region == "other":
        region = own[1 % len(own)]
    seeking = record.get("seeking", {})
    return make_profile(
        id=identifier,
        country=country,
        region=region,
        sectors=frozenset(record.get("sectors", ())),
        emerging=frozenset(record.get("emerging", ())),
        ecosystems=frozenset(record.get("ecosystems", ())),
        value_chain=frozenset(record.get("value_chain", ())),
        objectives=frozenset(record.get("objectives", ())),
        target_countries=frozenset(record.get("targets", ())) - {country},
        members=int(record.get("members", 90)),
        label_rank=int(record.get("label", 0)),
        text=record.get("text", ""),
        seeking_sectors=frozenset(seeking.get("sectors", ())),
        seeking_emerging=frozenset(seeking.get("emerging", ())),
        seeking_ecosystems=frozenset(seeking.get("ecosystems", ())),
        seeking_value_chain=frozenset(seeking.get("value_chain", ())),
    )


def load_data(name):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class HeldOutCase:
    """One hand-graded case, as rows of the population it was inserted into."""

    name: str
    rule: str
    source: int
    must_include: tuple
    must_rank_below: tuple
    # Row -> the name the case gives that organisation.
    names: dict


def insert_cases(profiles: Sequence[OrganisationProfile], cases, *, regions):
    """The population with every case's organisations appended, and the cases as rows."""
    profiles = list(profiles)
    next_id = max((p.id for p in profiles), default=0) + 1
    inserted = []
    for case in cases:
        records = {}
        rows = {}
        for name, record in [("source", case["source"])] + [
            (item["name"], item) for item in case["must_include"] + case["must_rank_below"]
        ]:
            records[name] = resolve_like(record, records)
            profiles.append(profile_from_record(records[name], identifier=next_id, regions=regions))
            rows[name] = len(profiles) - 1
            next_id += 1
        inserted.append(
            HeldOutCase(
                name=case["name"],
                rule=case["rule"],
                source=rows["source"],
                must_include=tuple(rows[item["name"]] for item in case["must_include"]),
                must_rank_below=tuple(rows[item["name"]] for item in case["must_rank_below"]),
                names={row: name for name, row in rows.items()},
            )
        )
    return profiles, inserted


def insert_consortia(profiles: Sequence[OrganisationProfile], consortia, *, regions):
    """The population with every consortium member appended once (a member of two consortia
    is one organisation), and each consortium as its members' rows."""
    profiles = list(profiles)
    next_id = max((p.id for p in profiles), default=0) + 1
    row_of = {}
    groups = []
    for consortium in consortia:
        rows = []
        for member in consortium["members"]:
            if member["name"] not in row_of:
                profiles.append(profile_from_record(member, identifier=next_id, regions=regions))
                row_of[member["name"]] = len(profiles) - 1
                next_id += 1
            rows.append(row_of[member["name"]])
        groups.append(rows)
    return profiles, groups
