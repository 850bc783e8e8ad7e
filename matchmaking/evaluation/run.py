"""One evaluation run: every figure of `eval_matching`, for one weight profile and seed.

Pure: generated and shipped data only, no database. Four data sets, none of which tuned a
weight:

1. planted partnerships in a generated population (recall@k), once with every signal at its
   usual presence and once per signal with that signal removed; the run without target
   countries is `weak geography`: planted partners name each other's countries no more often
   than anyone else does;
2. hand-graded cases from the brief's do's and don'ts (pass rate), inserted into the same
   generated population so that each wanted partner has to beat thousands of others;
3. members of real European cluster partnerships from public records (recall@k: given one
   member, are the others in its list?);
4. exposure over every organisation's list: coverage, the Gini of appearances, the largest
   single-country share of a list, the share of listed partners that share no theme, and the
   gaming test (ordinary organisations that declare every country a target).

The old second metric, "a complementary partner ranks above a same-region same-sector near-
duplicate", is gone: it compared planted partners sharing every signal with organisations the
near-duplicate penalty had already pushed down, so it held for every weight set tried. The
held-out cases put the same preference to a test that can fail (the clone is as attractive as
the partner on every other count), and `unrelated_share` measures what a manager sees first.
"""

import time
from dataclasses import dataclass, field

import numpy as np

from matchmaking.evaluation import metrics
from matchmaking.evaluation.populations import (
    SIGNALS,
    base_population,
    plant,
    replace,
    supports_seeking,
)
from matchmaking.evaluation.records import (
    insert_cases,
    insert_consortia,
    load_data,
    regions_by_country,
)
from matchmaking.evaluation.scorers import Population, ablations, baselines, engine
from matchmaking.scoring import COMPONENTS
from matchmaking.synthetic import load_taxonomy

HELD_OUT_FILE = "held_out_cases.json"
CONSORTIA_FILE = "escp_consortia.json"
GROUPS_PER_ORGANISATION = 0.01
MIN_GROUPS = 20
GAMERS = 10
QUICK_GAMERS = 3


@dataclass
class Evaluation:
    k: int
    organisations: int
    # scorer name -> recall on the planted set with every signal at its usual presence.
    recall: dict
    # signal -> scorer name -> recall with that signal removed; None where profiles cannot
    # express the signal.
    weakened: dict
    planted_members: int
    # scorer name -> pass rate; the engine's failed case names.
    held_out: dict
    held_out_failed: list
    held_out_cases: int
    # scorer name -> recall of the fellow members of real consortia.
    consortia: dict
    consortia_count: int
    consortia_members: int
    # (short name, members, membership inferred, engine recall, theme-Jaccard recall).
    consortia_detail: list
    # ablation name -> {"recall", "weak_geography", "held_out"}: the engine without one part.
    ablations: dict
    coverage: float
    gini: float
    largest_country_share: float
    largest_country_share_max: float
    unrelated_share: dict
    # (organisation id, country, appearances before, after) for each gaming organisation.
    gamers: list
    gaming_growth: float | None
    seconds: float = 0.0
    notes: list = field(default_factory=list)

    @property
    def weak_geography(self):
        return self.weakened["target_countries"]


def recall_of(scorers, population, fellows, k):
    rows = np.array(sorted(fellows), dtype=np.int64)
    relevant = [fellows[row] for row in rows]
    return {
        name: metrics.recall(score(population, rows, k), relevant)
        for name, score in scorers.items()
    }


def relatedness(population):
    """f(sources, partners) -> whether each pair shares a theme: the same or a linked sector
    (one emerging industry or ecosystem holds both), a declared emerging industry, or a sector
    or emerging industry one of them says it seeks in the other."""
    taxonomy = population.taxonomy
    sector = {slug: k for k, slug in enumerate(taxonomy.sectors)}
    emerging = {slug: k for k, slug in enumerate(taxonomy.emerging)}

    def hot(sets, index):
        matrix = np.zeros((population.size, len(index)), dtype=np.float32)
        for row, items in enumerate(sets):
            for item in items:
                if item in index:
                    matrix[row, index[item]] = 1.0
        return matrix

    profiles = population.profiles
    sectors = hot([p.sectors for p in profiles], sector)
    declared = hot([p.emerging for p in profiles], emerging)
    sought_sectors = hot([getattr(p, "seeking_sectors", ()) for p in profiles], sector)
    sought_emerging = hot([getattr(p, "seeking_emerging", ()) for p in profiles], emerging)
    near = sectors @ (taxonomy.sector_link_matrix() + np.eye(len(sector))).astype(np.float32)

    def related(sources, partners):
        def meets(left, right):
            return np.einsum("ij,ij->i", left[sources], right[partners]) > 0

        return (
            meets(near, sectors)
            | meets(declared, declared)
            | meets(sought_sectors, sectors)
            | meets(sectors, sought_sectors)
            | meets(sought_emerging, declared)
            | meets(declared, sought_emerging)
        )

    return related


def evaluate(weights, *, organisations=10_000, seed=2016, k=20, quick=False):
    """Every figure for `weights` (a dict component -> weight) on populations of this size."""
    started = time.perf_counter()
    taxonomy = load_taxonomy()
    regions = regions_by_country()
    groups = max(MIN_GROUPS, int(organisations * GROUPS_PER_ORGANISATION))
    notes = []
    scorers = {"engine": engine(weights), **baselines(weights, seed)}
    variants = ablations(weights)
    base = base_population(organisations, seed=seed, taxonomy=taxonomy)

    planted = plant(base, taxonomy, groups=groups, seed=seed)
    population = Population.build(planted.profiles, taxonomy)
    unseen = sorted(set(COMPONENTS) - {block.name for block in population.encoded.blocks})
    if unseen:
        # The geography-only baseline sums the encoded blocks by name.
        notes.append(f"no encoded block for {', '.join(unseen)}: the baselines leave it out")
    fellows = planted.fellows()
    recall = recall_of(scorers, population, fellows, k)

    weakened, ablated_weak = {}, dict.fromkeys(variants)
    for signal in SIGNALS:
        if signal == "seeking" and not supports_seeking():
            weakened[signal] = None
            notes.append("seeking: organisation profiles have no seeking fields yet")
            continue
        variant = plant(base, taxonomy, groups=groups, seed=seed, presence={signal: 0.0})
        variant_population = Population.build(variant.profiles, taxonomy)
        weakened[signal] = recall_of(scorers, variant_population, variant.fellows(), k)
        if signal == "target_countries":
            ablated_weak = recall_of(variants, variant_population, variant.fellows(), k)
    ablated = recall_of(variants, population, fellows, k)

    cases = load_data(HELD_OUT_FILE)["cases"]
    consortia = load_data(CONSORTIA_FILE)["consortia"]
    with_cases, inserted = insert_cases(base, cases, regions=regions)
    with_records, members = insert_consortia(with_cases, consortia, regions=regions)
    held_population = Population.build(with_records, taxonomy)
    sources = np.array([case.source for case in inserted], dtype=np.int64)
    held_out, failed = {}, []
    for name, score in (scorers | variants).items():
        lists = score(held_population, sources, k)
        passed = [
            metrics.case_passes(listed, case.must_include, case.must_rank_below)
            for listed, case in zip(lists, inserted, strict=True)
        ]
        held_out[name] = float(np.mean(passed))
        if name == "engine":
            failed = [
                f"{case.name} ({why_failed(listed, case)})"
                for listed, case, ok in zip(lists, inserted, passed, strict=True)
                if not ok
            ]
    consortium_fellows = {}
    for rows in members:
        for row in rows:
            consortium_fellows.setdefault(row, set()).update(o for o in rows if o != row)
    consortium_recall = recall_of(
        scorers,
        held_population,
        {row: sorted(others) for row, others in consortium_fellows.items()},
        k,
    )
    by_consortium = []
    for consortium, rows in zip(consortia, members, strict=True):
        rows = np.array(rows, dtype=np.int64)
        relevant = [[o for o in rows if o != row] for row in rows]
        by_consortium.append(
            (
                consortium["name"].split(" - ")[0],
                len(rows),
                consortium["inferred"],
                *(
                    metrics.recall(scorers[name](held_population, rows, k), relevant)
                    for name in ("engine", "jaccard")
                ),
            )
        )

    everyone = np.arange(population.size)
    lists = scorers["engine"](population, everyone, k)
    shares = metrics.country_shares(lists, population.country)
    related = relatedness(population)
    listed_rows, listed_at = np.nonzero(lists >= 0)
    sample = np.random.default_rng([seed, 5]).choice(
        population.size, size=min(1000, population.size), replace=False
    )
    random_lists = scorers["random"](population, sample, k)
    random_rows, random_at = np.nonzero(random_lists >= 0)
    unrelated = {
        "engine": metrics.unrelated_share(listed_rows, lists[listed_rows, listed_at], related),
        "random": metrics.unrelated_share(
            sample[random_rows], random_lists[random_rows, random_at], related
        ),
    }

    before = metrics.appearances(lists, population.size)
    gamers = choose_gamers(before, planted, seed=seed, count=QUICK_GAMERS if quick else GAMERS)
    every_country = frozenset(taxonomy.countries)
    gamed = list(population.profiles)
    for row in gamers:
        gamed[row] = replace(gamed[row], target_countries=every_country - {gamed[row].country})
    gamed_population = Population.build(gamed, taxonomy)
    # The gamers game together (one run instead of one each), so only places in the lists of
    # everyone else count: all of them declaring every country must not make them list each
    # other and inflate their own growth.
    others = np.setdiff1d(everyone, gamers)
    gamed_before = metrics.appearances(lists[others], population.size)
    after = metrics.appearances(scorers["engine"](gamed_population, others, k), population.size)

    return Evaluation(
        k=k,
        organisations=organisations,
        recall=recall,
        weakened=weakened,
        planted_members=len(fellows),
        held_out=held_out,
        held_out_failed=failed,
        held_out_cases=len(inserted),
        consortia=consortium_recall,
        consortia_count=len(members),
        consortia_members=len(consortium_fellows),
        consortia_detail=by_consortium,
        ablations={
            name: {
                "recall": ablated[name],
                "weak_geography": ablated_weak[name],
                "held_out": held_out.pop(name),
            }
            for name in variants
        },
        coverage=metrics.coverage(lists, population.size),
        gini=metrics.gini(before),
        largest_country_share=float(shares.mean()) if len(shares) else 0.0,
        largest_country_share_max=float(shares.max()) if len(shares) else 0.0,
        unrelated_share=unrelated,
        gamers=[
            (
                population.profiles[row].id,
                population.profiles[row].country,
                gamed_before[row],
                after[row],
            )
            for row in gamers
        ],
        gaming_growth=metrics.growth(gamed_before[gamers], after[gamers]),
        seconds=time.perf_counter() - started,
        notes=notes,
    )


def why_failed(listed, case):
    """What a failed case got wrong, in the case's own names."""
    position = {row: rank for rank, row in enumerate(np.asarray(listed).tolist()) if row >= 0}
    missing = [case.names[row] for row in case.must_include if row not in position]
    if missing:
        return "not listed: " + ", ".join(missing)
    if not case.must_include:
        return "listed: " + ", ".join(case.names[r] for r in case.must_rank_below if r in position)
    worst = max(position[row] for row in case.must_include)
    above = [case.names[r] for r in case.must_rank_below if position.get(r, worst + 1) < worst]
    return "listed above: " + ", ".join(above)


def choose_gamers(appearances, planted, *, seed, count):
    """Ordinary organisations: not planted, in 2 or more lists, between the quartiles of
    appearances, one per country."""
    planted_rows = {row for group in planted.groups for row in group}
    shown = appearances[appearances >= 2]
    if len(shown) == 0:
        return np.zeros(0, dtype=np.int64)
    low, high = np.percentile(shown, [25, 75])
    candidates = [
        row
        for row in np.random.default_rng([seed, 6]).permutation(len(appearances))
        if low <= appearances[row] <= high and appearances[row] >= 2 and row not in planted_rows
    ]
    chosen, countries = [], set()
    for row in candidates:
        country = planted.profiles[row].country
        if country not in countries:
            chosen.append(int(row))
            countries.add(country)
        if len(chosen) == count:
            break
    return np.array(chosen, dtype=np.int64)
