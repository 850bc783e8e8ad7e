import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from partnerships.enums import CallState, ExpressionState
from partnerships.management.commands.create_demo_users import MODERATOR, REVIEWER, STAFF
from partnerships.models import Call, ConsensusScore, Review, ReviewAssignment, User
from partnerships.queries import stage_ranking
from tests.partnerships.test_seed_partnerships import demo_organisations

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    demo_organisations(60)
    call_command("create_demo_users", stdout=io.StringIO())
    call_command("seed_review", stdout=io.StringIO())
    return Call.objects.get(reference="escp-s3-2026")


def test_seed_review_leaves_a_call_under_review_with_open_and_submitted_sheets(seeded):
    output = io.StringIO()

    call_command("seed_review", stdout=output)

    sheets = Counter(
        Review.objects.filter(assignment__expression__call=seeded).values_list(
            "assignment__reviewer__email", "state"
        )
    )
    assert output.getvalue() == "Call under review: already there.\n"
    assert seeded.state == CallState.IN_EVALUATION
    assert Counter(seeded.expressions.values_list("state", flat=True)) == {
        ExpressionState.ELIGIBLE: 14
    }
    assert sorted(seeded.reviewers.values_list("user__email", "is_moderator")) == [
        (MODERATOR.email, True),
        ("rafael.reviewer@clusterportal.example", False),
        (REVIEWER.email, False),
        (STAFF.email, False),
    ]
    assert ReviewAssignment.objects.filter(expression__call=seeded).count() == 28
    assert sheets == {
        ("rafael.reviewer@clusterportal.example", "submitted"): 10,
        (REVIEWER.email, "submitted"): 6,
        (REVIEWER.email, "draft"): 3,
        (STAFF.email, "submitted"): 9,
    }


def test_seed_review_leaves_consensus_and_decisions_to_walk(seeded):
    ranking = stage_ranking(seeded, 1)

    with_consensus = set(
        ConsensusScore.objects.filter(expression__call=seeded).values_list(
            "expression_id", flat=True
        )
    )
    ready = {
        e.pk
        for e in seeded.expressions.all()
        if not e.review_assignments.exclude(review__state="submitted").exists()
    }
    assert len(ready) == len(with_consensus) + 2
    assert with_consensus < ready
    assert sum(row.complete for row in ranking.rows) > 0
    assert seeded.expressions.filter(decisions__isnull=False).count() == 0


def test_seed_review_demo_logins_walk_their_pages(client, seeded):
    open_consensus = next(
        e
        for e in seeded.expressions.order_by("id")
        if not e.review_assignments.exclude(review__state="submitted").exists()
        and not ConsensusScore.objects.filter(expression=e).exists()
    )
    staff_pages = [
        reverse("partnerships:review-overview", args=[seeded.pk]),
        reverse("partnerships:review-ranking", args=[seeded.pk, 1]),
        reverse("partnerships:review-decisions", args=[seeded.pk, 1]),
        reverse("partnerships:review-outbox", args=[seeded.pk]),
        reverse("partnerships:my-reviews"),
    ]
    client.force_login(User.objects.get(email=STAFF.email))
    assert [client.get(page).status_code for page in staff_pages] == [200] * 5
    client.force_login(User.objects.get(email=MODERATOR.email))
    consensus = reverse("partnerships:review-consensus", args=[seeded.pk, 1, open_consensus.pk])
    assert client.get(consensus).status_code == 200


def test_seed_review_needs_the_demo_logins():
    demo_organisations(30)

    with pytest.raises(CommandError, match="run create_demo_users first"):
        call_command("seed_review", stdout=io.StringIO())
