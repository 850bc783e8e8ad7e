"""Synthetic organisation profiles over the shipped taxonomies, for benchmarks and tests.

Pure: reads the reference JSON files of partnerships/data and NumPy's seeded generator, no
database. The distributions follow the field's public figures (see the domain reference):
countries weighted by population, log-normal membership with a median near 90, 1-3 sectors,
0-2 emerging industries, 1-2 ecosystems, most organisations unlabelled. Two in five say what
they seek (a sector linked to one of theirs, an emerging industry, a neighbouring value-chain
position); those draws come from a generator of their own, so every other field is the same as
before they existed.
"""

import json
from pathlib import Path

import numpy as np

from matchmaking.features import OrganisationProfile, Taxonomy

DATA_DIR = Path(__file__).resolve().parent.parent / "partnerships" / "data"
# Label shares: unlabelled, then roughly the 871 : 57 : 78 bronze/silver/gold count.
LABEL_SHARES = (0.58, 0.42 * 871 / 1006, 0.42 * 57 / 1006, 0.42 * 78 / 1006)
SEEKING_SHARE = 0.4
# Added to the seed for the generator of the seeking fields.
SEEKING_STREAM = 104_729
GENERIC_WORDS = [
    "cluster",
    "innovation",
    "members",
    "companies",
    "research",
    "network",
    "support",
    "services",
    "regional",
    "european",
    "partners",
    "projects",
    "internationalisation",
    "skills",
    "training",
    "sustainability",
    "digital",
    "growth",
    "smes",
    "cooperation",
    "competitiveness",
    "technology",
    "value",
    "chain",
    "excellence",
]


def _load(name):
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def load_taxonomy():
    """The shipped taxonomies as a `Taxonomy` (NUTS-2 regions only)."""
    sectors = _load("sectoral_industries")
    emerging = _load("emerging_industries")
    ecosystems = _load("ecosystems")
    chain = sorted(_load("value_chain_positions"), key=lambda item: item["order"])

    def links(groups):
        mapping = {}
        for group in groups:
            for sector in group.get("sectoral_industries", ()):
                mapping.setdefault(sector, set()).add(group["slug"])
        return {sector: frozenset(slugs) for sector, slugs in mapping.items()}

    return Taxonomy(
        sectors=tuple(item["slug"] for item in sectors),
        emerging=tuple(item["slug"] for item in emerging),
        ecosystems=tuple(item["slug"] for item in ecosystems),
        value_chain=tuple(item["slug"] for item in chain),
        objectives=tuple(item["slug"] for item in _load("policy_objectives")),
        countries=tuple(item["code"] for item in _load("countries")),
        regions=tuple(item["code"] for item in _load("regions") if item["level"] == 2),
        sector_emerging=links(emerging),
        sector_ecosystems=links(ecosystems),
        service_positions=frozenset(item["slug"] for item in chain if item.get("is_service")),
    )


def _sector_words(taxonomy):
    words = {}
    for item in _load("sectoral_industries"):
        text = f"{item['name']} {item.get('description', '')}".lower()
        words[item["slug"]] = [w.strip(".,;:()") for w in text.split() if len(w) > 3]
    return words


def generate_profiles(n, *, seed=0, taxonomy=None):
    """`n` reproducible profiles; the same seed always gives the same list."""
    taxonomy = taxonomy or load_taxonomy()
    rng = np.random.default_rng(seed)
    countries = _load("countries")
    regions_by_country = {}
    for region in _load("regions"):
        if region["level"] == 2:
            regions_by_country.setdefault(region["country"], []).append(region["code"])
    countries = [c for c in countries if regions_by_country.get(c["code"])]
    population = np.array([max(c["population"], 1) for c in countries], dtype=float)
    country_codes = [c["code"] for c in countries]
    words = _sector_words(taxonomy)

    def pick(items, low, high):
        count = int(rng.integers(low, high + 1))
        return frozenset(rng.choice(items, size=min(count, len(items)), replace=False).tolist())

    seeking_rng = np.random.default_rng(seed + SEEKING_STREAM)
    linked = {
        sector: sorted(
            {
                other
                for other in taxonomy.sectors
                if other != sector and taxonomy.bridges(sector) & taxonomy.bridges(other)
            }
        )
        for sector in taxonomy.sectors
    }
    profiles = []
    country_draws = rng.choice(len(countries), size=n, p=population / population.sum())
    for identifier in range(n):
        country = country_codes[country_draws[identifier]]
        sectors = pick(taxonomy.sectors, 1, 3)
        # Declared emerging industries and ecosystems mostly follow the sectors.
        emerging_pool = sorted(
            set().union(*(taxonomy.sector_emerging.get(s, ()) for s in sectors))
            or set(taxonomy.emerging)
        )
        ecosystem_pool = sorted(
            set().union(*(taxonomy.sector_ecosystems.get(s, ()) for s in sectors))
            or set(taxonomy.ecosystems)
        )
        vocabulary = [w for s in sorted(sectors) for w in words[s]] + GENERIC_WORDS
        text = " ".join(rng.choice(vocabulary, size=int(rng.integers(12, 40))).tolist())
        seeking = _seeking(seeking_rng, taxonomy, sectors, linked)
        profiles.append(
            OrganisationProfile(
                id=identifier + 1,
                country=country,
                region=str(rng.choice(regions_by_country[country])),
                sectors=sectors,
                emerging=pick(emerging_pool, 0, 2),
                ecosystems=pick(ecosystem_pool, 1, 2),
                value_chain=pick(taxonomy.value_chain, 1, 3),
                objectives=pick(taxonomy.objectives, 0, 3),
                target_countries=pick(country_codes, 0, 4) - {country},
                members=int(np.clip(rng.lognormal(np.log(90), 0.8), 15, 500)),
                label_rank=int(rng.choice(4, p=LABEL_SHARES)),
                text=text,
                **seeking,
            )
        )
    return profiles


def _seeking(rng, taxonomy, sectors, linked):
    """What an organisation seeks: nothing for most, else a few slugs near its own themes."""
    if rng.random() >= SEEKING_SHARE:
        return {}
    pool = sorted({other for sector in sectors for other in linked[sector]})
    emerging = sorted(set().union(*(taxonomy.sector_emerging.get(s, ()) for s in sectors)))
    chain = [slug for slug in taxonomy.value_chain if slug not in taxonomy.service_positions]

    def some(items, high):
        if not items:
            return frozenset()
        count = int(rng.integers(0, high + 1))
        return frozenset(rng.choice(items, size=min(count, len(items)), replace=False).tolist())

    return {
        "seeking_sectors": some(pool, 2),
        "seeking_emerging": some(emerging, 1),
        "seeking_value_chain": some(chain, 1),
    }
