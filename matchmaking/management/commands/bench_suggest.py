"""Time partner suggestions over synthetic profiles: the pool once, then one lead at a time."""

import json
import time

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from matchmaking.enums import DEFAULT_WEIGHT_PROFILES, WeightProfileName
from matchmaking.suggest import EMERGING, OBJECTIVE, SECTOR, Theme, build_pool, suggest
from matchmaking.synthetic import generate_profiles, load_taxonomy
from partnerships.enums import OrganisationType


class Command(BaseCommand):
    help = _("Time partner suggestions for random leads over synthetic organisation profiles.")

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=100_000)
        parser.add_argument("--leads", type=int, default=20)
        parser.add_argument("--min-partners", type=int, default=4)
        parser.add_argument("--min-countries", type=int, default=5)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--profile",
            choices=WeightProfileName.values,
            default=WeightProfileName.SMART_SPECIALISATION,
        )

    def handle(
        self, *args, organisations, leads, min_partners, min_countries, seed, profile, **options
    ):
        if organisations < 2 or leads < 1:
            raise CommandError(_("At least two organisations and one lead are needed."))
        rng = np.random.default_rng(seed)
        taxonomy = load_taxonomy()
        profiles = generate_profiles(organisations, seed=seed, taxonomy=taxonomy)
        # Most organisations are verified clusters, as in the directory.
        types = rng.choice(
            [OrganisationType.CLUSTER, OrganisationType.BUSINESS_NETWORK, OrganisationType.OTHER],
            size=organisations,
            p=[0.8, 0.15, 0.05],
        ).tolist()
        verified = (rng.random(organisations) < 0.9).tolist()

        started = time.perf_counter()
        pool = build_pool(profiles, taxonomy, types=types, verified=verified)
        built = time.perf_counter() - started

        weights = dict(DEFAULT_WEIGHT_PROFILES[profile])
        timings, sizes = [], []
        for lead in rng.choice(organisations, size=leads, replace=False).tolist():
            themes = [
                Theme(SECTOR, str(rng.choice(taxonomy.sectors))),
                Theme(EMERGING, str(rng.choice(taxonomy.emerging))),
                Theme(OBJECTIVE, str(rng.choice(taxonomy.objectives))),
            ]
            started = time.perf_counter()
            eligible = pool.eligible(
                types=[OrganisationType.CLUSTER, OrganisationType.BUSINESS_NETWORK]
            )
            picks = suggest(
                pool,
                weights,
                lead=lead,
                themes=themes,
                eligible=eligible,
                min_partners=min_partners,
                min_countries=min_countries,
            )
            timings.append(time.perf_counter() - started)
            sizes.append(len(picks))

        self.stdout.write(
            _(
                "pool of %(n)d organisations built in %(b).2f s; suggestions for %(leads)d leads: "
                "median %(median).3f s, max %(max).3f s"
            )
            % {
                "n": organisations,
                "b": built,
                "leads": leads,
                "median": float(np.median(timings)),
                "max": float(np.max(timings)),
            }
        )
        summary = {
            "organisations": organisations,
            "pool_build_s": round(built, 2),
            "leads": leads,
            "suggest_median_s": round(float(np.median(timings)), 3),
            "suggest_max_s": round(float(np.max(timings)), 3),
            "partners_suggested_mean": round(float(np.mean(sizes)), 2),
        }
        self.stdout.write(json.dumps(summary))
