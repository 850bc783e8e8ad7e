from types import MappingProxyType

from django.db import models
from django.utils.translation import gettext_lazy as _


class WeightProfileName(models.TextChoices):
    DEFAULT = "default", _("Default")
    INTERNATIONALISATION = "internationalisation", _("Internationalisation calls")
    SMART_SPECIALISATION = "smart_specialisation", _("Smart-specialisation calls")


class RunState(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RunKind(models.TextChoices):
    FULL = "full", _("Full re-score")
    INCREMENTAL = "incremental", _("Changed profiles")


class ChunkState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# A chunk that crashed this many times is given up, so that it cannot hold the run back.
CHUNK_MAX_ATTEMPTS = 3


class FeedbackVerdict(models.TextChoices):
    USEFUL = "useful", _("Useful")
    NOT_RELEVANT = "not_relevant", _("Not relevant")
    CONTACTED = "contacted", _("Contacted")


# The shipped weights of each profile; staff edit copies of these, never the constants. Keys are
# the score components of matchmaking.scoring plus the near-duplicate penalty.
DEFAULT_WEIGHT_PROFILES = MappingProxyType(
    {
        # Tuned on seed_demo's planted partnerships (eval_matching): shared activities in the
        # text and a partner in a target country tell real partners apart from the many
        # organisations that merely share a theme; recall@20 at 10,000 went from 0.21 to 0.41.
        WeightProfileName.DEFAULT: MappingProxyType(
            {
                "cross_sector": 0.10,
                "shared_focus": 0.05,
                "value_chain": 0.05,
                "s3_objectives": 0.10,
                "text": 0.35,
                "international": 0.30,
                "strength": 0.05,
                "duplicate": 0.50,
            }
        ),
        # Going-international calls reward a partner in a target country and a value chain that
        # reaches abroad more than a shared regional policy agenda.
        WeightProfileName.INTERNATIONALISATION: MappingProxyType(
            {
                "cross_sector": 0.15,
                "shared_focus": 0.10,
                "value_chain": 0.20,
                "s3_objectives": 0.05,
                "text": 0.10,
                "international": 0.30,
                "strength": 0.10,
                "duplicate": 0.50,
            }
        ),
        # Smart-specialisation calls pair regions whose S3 priorities meet across sectors.
        WeightProfileName.SMART_SPECIALISATION: MappingProxyType(
            {
                "cross_sector": 0.25,
                "shared_focus": 0.15,
                "value_chain": 0.10,
                "s3_objectives": 0.25,
                "text": 0.10,
                "international": 0.05,
                "strength": 0.10,
                "duplicate": 0.50,
            }
        ),
    }
)
