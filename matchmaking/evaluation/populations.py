"""Populations to evaluate on: the benchmark generator's organisations, with planted
partnerships written over some of them (`records` adds organisations written as data).

Pure: profiles in, profiles out; no database. Only TUNING_SEED was used to check weights
(see the README's "Which data tunes, which evaluates").

Planted partnerships do not encode the answer in one field. Each group of 3-5 organisations
in different countries works in one emerging industry; for every member, each signal below is
present with its own probability, and when it is absent the member keeps what the benchmark
generator drew for it, like anyone else:

    themes            one of the industry's sectors (a different one per member where the
                      industry has enough), the industry itself, an ecosystem of that sector
    value_chain       consecutive positions across the group, so members complement each other
    target_countries  the fellow members' countries added to the member's targets
    s3_objectives     one or two objectives shared by the group
    seeking           the fellows' sectors, the industry and the fellows' positions sought
                      (only where `OrganisationProfile` has the seeking fields)
    text              eight words of a ten-word vocabulary of the group's subject

Seeds: weights are checked on TUNING_SEED (`eval_matching --diagnose` reads it by default);
the figures `eval_matching` reports are on another seed (2016), on which no weight was chosen.

Presence is drawn once per (member, signal) from its own stream, so weakening one signal
leaves every other draw as it was: the rows of the weakened-signal table differ in one
signal only.
"""

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matchmaking.features import OrganisationProfile, Taxonomy, tokens
from matchmaking.synthetic import generate_profiles

REFERENCE_DIR = Path(__file__).resolve().parent.parent.parent / "partnerships" / "data"

SIGNALS = ("themes", "value_chain", "target_countries", "s3_objectives", "seeking", "text")
SEEKING_FIELDS = (
    "seeking_sectors",
    "seeking_emerging",
    "seeking_ecosystems",
    "seeking_value_chain",
)
# A planted signal is present this often unless a run says otherwise. Two partners share a
# signal only when both have it (0.8 ** 2 = 0.64 of pairs), so no single signal finds more than
# about two thirds of them; two or more of the five thematic signals are shared by 94% of pairs
# (at 0.6 it would be 59%, which would put a weak-geography recall of 0.8 out of reach of any
# scorer that needs two signals to agree before it lists a partner among thousands).
DEFAULT_PRESENCE = 0.8
# The seed weights may be checked on; never the one eval_matching reports.
TUNING_SEED = 7
GROUP_VOCABULARY = 10
GROUP_WORDS_PER_MEMBER = 8
# Base organisations say what they seek this often (where profiles can say it), so that
# declaring a wish is not in itself the mark of a planted member.
BASE_SEEKING_SHARE = 0.5


def profile_fields():
    return {item.name for item in dataclasses.fields(OrganisationProfile)}


def supports_seeking():
    """Whether `OrganisationProfile` carries what an organisation seeks."""
    return set(SEEKING_FIELDS) <= profile_fields()


def make_profile(**values):
    """An `OrganisationProfile`, leaving out the seeking fields when profiles have none, so the
    same generator runs before and after the scorer reads them."""
    known = profile_fields()
    return OrganisationProfile(**{key: value for key, value in values.items() if key in known})


def replace(profile, **changes):
    known = profile_fields()
    return dataclasses.replace(
        profile, **{key: value for key, value in changes.items() if key in known}
    )


def _reference(name):
    return json.loads((REFERENCE_DIR / f"{name}.json").read_text(encoding="utf-8"))


def sectors_of(taxonomy: Taxonomy, emerging):
    return sorted(s for s, groups in taxonomy.sector_emerging.items() if emerging in groups)


def linked_sectors(taxonomy: Taxonomy, sectors):
    """Sectors other than `sectors` that share an emerging industry or ecosystem with one."""
    bridges = set().union(*(taxonomy.bridges(sector) for sector in sectors)) if sectors else set()
    return sorted(
        other
        for other in taxonomy.sectors
        if other not in sectors and taxonomy.bridges(other) & bridges
    )


def base_population(n, *, seed, taxonomy: Taxonomy):
    """The benchmark generator's n organisations; where profiles can say what they seek, half
    of them seek a sector linked to theirs and perhaps one of their emerging industries."""
    profiles = generate_profiles(n, seed=seed, taxonomy=taxonomy)
    if not supports_seeking():
        return profiles
    rng = np.random.default_rng([seed, 1])
    sought = []
    for profile in profiles:
        if rng.random() >= BASE_SEEKING_SHARE:
            sought.append(profile)
            continue
        linked = linked_sectors(taxonomy, profile.sectors) or list(taxonomy.sectors)
        count = min(int(rng.integers(1, 3)), len(linked))
        emerging = sorted(profile.emerging)
        sought.append(
            replace(
                profile,
                seeking_sectors=frozenset(rng.choice(linked, size=count, replace=False).tolist()),
                seeking_emerging=frozenset(emerging[:1] if rng.random() < 0.5 else ()),
            )
        )
    return sought


@dataclass(frozen=True)
class Planted:
    """A population with planted partnerships: `groups[g]` are the rows of group g."""

    profiles: list
    groups: list

    def fellows(self):
        """Row -> the other rows of its group, for every planted member."""
        return {row: [o for o in group if o != row] for group in self.groups for row in group}


def plant(
    base: Sequence[OrganisationProfile],
    taxonomy: Taxonomy,
    *,
    groups,
    seed,
    presence: Mapping[str, float] | None = None,
):
    """`base` with `groups` planted partnerships written over some of its organisations."""
    presence = dict.fromkeys(SIGNALS, DEFAULT_PRESENCE) | dict(presence or {})
    structure = np.random.default_rng([seed, 2])
    draws = np.random.default_rng([seed, 3])
    descriptions = {item["slug"]: item for item in _reference("emerging_industries")}
    sector_text = {item["slug"]: item for item in _reference("sectoral_industries")}
    industries = [e for e in taxonomy.emerging if len(sectors_of(taxonomy, e)) >= 3]
    profiles = list(base)
    order = structure.permutation(len(profiles))
    taken = 0
    planted_groups = []
    for _ in range(groups):
        size = int(structure.integers(3, 6))
        members, countries = [], set()
        while len(members) < size and taken < len(order):
            row = int(order[taken])
            taken += 1
            if profiles[row].country not in countries:
                members.append(row)
                countries.add(profiles[row].country)
        if len(members) < 3:
            break
        industry = str(structure.choice(industries))
        pool = sectors_of(taxonomy, industry)
        shuffled = structure.permutation(len(pool))
        sectors = [pool[shuffled[m % len(pool)]] for m in range(len(members))]
        start = int(structure.integers(0, max(len(taxonomy.value_chain) - len(members), 0) + 1))
        positions = [
            taxonomy.value_chain[min(start + m, len(taxonomy.value_chain) - 1)]
            for m in range(len(members))
        ]
        objectives = frozenset(
            structure.choice(taxonomy.objectives, size=int(structure.integers(1, 3)), replace=False)
        )
        subject = descriptions[industry]
        words = sorted(
            {
                word
                for text in [subject["name"], subject["description"]]
                + [sector_text[s]["description"] for s in sectors]
                for word in tokens(text)
                if len(word) > 4
            }
        )
        vocabulary = structure.choice(words, size=min(GROUP_VOCABULARY, len(words)), replace=False)
        for m, row in enumerate(members):
            present = {signal: draws.random() < presence[signal] for signal in SIGNALS}
            # Drawn whether or not the text is present, so removing one signal moves no other draw.
            chosen = draws.choice(vocabulary, size=GROUP_WORDS_PER_MEMBER, replace=False)
            others = [o for o in range(len(members)) if o != m]
            profile = profiles[row]
            changes = {}
            if present["themes"]:
                ecosystems = sorted(taxonomy.sector_ecosystems.get(sectors[m], ()))
                changes["sectors"] = frozenset({sectors[m]})
                changes["emerging"] = frozenset({industry})
                if ecosystems:
                    changes["ecosystems"] = frozenset({ecosystems[0]})
            if present["value_chain"]:
                changes["value_chain"] = frozenset({positions[m]})
            if present["target_countries"]:
                fellows = {profiles[members[o]].country for o in others}
                changes["target_countries"] = profile.target_countries | fellows
            if present["s3_objectives"]:
                changes["objectives"] = objectives
            if present["seeking"]:
                changes["seeking_sectors"] = frozenset(sectors[o] for o in others) - {sectors[m]}
                changes["seeking_emerging"] = frozenset({industry})
                changes["seeking_value_chain"] = frozenset(positions[o] for o in others)
            if present["text"]:
                changes["text"] = f"{profile.text} {' '.join(chosen.tolist())}"
            profiles[row] = replace(profile, **changes)
        planted_groups.append(members)
    return Planted(profiles=profiles, groups=planted_groups)
