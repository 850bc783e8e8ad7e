"""`generate_demo`: draws organisations, S3 priorities and planted partnerships."""

import datetime as dt
import random

import numpy as np

from partnerships.enums import (
    AwardingBody,
    LabelState,
    ValidationState,
)

from .context import _Context
from .fields import (
    _acronym,
    _declared_objectives,
    _description,
    _domain,
    _ecosystems,
    _emerging,
    _place,
    _positions,
    _priorities,
    _sectors,
    _seeking,
    _targets,
    _topics,
    _with_service,
)
from .specs import DemoData, LabelSpec, OrganisationSpec, PartnershipSpec, PrioritySpec, _plus_years
from .words import (
    EMPLOYEES_PER_MEMBER,
    EUCLES_SINCE,
    EXPIRED_LABEL_SHARE,
    LABEL_LEVEL_WEIGHTS,
    LABEL_VALIDITY_YEARS,
    LABELLED_SHARE,
    MEMBER_MIX_ALPHA,
    NAME_PATTERNS,
    PLANTED_SHARE,
    PRIORITY_PATTERNS,
    REJECTION_REASONS,
    STATE_SHARES,
    TYPE_SHARES,
)


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
