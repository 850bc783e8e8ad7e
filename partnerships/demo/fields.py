"""The generator's per-organisation draws: sectors, positions, seeking, text."""

import re

from .specs import short_place, slugify
from .words import DECLARES_OBJECTIVES_SHARE, DESCRIPTION_OPENERS, EXTRA_SERVICE_SHARE, SEEKS_SHARE


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
