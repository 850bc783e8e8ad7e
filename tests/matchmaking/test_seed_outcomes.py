import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from matchmaking.enums import FeedbackVerdict
from matchmaking.models import RecommendationFeedback
from tests.factories import (
    EmergingIndustryFactory,
    OrganisationFactory,
    SectoralIndustryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    """Forty organisations: half in sectors that meet in an emerging industry, half in none."""
    cars = SectoralIndustryFactory(slug="automotive")
    chips = SectoralIndustryFactory(slug="it")
    tourism = SectoralIndustryFactory(slug="tourism")
    mobility = EmergingIndustryFactory(slug="mobility")
    mobility.sectoral_industries.set([cars, chips])
    # A cross-sectoral link counts inside an emerging industry both sides declare.
    return [
        OrganisationFactory(
            sectoral_industries=[(cars, chips, tourism, tourism)[n % 4]],
            emerging_industries=[mobility] if n % 4 < 2 else [],
        )
        for n in range(40)
    ]


def test_seed_outcomes_records_verdicts_on_listed_partners_over_the_past_year(demo):
    output = StringIO()
    before = timezone.now()

    call_command("seed_outcomes", "--share", "1", stdout=output)

    verdicts = list(RecommendationFeedback.objects.all())
    assert len(verdicts) > 40
    assert {v.verdict for v in verdicts} == set(FeedbackVerdict.values)
    assert all(v.organisation_id != v.partner_id for v in verdicts)
    assert all(before - dt.timedelta(days=366) < v.created_at < before for v in verdicts)
    assert len({v.created_at.date() for v in verdicts}) > 30
    assert output.getvalue().startswith(f"{len(verdicts)} verdicts from ")


def test_seed_outcomes_takes_up_partners_that_work_in_linked_sectors_more_often(demo):
    call_command("seed_outcomes", "--share", "1", stdout=StringIO())

    linked = {"automotive", "it"}
    sectors = {o.pk: set(o.sectoral_industries.values_list("slug", flat=True)) for o in demo}

    def linked_share(verdicts):
        pairs = RecommendationFeedback.objects.filter(verdict__in=verdicts)
        both = [
            sectors[p.organisation_id] | sectors[p.partner_id] == linked
            for p in pairs.only("organisation_id", "partner_id")
        ]
        return sum(both) / len(both)

    taken = linked_share([FeedbackVerdict.USEFUL, FeedbackVerdict.CONTACTED])
    assert taken > linked_share([FeedbackVerdict.NOT_RELEVANT]) + 0.2


def test_seed_outcomes_run_again_adds_nothing(demo):
    call_command("seed_outcomes", stdout=StringIO())
    count = RecommendationFeedback.objects.count()
    output = StringIO()

    call_command("seed_outcomes", stdout=output)

    assert RecommendationFeedback.objects.count() == count
    assert output.getvalue().strip() == "Verdicts are already recorded: nothing added."


def test_seed_outcomes_without_organisations_says_what_to_run():
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_outcomes")
