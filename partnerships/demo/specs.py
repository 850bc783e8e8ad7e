"""The plain-data shapes the demo generator reads and returns, and small text helpers."""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from partnerships.enums import (
    LabelState,
)

from .words import ENGINEERING, SECTOR_WORDS, SectorWords


@dataclass(frozen=True)
class RegionInfo:
    code: str
    name: str
    country: str
    places: tuple = ()  # names of the NUTS-3 regions inside, used as cities


@dataclass(frozen=True)
class TaxonInfo:
    slug: str
    name: str
    sectors: tuple = ()  # for emerging industries and ecosystems: slugs of their sectors
    service: bool = False  # for value-chain positions: a service position beside the chain


@dataclass(frozen=True)
class Taxonomies:
    countries: tuple
    regions: tuple  # NUTS-2 only
    sectors: tuple
    emerging: tuple
    ecosystems: tuple
    positions: tuple  # in value-chain order
    objectives: tuple


@dataclass(frozen=True)
class LabelSpec:
    level: str
    awarding_body: str
    assessed_on: dt.date
    valid_until: dt.date
    # Staff have checked most demo labels; the rest wait on the validation page as declared.
    state: str = LabelState.VERIFIED


@dataclass(frozen=True)
class PrioritySpec:
    region: str
    title: str
    description: str
    economic_domain: str
    scientific_domain: str
    objective: str


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    acronym: str
    type: str
    country: str
    region: str
    city: str
    website: str
    contact_email: str
    year_established: int
    description: str
    keywords: str
    staff_fte: float
    members: tuple  # in MemberType order
    member_employees: int
    validation_state: str
    rejection_reason: str
    sectors: tuple
    emerging: tuple
    ecosystems: tuple
    positions: tuple
    priorities: tuple  # indexes into DemoData.priorities
    target_countries: tuple
    labels: tuple = ()
    objectives: tuple = ()  # S3 policy objectives declared by the organisation itself
    seeking_sectors: tuple = ()
    seeking_emerging: tuple = ()
    seeking_ecosystems: tuple = ()
    seeking_positions: tuple = ()


@dataclass(frozen=True)
class PartnershipSpec:
    name: str
    theme: str
    organisations: tuple  # indexes into DemoData.organisations


@dataclass
class DemoData:
    seed: int
    organisations: list = field(default_factory=list)
    priorities: list = field(default_factory=list)
    partnerships: list = field(default_factory=list)


def slugify(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def sector_words(sector):
    """The vocabulary of a sector, or one made from its name when we have none."""
    words = SECTOR_WORDS.get(slugify(sector.name)) or SECTOR_WORDS.get(sector.slug)
    if words is not None:
        return words
    parts = [p.strip() for p in re.split(r",| and ", sector.name.lower()) if p.strip()]
    stem = sector.name.split(" ")[0].capitalize()
    return SectorWords((stem,), tuple(parts) or (sector.name.lower(),), "", ENGINEERING, "")


def short_place(name):
    """ "Berlin, Kreisfreie Stadt" -> "Berlin"; "Île-de-France (FR10)" -> "Île-de-France"."""
    name = re.split(r"[,(/]", name)[0].strip()
    for prefix in ("Landkreis ", "Region ", "Provincia di ", "Province of "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name or "Europe"


def _plus_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _find(items, fragment, fallback_index):
    if fragment:
        for item in items:
            if fragment in item.slug or fragment in item.name.lower():
                return item.slug
    return items[fallback_index % len(items)].slug
