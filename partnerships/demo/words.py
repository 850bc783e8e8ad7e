"""The demo's vocabulary (read from data/demo_words.json) and its tuning parameters."""

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from partnerships.enums import (
    LabelLevel,
    OrganisationType,
    ValidationState,
)

# Fields of science (Frascati manual), the scientific-domain dimension of Eye@RIS3.
NATURAL = "Natural sciences"


ENGINEERING = "Engineering and technology"


MEDICAL = "Medical and health sciences"


AGRICULTURAL = "Agricultural and veterinary sciences"


SOCIAL = "Social sciences"


HUMANITIES = "Humanities and the arts"


@dataclass(frozen=True)
class SectorWords:
    stems: tuple  # words that fit in an organisation name: "Mobility Valley ..."
    topics: tuple  # lower-case topic words for descriptions, keywords and S3 titles
    objective: str  # a fragment of the matching S3 policy objective's slug or name
    science: str
    ecosystem: str  # a fragment of the matching industrial ecosystem's slug or name


# The word lists (names, topics, text patterns) are data: they live in data/demo_words.json,
# read once at import. The tuning parameters (shares, weights, dates) stay below.
WORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "demo_words.json"


SCIENCE_FIELDS = (NATURAL, ENGINEERING, MEDICAL, AGRICULTURAL, SOCIAL, HUMANITIES)


def _load_words():
    with open(WORDS_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def _sector_words(entry):
    if entry["science"] not in SCIENCE_FIELDS:
        raise ValueError(f"Unknown field of science in {WORDS_FILE.name}: {entry['science']!r}")
    return SectorWords(
        tuple(entry["stems"]),
        tuple(entry["topics"]),
        entry["objective"],
        entry["science"],
        entry["ecosystem"],
    )


_WORDS = _load_words()


# Keyed by the slug of the sector's name, so it does not depend on how the fixtures key them.
SECTOR_WORDS = {slug: _sector_words(entry) for slug, entry in _WORDS["sector_words"].items()}


# Emerging industries by the slug of their name: shared topic words and the S3 objective
# that a partnership on this theme pursues.
THEME_WORDS = {
    slug: (tuple(entry["topics"]), entry["objective"])
    for slug, entry in _WORDS["theme_words"].items()
}


# Used only when the reference data does not say which sectors an emerging industry spans.
THEME_SECTORS = {slug: tuple(sectors) for slug, sectors in _WORDS["theme_sectors"].items()}


REJECTION_REASONS = tuple(_WORDS["rejection_reasons"])


NAME_PATTERNS = {
    OrganisationType(kind): tuple(patterns) for kind, patterns in _WORDS["name_patterns"].items()
}


PRIORITY_PATTERNS = tuple(_WORDS["priority_patterns"])


DESCRIPTION_OPENERS = tuple(_WORDS["description_openers"])


TYPE_SHARES = (
    (OrganisationType.CLUSTER, 0.80),
    (OrganisationType.BUSINESS_NETWORK, 0.07),
    (OrganisationType.TECHNOLOGY_CENTRE, 0.06),
    (OrganisationType.SCIENCE_PARK, 0.04),
    (OrganisationType.OTHER, 0.03),
)


STATE_SHARES = (
    (ValidationState.VERIFIED, 0.90),
    (ValidationState.PENDING, 0.04),
    (ValidationState.DRAFT, 0.04),
    (ValidationState.REJECTED, 0.02),
)


# Bronze : Silver : Gold as counted in 2016; the rest of the organisations hold no label.
LABEL_LEVEL_WEIGHTS = ((LabelLevel.BRONZE, 871), (LabelLevel.SILVER, 57), (LabelLevel.GOLD, 78))


LABELLED_SHARE = 0.47


EXPIRED_LABEL_SHARE = 0.3


EUCLES_SINCE = dt.date(2021, 1, 1)


LABEL_VALIDITY_YEARS = 2


PLANTED_SHARE = 0.10


# Shares of organisations that declare objectives of their own and that say what they seek.
DECLARES_OBJECTIVES_SHARE = 0.6


SEEKS_SHARE = 0.7


# Other organisations that also sell a service (an automotive cluster with a software arm).
EXTRA_SERVICE_SHARE = 0.08


# Which service position a service sector's organisations hold, by fragments of the sector's
# slug and of the position's slug.
SERVICE_SECTORS = (
    ("information-technology", "digital"),
    ("communications", "digital"),
    ("business-services", "engineering"),
    ("education", "knowledge"),
    ("financial", "knowledge"),
    ("marketing-design", "knowledge"),
)


# EFTA and candidate countries take part, but far less than their population suggests.
NON_EU_WEIGHT = 0.2


# Member types in MemberType order: SMEs, large companies, research, public bodies, civil.
MEMBER_MIX_ALPHA = np.array([7.0, 1.2, 1.6, 0.7, 0.3])


# Typical employees in one member organisation of each type.
EMPLOYEES_PER_MEMBER = np.array([35.0, 2500.0, 400.0, 150.0, 20.0])


@dataclass(frozen=True)
class CountryInfo:
    code: str
    name: str
    population: int
    eu_member: bool
