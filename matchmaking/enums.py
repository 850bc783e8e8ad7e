from types import MappingProxyType

from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerships.enums import CallType


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


class FitState(models.TextChoices):
    """A weight fit runs in a task: queued on commit, fitting, then done or failed."""

    QUEUED = "queued", _("Queued")
    FITTING = "fitting", _("Fitting")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


FIT_PENDING_STATES = frozenset({FitState.QUEUED, FitState.FITTING})


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
# the score components of matchmaking.scoring plus the near-duplicate penalty. The thematic
# weights are shares of the relevance (only their ratios count); the modulators multiply it
# (1 + their weighted sum, at most 1.6 here), and the penalty scales a near-duplicate down (see
# scoring.py). Chosen by hand from the policy's do's, each of which is its own kind of evidence:
# cross-sectoral linkage first, then what partners say they seek and shared S3 objectives, then
# complementary positions and text. The shared focus is no do of its own (sharing a theme is
# what a same-sector copy does too) and reads the same declaration as the cross-sectoral
# linkage, as does the value chain it gates, so together they would count one declaration
# three times; they get less. Checked on the tuning seed of the planted-partnership generator
# (`evaluation.populations.TUNING_SEED`), never on the seed, cases or consortia that
# eval_matching reports.
DEFAULT_WEIGHT_PROFILES = MappingProxyType(
    {
        WeightProfileName.DEFAULT: MappingProxyType(
            {
                "cross_sector": 0.25,
                "shared_focus": 0.05,
                "value_chain": 0.10,
                "s3_objectives": 0.25,
                "seeking": 0.25,
                "text": 0.10,
                "international": 0.25,
                "partner_interest": 0.15,
                "shared_markets": 0.10,
                "strength": 0.10,
                "duplicate": 0.50,
            }
        ),
        # Going-international calls: a value chain that reaches abroad, and geography counts
        # for more (up to a factor 1.9), still only among related partners.
        WeightProfileName.INTERNATIONALISATION: MappingProxyType(
            {
                "cross_sector": 0.20,
                "shared_focus": 0.15,
                "value_chain": 0.25,
                "s3_objectives": 0.05,
                "seeking": 0.20,
                "text": 0.15,
                "international": 0.40,
                "partner_interest": 0.20,
                "shared_markets": 0.20,
                "strength": 0.10,
                "duplicate": 0.50,
            }
        ),
        # Smart-specialisation calls pair regions whose S3 priorities meet across sectors;
        # geography barely moves them.
        WeightProfileName.SMART_SPECIALISATION: MappingProxyType(
            {
                "cross_sector": 0.30,
                "shared_focus": 0.15,
                "value_chain": 0.10,
                "s3_objectives": 0.30,
                "seeking": 0.05,
                "text": 0.10,
                "international": 0.10,
                "partner_interest": 0.0,
                "shared_markets": 0.0,
                "strength": 0.10,
                "duplicate": 0.50,
            }
        ),
    }
)


class ThemeKind(models.TextChoices):
    """The kinds of call themes a suggested partner can cover (matchmaking.suggest)."""

    SECTOR = "sector", _("Sector")
    EMERGING = "emerging", _("Emerging industry")
    OBJECTIVE = "objective", _("S3 objective")


# Which weight profile scores partners for a call of each type; other types use the default.
CALL_TYPE_PROFILES = MappingProxyType(
    {
        CallType.ESCP_4I: WeightProfileName.INTERNATIONALISATION,
        CallType.ESCP_S3: WeightProfileName.SMART_SPECIALISATION,
    }
)


def profile_name_for_call(call_type):
    """The weight profile of a call type (see CALL_TYPE_PROFILES)."""
    return CALL_TYPE_PROFILES.get(call_type, WeightProfileName.DEFAULT)


class PairOutcome(models.TextChoices):
    """What came of a pair of organisations, as the weight fit reads it (matchmaking.outcomes)."""

    USEFUL = "useful", _("Found useful")
    CONTACTED = "contacted", _("Contacted")
    NOT_RELEVANT = "not_relevant", _("Judged not relevant")
    MEETING_ACCEPTED = "meeting_accepted", _("Meeting request accepted")
    AGREEMENT = "agreement", _("Agreement reached at an event")
    CONSORTIUM = "consortium", _("Consortium formed on a call")


# How much one outcome counts in the fit, and whether it is a positive one. An agreement or a
# consortium cost both sides real work; a click on "useful" costs nothing.
OUTCOME_WEIGHTS = MappingProxyType(
    {
        PairOutcome.USEFUL: 1.0,
        PairOutcome.CONTACTED: 2.0,
        PairOutcome.NOT_RELEVANT: 2.0,
        PairOutcome.MEETING_ACCEPTED: 2.0,
        PairOutcome.AGREEMENT: 4.0,
        PairOutcome.CONSORTIUM: 4.0,
    }
)
NEGATIVE_OUTCOMES = frozenset({PairOutcome.NOT_RELEVANT})
# A verdict on a suggested partner is also an outcome of the pair.
VERDICT_OUTCOMES = MappingProxyType(
    {
        FeedbackVerdict.USEFUL: PairOutcome.USEFUL,
        FeedbackVerdict.CONTACTED: PairOutcome.CONTACTED,
        FeedbackVerdict.NOT_RELEVANT: PairOutcome.NOT_RELEVANT,
    }
)
