"""Benchmark the matchmaking scorer against a plain NumPy peer on the same features."""

import gc
import json
import time

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _
from scipy import sparse

from matchmaking.enums import DEFAULT_WEIGHT_PROFILES, WeightProfileName
from matchmaking.features import encode
from matchmaking.models import RecommendationRun, WeightProfile
from matchmaking.scoring import (
    MODULATORS,
    PENALTY,
    RELEVANCE_FLOOR,
    THEMATIC,
    top_k,
    validate_weights,
)
from matchmaking.services import rescore_organisations, run_recommendations
from matchmaking.synthetic import generate_profiles, load_taxonomy
from partnerships.models import Organisation


def _dense(side):
    return side.toarray() if sparse.issparse(side) else side


def _side(blocks, weights, scale=1.0):
    left = np.hstack([scale * weights[b.name] * _dense(b.left) for b in blocks])
    right_t = np.hstack([_dense(b.right) for b in blocks]).T
    return left.astype(np.float32), np.ascontiguousarray(right_t, np.float32)


def peer_top_k(encoded, weights, *, k, rows):
    """The plain way: dense products per chunk (relevance, the gated terms, modulation), a
    dense duplicate mask, the relevance floor, argpartition.

    Same features and the same scores (up to float32 rounding) as `top_k`, without its sparse
    products, country terms, candidate pruning, exact rescoring, country cap and threads;
    NumPy's BLAS may still use every core.
    """
    weights = validate_weights(weights)
    shares = sum(weights[name] for name in THEMATIC)
    plain = [b for b in encoded.blocks if b.name in THEMATIC and b.gate is None]
    gated = [b for b in encoded.blocks if b.name in THEMATIC and b.gate is not None]
    left, right_t = _side(plain, weights, 1.0 / shares)
    gated_sides = [
        (_side([b], weights, 1.0 / shares), _side([b.gate], dict.fromkeys([b.gate.name], 1.0)))
        for b in gated
    ]
    mod_left, mod_right_t = _side([b for b in encoded.blocks if b.name in MODULATORS], weights)
    sectors = encoded.sector_cosine.astype(np.float32)
    best = np.empty((len(rows), k), dtype=np.int64)
    chunk = max(8, (1 << 23) // encoded.size)
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        relevance = left[part] @ right_t
        for (term_left, term_right_t), (gate_left, gate_right_t) in gated_sides:
            relevance += (term_left[part] @ term_right_t) * (gate_left[part] @ gate_right_t)
        block = relevance * (1 + mod_left[part] @ mod_right_t)
        same_region = encoded.region[part, None] == encoded.region[None, :]
        block *= 1 - weights[PENALTY] * same_region * (sectors[part] @ sectors.T)
        block[relevance < RELEVANCE_FLOOR] = -np.inf
        block[np.arange(len(part)), part] = -np.inf
        top = np.argpartition(-block, k, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(block, top, axis=1), axis=1, kind="stable")
        best[start : start + len(part)] = np.take_along_axis(top, order, axis=1)
    return best


class Command(BaseCommand):
    help = _("Time the matchmaking scorer against a plain NumPy peer on synthetic profiles.")

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=10_000)
        parser.add_argument("--k", type=int, default=20)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--profile", choices=WeightProfileName.values, default=WeightProfileName.DEFAULT
        )
        parser.add_argument(
            "--peer-rows",
            type=int,
            default=2048,
            help=_("Rows the peer scores against all organisations (its cost is per pair)."),
        )
        parser.add_argument(
            "--refreshes",
            type=int,
            default=20,
            help=_(
                "Single changed organisations re-scored after the full run, when the database "
                "holds exactly N organisations (a refresh always scores against all of them)."
            ),
        )

    def handle(
        self, *args, organisations, k, workers, seed, profile, peer_rows, refreshes, **options
    ):
        if organisations < 2:
            raise CommandError(_("At least two organisations are needed."))
        weights = dict(DEFAULT_WEIGHT_PROFILES[profile])
        taxonomy = load_taxonomy()

        started = time.perf_counter()
        profiles = generate_profiles(organisations, seed=seed, taxonomy=taxonomy)
        generated = time.perf_counter()
        encoded = encode(profiles, taxonomy)
        encoded_at = time.perf_counter()
        top_k(encoded, weights, k=k, workers=workers)
        scored = time.perf_counter()
        pairs_per_s = organisations * (organisations - 1) / (scored - encoded_at)

        rows = np.arange(min(peer_rows, organisations))
        peer_started = time.perf_counter()
        peer_top_k(encoded, weights, k=min(k, organisations - 1), rows=rows)
        peer_pairs_per_s = len(rows) * (organisations - 1) / (time.perf_counter() - peer_started)

        self.stdout.write(
            _("generate %(g).2f s, encode %(e).2f s, score and top-%(k)d %(s).2f s")
            % {
                "g": generated - started,
                "e": encoded_at - generated,
                "k": k,
                "s": scored - encoded_at,
            }
        )
        self.stdout.write(
            _("ours %(ours).3g pairs/s; peer %(peer).3g pairs/s over %(rows)d rows")
            % {"ours": pairs_per_s, "peer": peer_pairs_per_s, "rows": len(rows)}
        )
        # The synthetic set is not part of a run: a real worker starts without it, and its
        # gigabytes would only slow the run's allocations and garbage collection.
        del profiles, encoded
        gc.collect()
        end_to_end, refresh_times = self.end_to_end(organisations, profile, k, workers, refreshes)
        summary = {
            "organisations": organisations,
            "pairs_per_s": round(pairs_per_s),
            "peer_pairs_per_s": round(peer_pairs_per_s),
            "ratio": round(pairs_per_s / peer_pairs_per_s, 2),
            "end_to_end_s": None if end_to_end is None else round(end_to_end, 2),
            "refresh_p95_s": (
                round(float(np.percentile(refresh_times, 95)), 2) if refresh_times else None
            ),
        }
        self.stdout.write(json.dumps(summary))

    def end_to_end(self, organisations, profile, k, workers, refreshes):
        """Seconds for a full run over the first N organisations of the database (or None), and
        the seconds of each incremental refresh after it.

        Load, encode, score and write to PostgreSQL, as `run_recommendations` does it; then, if
        the database holds just these organisations, `refreshes` single organisations re-scored
        as after a profile edit. The runs are deleted afterwards so that benchmarking leaves no
        recommendations behind.
        """
        if connection.vendor != "postgresql":
            self.stdout.write(_("end-to-end: skipped, the database is not PostgreSQL."))
            return None, []
        ids = Organisation.objects.order_by("id").values_list("id", flat=True)
        cutoff = ids[organisations - 1 : organisations].first()
        weight_profile = WeightProfile.objects.filter(slug=profile).first()
        if cutoff is None or weight_profile is None:
            self.stdout.write(
                _("end-to-end: skipped, the database holds fewer than %(n)d organisations.")
                % {"n": organisations}
            )
            return None, []
        started = time.perf_counter()
        run = run_recommendations(
            weight_profile,
            k=k,
            workers=workers,
            organisations=Organisation.objects.filter(id__lte=cutoff),
        )
        elapsed = time.perf_counter() - started
        written = run.recommendations.count()
        self.stdout.write(
            _("end-to-end: %(s).2f s for %(n)d organisations, %(rows)d recommendations written")
            % {"s": elapsed, "n": organisations, "rows": written}
        )
        refresh_times = []
        if refreshes > 0 and len(ids) == organisations:
            # Evenly spread over the ids, so that the same organisations are timed every time.
            for pk in list(ids)[:: max(1, organisations // refreshes)][:refreshes]:
                refresh_started = time.perf_counter()
                rescore_organisations([pk], profile=weight_profile, k=k)
                refresh_times.append(time.perf_counter() - refresh_started)
            self.stdout.write(
                _("incremental refresh of one organisation: p50 %(p50).2f s, p95 %(p95).2f s")
                % {
                    "p50": float(np.percentile(refresh_times, 50)),
                    "p95": float(np.percentile(refresh_times, 95)),
                }
            )
        RecommendationRun.objects.filter(pk__gte=run.pk, profile=weight_profile).delete()
        return elapsed, refresh_times
