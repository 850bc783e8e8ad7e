"""Recall@k of the partnerships seed_demo planted, and where near-duplicates rank."""

import json

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from matchmaking.enums import WeightProfileName
from matchmaking.features import encode
from matchmaking.models import WeightProfile
from matchmaking.queries import scoring_profiles, taxonomy_from_db
from matchmaking.scoring import PENALTY, score_chunk, top_k, total_score
from partnerships.models import PlantedPartnership

ROWS_PER_CHUNK = 64


class Command(BaseCommand):
    help = _(
        "Score the organisations of the planted demo partnerships against everyone and print "
        "recall@k (the share of each member's fellow members found in its top k), and how "
        "same-region same-sector near-duplicates rank against complementary partners."
    )

    def add_arguments(self, parser):
        parser.add_argument("--profile", default=WeightProfileName.DEFAULT)
        parser.add_argument("--k", type=int, default=20)

    def handle(self, *args, **options):
        profile = WeightProfile.objects.filter(slug=options["profile"]).first()
        if profile is None:
            raise CommandError(_("No weight profile with that slug."))
        k = options["k"]
        groups = [
            sorted(ids)
            for ids in (
                list(group.organisations.values_list("pk", flat=True))
                for group in PlantedPartnership.objects.all()
            )
            if len(ids) >= 2
        ]
        if not groups:
            raise CommandError(_("No planted partnership: run seed_demo first."))

        profiles, eligible = scoring_profiles()
        encoded = encode(profiles, taxonomy_from_db())
        eligible = np.asarray(eligible)
        row_of = {int(pk): row for row, pk in enumerate(encoded.ids)}
        fellows = {
            row_of[pk]: [row_of[other] for other in group if other != pk]
            for group in groups
            for pk in group
        }
        members = np.array(sorted(fellows), dtype=np.int64)
        result = top_k(encoded, profile.weights, k=k, eligible=eligible, rows=members)

        recalls = []
        for row in members:
            found = set(result.partners[row].tolist())
            recalls.append(np.mean([fellow in found for fellow in fellows[row]]))
        recall = float(np.mean(recalls))

        wins, pairs, fellow_scores, duplicate_scores = 0, 0, [], []
        for start in range(0, len(members), ROWS_PER_CHUNK):
            rows = members[start : start + ROWS_PER_CHUNK]
            components = score_chunk(encoded, rows)
            scores = total_score(components, profile.weights)
            for m, row in enumerate(rows):
                near = np.flatnonzero((components[PENALTY][m] > 0) & eligible)
                near = near[near != row]
                if len(near) == 0:
                    continue
                complementary = scores[m, fellows[row]]
                duplicates = scores[m, near]
                wins += int((complementary[:, None] > duplicates[None, :]).sum())
                pairs += complementary.size * duplicates.size
                fellow_scores.extend(complementary.tolist())
                duplicate_scores.extend(duplicates.tolist())

        self.stdout.write(
            _("%(groups)s planted partnerships, %(members)s members, %(n)s organisations")
            % {"groups": len(groups), "members": len(members), "n": encoded.size}
        )
        self.stdout.write(
            _("recall@%(k)s of fellow members: %(recall).3f") % {"k": k, "recall": recall}
        )
        if pairs:
            self.stdout.write(
                _(
                    "complementary partner above a same-region same-sector near-duplicate in "
                    "%(share).1f%% of %(pairs)s pairs (mean score %(fellow).3f against "
                    "%(duplicate).3f)"
                )
                % {
                    "share": 100 * wins / pairs,
                    "pairs": pairs,
                    "fellow": np.mean(fellow_scores),
                    "duplicate": np.mean(duplicate_scores),
                }
            )
        self.stdout.write(
            json.dumps({"recall_at_20" if k == 20 else f"recall_at_{k}": round(recall, 4)})
        )
