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

import datetime as dt
import json
import random
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from partnerships.enums import (
    AwardingBody,
    LabelLevel,
    LabelState,
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
WORDS_FILE = Path(__file__).resolve().parent / "data" / "demo_words.json"
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


class _Context:
    """Lookups derived once from the taxonomies; all orders are sorted, so runs repeat."""

    def _weight(self, code):
        country = self.countries[code]
        return max(country.population, 1) * (1.0 if country.eu_member else NON_EU_WEIGHT)

    def __init__(self, taxonomies):
        t = taxonomies
        self.countries = {c.code: c for c in t.countries}
        self.regions_by_country = {}
        for region in sorted(t.regions, key=lambda r: r.code):
            if region.country in self.countries:
                self.regions_by_country.setdefault(region.country, []).append(region)
        self.country_codes = sorted(self.regions_by_country)
        if not self.country_codes or not t.sectors or not t.positions or not t.objectives:
            raise ValueError("The reference data is missing: load it before generating.")
        weights = np.array([self._weight(c) for c in self.country_codes], dtype=float)
        self.country_p = weights / weights.sum()
        all_codes = sorted(self.countries)
        target_weights = np.array([self._weight(c) for c in all_codes], dtype=float)
        self.target_codes = all_codes
        self.target_cum = np.cumsum(target_weights / target_weights.sum()).tolist()

        self.sectors = sorted(t.sectors, key=lambda s: s.slug)
        self.sector_slugs = [s.slug for s in self.sectors]
        self.words = {s.slug: sector_words(s) for s in self.sectors}
        self.sector_names = {s.slug: s.name for s in self.sectors}
        self.positions = [p for p in t.positions if not p.service]
        self.service_positions = [p.slug for p in t.positions if p.service]
        self.objectives = sorted(t.objectives, key=lambda o: o.slug)
        self.objective_of_sector = {
            slug: _find(self.objectives, self.words[slug].objective, i)
            for i, slug in enumerate(self.sector_slugs)
        }

        by_sector_name = {slugify(s.name): s.slug for s in self.sectors}
        self.themes = []
        self.theme_sectors = {}
        self.theme_words = {}
        self.theme_objective = {}
        self.theme_names = {}
        for i, emerging in enumerate(sorted(t.emerging, key=lambda e: e.slug)):
            members = [s for s in emerging.sectors if s in self.words]
            if not members:
                fallback = THEME_SECTORS.get(slugify(emerging.name), ())
                members = [by_sector_name[s] for s in fallback if s in by_sector_name]
            words, objective = THEME_WORDS.get(
                slugify(emerging.name), ((emerging.name.lower(),), "")
            )
            self.theme_sectors[emerging.slug] = sorted(set(members))
            self.theme_words[emerging.slug] = words
            self.theme_objective[emerging.slug] = _find(self.objectives, objective, i)
            self.theme_names[emerging.slug] = emerging.name
            self.themes.append(emerging.slug)
        self.themes_of_sector = {slug: [] for slug in self.sector_slugs}
        for theme in self.themes:
            for slug in self.theme_sectors[theme]:
                self.themes_of_sector[slug].append(theme)
        self.related = {
            slug: sorted(
                {other for theme in themes for other in self.theme_sectors[theme]} - {slug}
            )
            for slug, themes in self.themes_of_sector.items()
        }
        self.plantable_themes = [th for th in self.themes if len(self.theme_sectors[th]) >= 2]
        self.service_of_sector = {}
        for slug in self.sector_slugs:
            for sector_part, position_part in SERVICE_SECTORS:
                matches = [p for p in self.service_positions if position_part in p]
                if sector_part in slug and matches:
                    self.service_of_sector[slug] = matches[0]
                    break

        self.ecosystems = sorted(t.ecosystems, key=lambda e: e.slug)
        self.ecosystems_of_sector = {slug: [] for slug in self.sector_slugs}
        for ecosystem in self.ecosystems:
            for slug in ecosystem.sectors:
                if slug in self.ecosystems_of_sector:
                    self.ecosystems_of_sector[slug].append(ecosystem.slug)
        if self.ecosystems:
            for i, slug in enumerate(self.sector_slugs):
                if not self.ecosystems_of_sector[slug]:
                    fragment = self.words[slug].ecosystem
                    self.ecosystems_of_sector[slug] = [_find(self.ecosystems, fragment, i)]


def generate_demo(taxonomies, *, organisations, seed, today):
    """Generate `organisations` organisations; the same arguments give the same `DemoData`."""
    ctx = _Context(taxonomies)
    np_rng = np.random.Generator(np.random.PCG64(seed))
    # NumPy draws the columns in bulk; the standard library is faster for single draws.
    rnd = random.Random(seed)
    # The declared objectives, seeking and service positions draw from their own stream.
    extra = random.Random(f"taxonomy-{seed}")
    n = organisations
    data = DemoData(seed=seed)

    strengths = _region_strengths(ctx, rnd)
    groups = _plan_partnerships(ctx, rnd, np_rng, n)
    planted_slots = rnd.sample(range(n), sum(len(g["members"]) for g in groups)) if n else []
    slot_of = {}
    cursor = 0
    for g_index, group in enumerate(groups):
        for m_index in range(len(group["members"])):
            slot_of[planted_slots[cursor]] = (g_index, m_index)
            cursor += 1

    # Columns drawn at once for every organisation: the bulk of the randomness, vectorised.
    country_idx = np_rng.choice(len(ctx.country_codes), size=n, p=ctx.country_p)
    region_pick = np_rng.random(n)
    totals = np.clip(np.rint(np_rng.lognormal(np.log(90), 0.75, n)), 15, 600).astype(int)
    mix = np_rng.dirichlet(MEMBER_MIX_ALPHA, n)
    members = np_rng.multinomial(totals, mix)
    # A cluster has at least two member types; give a one-type cluster one research member
    # (or one SME, when research is the only type).
    single = np.flatnonzero((members > 0).sum(axis=1) < 2)
    only = members[single].argmax(axis=1)
    members[single, only] -= 1
    members[single, np.where(only == 2, 0, 2)] += 1
    per_member = EMPLOYEES_PER_MEMBER * np_rng.lognormal(0.0, 0.5, (n, 5))
    employees = np.rint((members * per_member).sum(axis=1)).astype(np.int64)
    fte = np.round(np.clip(0.5 + np_rng.lognormal(np.log(2.5), 0.7, n), 0.5, 60.0), 1)
    years = (1990 + np.rint(np_rng.beta(2.2, 2.0, n) * 34)).astype(int)
    type_idx = np_rng.choice(len(TYPE_SHARES), size=n, p=[s for _, s in TYPE_SHARES])
    state_idx = np_rng.choice(len(STATE_SHARES), size=n, p=[s for _, s in STATE_SHARES])
    labelled = np_rng.random(n) < LABELLED_SHARE
    label_weights = np.array([w for _, w in LABEL_LEVEL_WEIGHTS], float)
    level_idx = np_rng.choice(3, size=n, p=label_weights / label_weights.sum())
    expired = np_rng.random(n) < EXPIRED_LABEL_SHARE
    label_age = np.where(
        expired,
        np_rng.integers(731, 365 * 9, n),
        np_rng.integers(0, 730, n),
    )

    regions = []
    for i in range(n):
        if i in slot_of:
            g_index, m_index = slot_of[i]
            regions.append(groups[g_index]["members"][m_index]["region"])
        else:
            candidates = ctx.regions_by_country[ctx.country_codes[country_idx[i]]]
            regions.append(
                candidates[_weighted_index(strengths["weights"], candidates, region_pick[i])]
            )

    priority_index = _make_priorities(ctx, rnd, data, strengths, regions, groups, slot_of)

    used_domains = set()
    for i in range(n):
        region = regions[i]
        planted = slot_of.get(i)
        group = groups[planted[0]] if planted else None
        member = group["members"][planted[1]] if planted else None
        kind = TYPE_SHARES[type_idx[i]][0]
        state = ValidationState.VERIFIED if planted else STATE_SHARES[state_idx[i]][0]

        sectors = _sectors(ctx, rnd, strengths, region, member)
        emerging = _emerging(ctx, rnd, sectors, group)
        ecosystems = _ecosystems(ctx, rnd, sectors)
        positions = _positions(ctx, rnd, member)
        priorities = _priorities(rnd, priority_index, region, sectors, ctx, group)
        targets = _targets(ctx, rnd, region.country, group)
        positions = _with_service(ctx, extra, sectors, positions, member)
        declared = _declared_objectives(ctx, extra, sectors, emerging, group)
        seeking = _seeking(ctx, extra, sectors, emerging, ecosystems, positions, group, member)

        place = _place(rnd, region)
        words = ctx.words[sectors[0]]
        name = rnd.choice(NAME_PATTERNS[kind]).format(stem=rnd.choice(words.stems), place=place)
        acronym = _acronym(name)
        domain = _domain(name, region.country, used_domains)
        topics = _topics(ctx, rnd, sectors, emerging, group)
        year = int(years[i])

        labels = ()
        if labelled[i] and state == ValidationState.VERIFIED:
            # Dates count back from the day of the run, so a fresh demo always shows current
            # and expired labels; which organisations hold which level depends on the seed only.
            assessed = max(today - dt.timedelta(days=int(label_age[i])), dt.date(year, 1, 1))
            labels = (
                LabelSpec(
                    level=LABEL_LEVEL_WEIGHTS[level_idx[i]][0],
                    awarding_body=(
                        AwardingBody.ESCA if assessed < EUCLES_SINCE else AwardingBody.EUCLES
                    ),
                    assessed_on=assessed,
                    valid_until=_plus_years(assessed, LABEL_VALIDITY_YEARS),
                    # Every fifth by position, so the random draws (and the demo) stay as they were.
                    state=LabelState.DECLARED if i % 5 == 4 else LabelState.VERIFIED,
                ),
            )

        counts = tuple(int(x) for x in members[i])
        data.organisations.append(
            OrganisationSpec(
                name=name,
                acronym=acronym,
                type=kind,
                country=region.country,
                region=region.code,
                city=place,
                website=f"https://www.{domain}",
                contact_email=f"info@{domain}",
                year_established=year,
                description=_description(
                    ctx, rnd, name, place, year, counts, sectors, emerging, targets, topics, group
                ),
                keywords=", ".join(topics),
                staff_fte=float(fte[i]),
                members=counts,
                member_employees=int(employees[i]),
                validation_state=state,
                rejection_reason=(
                    rnd.choice(REJECTION_REASONS) if state == ValidationState.REJECTED else ""
                ),
                sectors=tuple(sectors),
                emerging=tuple(emerging),
                ecosystems=tuple(ecosystems),
                positions=tuple(positions),
                priorities=tuple(priorities),
                target_countries=tuple(targets),
                labels=labels,
                objectives=tuple(declared),
                **seeking,
            )
        )

    for g_index, group in enumerate(groups):
        indexes = tuple(sorted(i for i, (g, _) in slot_of.items() if g == g_index))
        data.partnerships.append(
            PartnershipSpec(name=group["name"], theme=group["theme"], organisations=indexes)
        )
    return data


def _weighted_index(weights, candidates, u):
    cumulative = 0.0
    total = sum(weights[c.code] for c in candidates)
    for index, candidate in enumerate(candidates):
        cumulative += weights[candidate.code] / total
        if u < cumulative:
            return index
    return len(candidates) - 1


def _region_strengths(ctx, rnd):
    """Each region is strong in 2-4 sectors, and some regions are bigger than others."""
    strong, weights = {}, {}
    for country in ctx.country_codes:
        for region in ctx.regions_by_country[country]:
            strong[region.code] = rnd.sample(
                ctx.sector_slugs, min(rnd.randint(2, 4), len(ctx.sector_slugs))
            )
            weights[region.code] = rnd.lognormvariate(0.0, 0.6)
    return {"strong": strong, "weights": weights}


def _plan_partnerships(ctx, rnd, np_rng, n):
    """Groups of 3-6 organisations in different countries on one cross-sectoral theme."""
    groups = []
    if not ctx.plantable_themes or len(ctx.country_codes) < 3 or n < 30:
        return groups
    target = round(n * PLANTED_SHARE)
    planted = 0
    while planted + 3 <= target:
        size = min(rnd.randint(3, 6), target - planted, len(ctx.country_codes))
        theme = rnd.choice(ctx.plantable_themes)
        countries = np_rng.choice(len(ctx.country_codes), size=size, replace=False, p=ctx.country_p)
        sectors = list(ctx.theme_sectors[theme])
        rnd.shuffle(sectors)
        # A stretch of the chain, research towards after-sales: wrapping around would put
        # after-sales next to research, which are the two ends of a chain, not neighbours.
        start = rnd.randrange(max(len(ctx.positions) - size, 0) + 1)
        topic = rnd.choice(ctx.theme_words[theme])
        members = []
        for m, c_index in enumerate(countries):
            region = rnd.choice(ctx.regions_by_country[ctx.country_codes[int(c_index)]])
            members.append(
                {
                    "region": region,
                    "sector": sectors[m % len(sectors)],
                    "position": ctx.positions[(start + m) % len(ctx.positions)].slug,
                }
            )
        groups.append(
            {
                "theme": theme,
                "objective": ctx.theme_objective[theme],
                # One joint challenge, as a real partnership forms around, rather than every
                # topic of the emerging industry that all its other clusters share too.
                "topics": (topic,),
                "countries": [m["region"].country for m in members],
                "name": f"{topic.capitalize()} partnership {len(groups) + 1}",
                "members": members,
            }
        )
        planted += size
    return groups


def _make_priorities(ctx, rnd, data, strengths, regions, groups, slot_of):
    """3-6 S3 priorities for every region that hosts organisations, from its strong sectors.

    A region hosting a planted partner also gets a priority under that partnership's policy
    objective, so the partners share one. Returns {region code: [(index, sector, objective)]}.
    """
    # One priority per objective is enough for every partner in the region to share it.
    required = {}
    for i, (g_index, _) in slot_of.items():
        group = groups[g_index]
        required.setdefault(regions[i].code, {}).setdefault(group["objective"], group["theme"])
    index = {}
    for code in sorted({r.code for r in regions}):
        strong = strengths["strong"][code]
        wanted = sorted(required.get(code, {}).items())
        count = max(rnd.randint(3, 6), len(wanted))
        titles = set()
        entries = []
        for k in range(count):
            if k < len(wanted):
                objective, theme = wanted[k]
                candidates = [
                    s for s in ctx.theme_sectors[theme] if s in strong
                ] or ctx.theme_sectors[theme]
                sector = rnd.choice(candidates)
                topic = rnd.choice(ctx.theme_words[theme])
            else:
                sector = strong[k % len(strong)]
                objective = ctx.objective_of_sector[sector]
                topic = rnd.choice(ctx.words[sector].topics)
            title = _priority_title(ctx, rnd, sector, topic, titles)
            titles.add(title)
            words = ctx.words[sector]
            data.priorities.append(
                PrioritySpec(
                    region=code,
                    title=title,
                    description=(
                        f"Building on regional strengths in {ctx.sector_names[sector].lower()}, "
                        f"this priority invests in {topic} and "
                        f"{', '.join(words.topics[:3])}."
                    ),
                    economic_domain=ctx.sector_names[sector],
                    scientific_domain=words.science,
                    objective=objective,
                )
            )
            entries.append((len(data.priorities) - 1, sector, objective))
        index[code] = entries
    return index


def _priority_title(ctx, rnd, sector, topic, taken):
    others = [t for t in ctx.words[sector].topics if t != topic] or [topic]
    patterns = list(PRIORITY_PATTERNS)
    rnd.shuffle(patterns)
    for pattern in patterns:
        other = rnd.choice(others)
        title = pattern.format(topic=topic, Topic=topic[:1].upper() + topic[1:], other=other)
        if title not in taken:
            return title
    number = 2
    while f"{title} ({number})" in taken:
        number += 1
    return f"{title} ({number})"


def _sectors(ctx, rnd, strengths, region, member):
    strong = strengths["strong"][region.code]
    if member is not None:
        primary = member["sector"]
    elif rnd.random() < 0.75:
        primary = rnd.choice(strong)
    else:
        primary = rnd.choice(ctx.sector_slugs)
    chosen = [primary]
    extra = rnd.choices((0, 1, 2), weights=(35, 45, 20))[0]
    if member is not None:
        extra = min(extra, 1)
    for _ in range(extra):
        pool = ctx.related[primary] if rnd.random() < 0.6 else strong
        pool = [s for s in pool if s not in chosen]
        if pool:
            chosen.append(rnd.choice(pool))
    return chosen


def _emerging(ctx, rnd, sectors, group):
    candidates = sorted({t for s in sectors for t in ctx.themes_of_sector[s]})
    if group is not None:
        others = [t for t in candidates if t != group["theme"]]
        return [group["theme"]] + ([rnd.choice(others)] if others and rnd.random() < 0.3 else [])
    if not candidates:
        return []
    count = min(rnd.choices((0, 1, 2), weights=(25, 50, 25))[0], len(candidates))
    return rnd.sample(candidates, count)


def _ecosystems(ctx, rnd, sectors):
    candidates = sorted({e for s in sectors for e in ctx.ecosystems_of_sector[s]})
    if not candidates:
        return []
    count = min(rnd.choices((1, 2), weights=(60, 40))[0], len(candidates))
    return rnd.sample(candidates, count)


def _positions(ctx, rnd, member):
    slugs = [p.slug for p in ctx.positions]
    if member is not None:
        # One distinct position each, so the partners complement rather than duplicate.
        return [member["position"]]
    width = rnd.choices((1, 2, 3), weights=(40, 40, 20))[0]
    start = rnd.randrange(len(slugs))
    return slugs[start : start + width]


def _with_service(ctx, rnd, sectors, positions, member):
    """A service provider also holds its service position; planted partners keep their one
    chain position, so the planted stretch of the chain stays what it is."""
    if member is not None or not ctx.service_positions:
        return positions
    service = ctx.service_of_sector.get(sectors[0])
    if service is None and rnd.random() < EXTRA_SERVICE_SHARE:
        service = rnd.choice(ctx.service_positions)
    return positions + [service] if service and service not in positions else positions


def _declared_objectives(ctx, rnd, sectors, emerging, group):
    if group is None and rnd.random() >= DECLARES_OBJECTIVES_SHARE:
        return []
    wanted = [ctx.objective_of_sector[s] for s in sectors] + [
        ctx.theme_objective[t] for t in emerging
    ]
    if group is not None:
        wanted.insert(0, group["objective"])
    chosen = list(dict.fromkeys(wanted))[: rnd.randint(1, 2)]
    return sorted(chosen)


def _seeking(ctx, rnd, sectors, emerging, ecosystems, positions, group, member):
    """What an organisation looks for: sectors that meet its own in an emerging industry,
    those industries, an ecosystem it is in, and roles next to its own in the chain or a
    service. A planted partner seeks its partnership's theme and its partners' sectors."""
    empty = {
        "seeking_sectors": (),
        "seeking_emerging": (),
        "seeking_ecosystems": (),
        "seeking_positions": (),
    }
    if group is None and rnd.random() >= SEEKS_SHARE:
        return empty
    related = sorted({s for own in sectors for s in ctx.related.get(own, ())} - set(sectors))
    sought_sectors = rnd.sample(related, min(len(related), rnd.randint(1, 2)))
    themes = sorted({t for own in sectors for t in ctx.themes_of_sector.get(own, ())})
    sought_themes = list(emerging) or rnd.sample(themes, min(len(themes), 1))
    if group is not None:
        partners = {m["sector"] for m in group["members"]} - {member["sector"]}
        sought_sectors = sorted(partners | set(sought_sectors[:1]))
        sought_themes = [group["theme"]]
    order = {p.slug: k for k, p in enumerate(ctx.positions)}
    held = [order[p] for p in positions if p in order]
    near = {k + step for k in held for step in (-1, 1)} - set(held)
    neighbours = sorted(near & set(range(len(order))))
    sought_positions = [ctx.positions[k].slug for k in neighbours[:2]]
    if ctx.service_positions and rnd.random() < 0.3:
        sought_positions.append(rnd.choice(ctx.service_positions))
    return {
        "seeking_sectors": tuple(sorted(set(sought_sectors) - set(sectors))),
        "seeking_emerging": tuple(sorted(set(sought_themes))),
        "seeking_ecosystems": tuple(ecosystems[:1]) if rnd.random() < 0.4 else (),
        "seeking_positions": tuple(sorted(set(sought_positions) - set(positions))),
    }


def _priorities(rnd, priority_index, region, sectors, ctx, group):
    entries = priority_index.get(region.code, [])
    chosen = []
    if group is not None:
        shared = [e for e in entries if e[2] == group["objective"]]
        chosen.append(shared[0][0])
    matching = [e[0] for e in entries if e[1] in sectors and e[0] not in chosen]
    others = [e[0] for e in entries if e[0] not in chosen and e[0] not in matching]
    count = rnd.choices((0, 1, 2, 3), weights=(20, 35, 30, 15))[0] - len(chosen)
    for _ in range(max(count, 0)):
        pool = matching if matching and rnd.random() < 0.8 else others
        if not pool:
            break
        pick = rnd.choice(pool)
        pool.remove(pick)
        chosen.append(pick)
    return sorted(chosen)


def _targets(ctx, rnd, own, group):
    wanted = rnd.choices((1, 2, 3, 4, 5), weights=(20, 30, 25, 15, 10))[0]
    chosen = [] if group is None else [c for c in group["countries"] if c != own]
    draws = rnd.choices(ctx.target_codes, cum_weights=ctx.target_cum, k=wanted + 3)
    for code in draws:
        if len(chosen) >= wanted + (0 if group is None else len(group["countries"]) - 1):
            break
        if code != own and code not in chosen:
            chosen.append(code)
    return sorted(set(chosen))


def _place(rnd, region):
    if region.places and rnd.random() < 0.6:
        return short_place(rnd.choice(region.places))
    return short_place(region.name)


def _acronym(name):
    letters = "".join(w[0] for w in re.split(r"[\s\-]+", name) if w and w[0].isalnum())
    return slugify(letters).replace("-", "").upper()[:8] or "CL"


def _domain(name, country, used):
    base = slugify(name)[:50].strip("-") or "cluster"
    # Reserved for examples (RFC 2606), so no demo link ever reaches a real site.
    domain = f"{base}.{country.lower()}.example"
    number = 2
    while domain in used:
        domain = f"{base}-{number}.{country.lower()}.example"
        number += 1
    used.add(domain)
    return domain


def _topics(ctx, rnd, sectors, emerging, group):
    topics = []
    for slug in sectors:
        pool = ctx.words[slug].topics
        topics.extend(rnd.sample(pool, min(len(pool), rnd.randint(2, 3))))
    for theme in emerging:
        topics.append(rnd.choice(ctx.theme_words[theme]))
    if group is not None:
        topics.extend(group["topics"])
    seen = []
    for topic in topics:
        if topic not in seen:
            seen.append(topic)
    return seen


def _description(ctx, rnd, name, place, year, counts, sectors, emerging, targets, topics, group):
    smes, large, research = counts[0], counts[1], counts[2]
    opener = rnd.choice(DESCRIPTION_OPENERS).format(
        name=name,
        place=place,
        year=year,
        total=sum(counts),
        smes=smes,
        large=large,
        research=research,
    )
    sector_text = " and ".join(ctx.sector_names[s].lower() for s in sectors)
    parts = [
        opener,
        f"Our members work in {sector_text}, with a focus on {', '.join(topics[:4])}.",
    ]
    if emerging:
        themes = " and ".join(ctx.theme_names[t].lower() for t in emerging)
        parts.append(f"We link these strengths to the emerging {themes} value chains.")
    if group is not None:
        parts.append(
            f"We are looking for partners across Europe in {', '.join(group['topics'])} "
            "to build a new industrial value chain together."
        )
    if targets:
        names = ", ".join(ctx.countries[c].name for c in targets)
        parts.append(f"Internationalisation targets: {names}.")
    return " ".join(parts)
