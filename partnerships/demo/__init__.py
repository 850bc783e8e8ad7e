"""A realistic, deterministic demo data set of cluster organisations: the pure core.

Plain Python and NumPy over plain data, no ORM: `generate_demo(taxonomies, organisations=N,
seed=S, today=D)` returns the same `DemoData` for the same arguments, so `seed_demo` can write
it in bulk and the tests can check it without a database.

Realism follows the public figures in the domain reference: countries weighted by population
(EU members far more than EFTA and candidate countries), members log-normal with a median near
90, SMEs the majority, 55-60% of organisations without a label and the labelled ones split like
the 871 Bronze / 57 Silver / 78 Gold of 2016. Each region is strong in a few sectors, so a
region's organisations and its smart-specialisation priorities share a profile.

Organisations also declare S3 policy objectives of their own (their sectors' and themes'), say
what they seek in partners (sectors linked to theirs through an emerging industry, those
themes, neighbouring or service roles in the chain), and service providers (IT, business
services, education) take a service position beside the chain. These fields come from a
random stream of their own, so adding them left every other field of a seed as it was.

Hidden value-chain partnerships are planted on purpose: 3-6 organisations in different
countries, in different sectoral industries that meet in one emerging industry, with a shared
S3 policy objective, one unbroken stretch of value-chain positions, each other's countries as
targets and one joint topic. Matchmaking quality is measured as the recall of those partners.
"""

from .generate import generate_demo
from .specs import (
    DemoData,
    LabelSpec,
    OrganisationSpec,
    PartnershipSpec,
    PrioritySpec,
    RegionInfo,
    TaxonInfo,
    Taxonomies,
    sector_words,
    short_place,
    slugify,
)
from .words import (
    AGRICULTURAL,
    DECLARES_OBJECTIVES_SHARE,
    DESCRIPTION_OPENERS,
    EMPLOYEES_PER_MEMBER,
    ENGINEERING,
    EUCLES_SINCE,
    EXPIRED_LABEL_SHARE,
    EXTRA_SERVICE_SHARE,
    HUMANITIES,
    LABEL_LEVEL_WEIGHTS,
    LABEL_VALIDITY_YEARS,
    LABELLED_SHARE,
    MEDICAL,
    MEMBER_MIX_ALPHA,
    NAME_PATTERNS,
    NATURAL,
    NON_EU_WEIGHT,
    PLANTED_SHARE,
    PRIORITY_PATTERNS,
    REJECTION_REASONS,
    SCIENCE_FIELDS,
    SECTOR_WORDS,
    SEEKS_SHARE,
    SERVICE_SECTORS,
    SOCIAL,
    STATE_SHARES,
    THEME_SECTORS,
    THEME_WORDS,
    TYPE_SHARES,
    WORDS_FILE,
    CountryInfo,
    SectorWords,
)

__all__ = [
    "AGRICULTURAL",
    "CountryInfo",
    "DECLARES_OBJECTIVES_SHARE",
    "DESCRIPTION_OPENERS",
    "DemoData",
    "EMPLOYEES_PER_MEMBER",
    "ENGINEERING",
    "EUCLES_SINCE",
    "EXPIRED_LABEL_SHARE",
    "EXTRA_SERVICE_SHARE",
    "HUMANITIES",
    "LABELLED_SHARE",
    "LABEL_LEVEL_WEIGHTS",
    "LABEL_VALIDITY_YEARS",
    "LabelSpec",
    "MEDICAL",
    "MEMBER_MIX_ALPHA",
    "NAME_PATTERNS",
    "NATURAL",
    "NON_EU_WEIGHT",
    "OrganisationSpec",
    "PLANTED_SHARE",
    "PRIORITY_PATTERNS",
    "PartnershipSpec",
    "PrioritySpec",
    "REJECTION_REASONS",
    "RegionInfo",
    "SCIENCE_FIELDS",
    "SECTOR_WORDS",
    "SEEKS_SHARE",
    "SERVICE_SECTORS",
    "SOCIAL",
    "STATE_SHARES",
    "SectorWords",
    "THEME_SECTORS",
    "THEME_WORDS",
    "TYPE_SHARES",
    "TaxonInfo",
    "Taxonomies",
    "WORDS_FILE",
    "generate_demo",
    "sector_words",
    "short_place",
    "slugify",
]
