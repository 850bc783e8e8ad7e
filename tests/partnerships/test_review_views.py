import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.enums import ExpressionState, PartnerState, ReviewState
from partnerships.models import ConflictLogEntry, Decision, ReviewAssignment
from partnerships.services import review as services
from tests.factories import (
    CallFactory,
    CallReviewerFactory,
    CountryFactory,
    ExpressionFactory,
    ExpressionPartnerFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    ReviewAssignmentFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db
# Queries of the staff lists, the same for one expression as for three.
QUERIES = {"review-ranking": 11, "review-decisions": 9, "review-outbox": 6}


def eligible_expression(call, **fields):
    expression = ExpressionFactory(
        call=call, state=ExpressionState.ELIGIBLE, submitted_at=timezone.now(), **fields
    )
    for code in ("FR", "IT"):
        ExpressionPartnerFactory(
            expression=expression,
            organisation=OrganisationFactory(
                region=RegionFactory(country=CountryFactory(code=code))
            ),
            state=PartnerState.CONFIRMED,
        )
    return expression


def assigned(expression):
    assignment = ReviewAssignmentFactory(expression=expression)
    CallReviewerFactory(call=expression.call, user=assignment.reviewer)
    return assignment


def score(assignment, value, comment="Solid plan", *, submit=True):
    criterion = assignment.expression.call.criteria.get()
    review = assignment.review
    services.save_review(
        review,
        scores={criterion.pk: (value, comment)},
        expected_version=review.version,
        by=assignment.reviewer,
    )
    if submit:
        services.submit_review(review, by=assignment.reviewer)
    review.refresh_from_db()
    return review


# Visibility


def test_reviewer_cannot_read_another_review_before_submitting_their_own(client):
    expression = eligible_expression(CallFactory())
    mine, theirs = assigned(expression), assigned(expression)
    score(theirs, "2", "Their secret reasoning")
    client.force_login(mine.reviewer)

    other_page = client.get(theirs.review.get_absolute_url())
    own_page = client.get(mine.review.get_absolute_url())
    api = client.get("/api/v1/reviews/")

    assert other_page.status_code == 404
    assert own_page.status_code == 200
    assert "Their secret reasoning" not in own_page.content.decode()
    assert [row["id"] for row in api.json()["results"]] == [mine.review.pk]
    assert client.get(f"/api/v1/reviews/{theirs.review.pk}/").status_code == 404


def test_reviewer_reads_the_others_once_their_own_is_submitted(client):
    expression = eligible_expression(CallFactory())
    mine, theirs, draft = assigned(expression), assigned(expression), assigned(expression)
    score(theirs, "2", "Their reasoning")
    score(draft, "5", "Unfinished thoughts", submit=False)
    score(mine, "4")
    client.force_login(mine.reviewer)

    page = client.get(mine.review.get_absolute_url()).content.decode()
    api = client.get("/api/v1/reviews/", {"expression": expression.pk}).json()

    assert "Their reasoning" in page
    assert "Unfinished thoughts" not in page
    assert sorted(row["id"] for row in api["results"]) == sorted([mine.review.pk, theirs.review.pk])
    assert client.get(draft.review.get_absolute_url()).status_code == 404


def test_managing_staff_and_moderators_see_every_review(client):
    expression = eligible_expression(CallFactory())
    first, second = assigned(expression), assigned(expression)
    score(first, "3", submit=False)
    moderator = CallReviewerFactory(call=expression.call, is_moderator=True).user
    manager = StaffFactory()
    for user in (manager, moderator):
        client.force_login(user)
        ids = sorted(row["id"] for row in client.get("/api/v1/reviews/").json()["results"])
        assert ids == sorted([first.review.pk, second.review.pk])


def test_people_who_are_not_staff_see_no_reviews(client, user):
    expression = eligible_expression(CallFactory())
    assignment = assigned(expression)
    client.force_login(user)
    assert client.get("/api/v1/reviews/").json()["results"] == []
    assert client.get(assignment.review.get_absolute_url()).status_code == 404
    assert client.get(reverse("partnerships:my-reviews")).status_code == 403


def test_staff_in_the_reviewer_pool_still_manage_the_call_review(client):
    expression = eligible_expression(CallFactory())
    call = expression.call
    mine = assigned(expression)
    # A submitted sheet: the ranking shows the others' scores only after one's own.
    score(mine, "4")
    client.force_login(mine.reviewer)

    pages = [
        reverse("partnerships:review-overview", args=[call.pk]),
        reverse("partnerships:review-ranking", args=[call.pk, 1]),
        reverse("partnerships:review-decisions", args=[call.pk, 1]),
        reverse("partnerships:review-outbox", args=[call.pk]),
    ]

    assert [client.get(page).status_code for page in pages] == [200, 200, 200, 200]


def test_ranking_waits_until_a_staff_reviewer_submitted_their_own_sheets(client):
    expression = eligible_expression(CallFactory())
    mine, theirs = assigned(expression), assigned(expression)
    score(theirs, "2", "Their secret reasoning")
    ranking = reverse("partnerships:review-ranking", args=[expression.call.pk, 1])
    export = reverse("partnerships:review-export", args=[expression.call.pk, 1, "scores", "csv"])
    client.force_login(mine.reviewer)

    refused = client.get(ranking)
    refused_export = client.get(export)
    score(mine, "4")
    opened = client.get(ranking)

    assert (refused.status_code, refused_export.status_code, opened.status_code) == (403, 403, 200)
    assert "opens for you once you have submitted your own score sheets" in " ".join(
        refused.content.decode().split()
    )


def test_staff_reviewer_stays_blind_to_the_reviews_of_what_they_review(client):
    call = CallFactory()
    reviewed, other = eligible_expression(call), eligible_expression(call)
    mine, theirs = assigned(reviewed), assigned(reviewed)
    elsewhere = ReviewAssignmentFactory(expression=other, reviewer=theirs.reviewer)
    score(theirs, "2", "Their secret reasoning")
    score(elsewhere, "3", "Reasoning on another expression", submit=False)
    client.force_login(mine.reviewer)

    ids = sorted(row["id"] for row in client.get("/api/v1/reviews/").json()["results"])

    assert ids == sorted([mine.review.pk, elsewhere.review.pk])
    assert client.get(theirs.review.get_absolute_url()).status_code == 404
    assert client.get(elsewhere.review.get_absolute_url()).status_code == 200


def test_refused_review_page_says_why_and_links_back(client):
    call = CallFactory()
    manager = MembershipFactory().user
    client.force_login(manager)
    call_page = f"http://testserver{call.get_absolute_url()}"

    response = client.get(
        reverse("partnerships:review-overview", args=[call.pk]), headers={"referer": call_page}
    )

    html = " ".join(response.content.decode().split())
    assert response.status_code == 403
    assert (
        "Only Commission staff manage the review of a call: its reviewer pool, assignments, "
        "ranking, decisions and outbox." in html
    )
    assert f'<a href="{call_page}">Back to the page you came from</a>' in html


def test_refused_page_never_links_back_to_another_site(client, user):
    client.force_login(user)

    response = client.get("/staff/validation/", headers={"referer": "https://evil.example/"})

    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


# Score sheet


def test_stale_save_shows_a_conflict_and_keeps_what_was_typed(client):
    assignment = assigned(eligible_expression(CallFactory()))
    criterion = assignment.expression.call.criteria.get()
    score(assignment, "4", "Saved from my other tab", submit=False)
    client.force_login(assignment.reviewer)

    response = client.post(
        assignment.review.get_absolute_url(),
        {
            "version": "1",
            f"score_{criterion.pk}": "2.5",
            f"comment_{criterion.pk}": "Typed in this tab",
            "save": "",
        },
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "Somebody saved this while you were editing it." in page
    assert "Typed in this tab" in page
    assert 'value="2.5"' in page
    assert "Saved from my other tab" in page
    assert 'name="version" value="2"' in page
    assignment.review.refresh_from_db()
    assert assignment.review.scores.get().comment == "Saved from my other tab"


def test_score_sheet_saves_then_submits(client):
    assignment = assigned(eligible_expression(CallFactory()))
    criterion = assignment.expression.call.criteria.get()
    client.force_login(assignment.reviewer)
    response = client.post(
        assignment.review.get_absolute_url(),
        {
            "version": "1",
            f"score_{criterion.pk}": "3.5",
            f"comment_{criterion.pk}": "Credible",
            "submit": "",
        },
    )
    assert response.status_code == 302
    assignment.review.refresh_from_db()
    assert assignment.review.state == ReviewState.SUBMITTED
    assert str(assignment.review.scores.get().score) == "3.5"


def test_score_sheet_refuses_a_score_off_the_scale(client):
    assignment = assigned(eligible_expression(CallFactory()))
    criterion = assignment.expression.call.criteria.get()
    client.force_login(assignment.reviewer)
    response = client.post(
        assignment.review.get_absolute_url(),
        {"version": "1", f"score_{criterion.pk}": "7", f"comment_{criterion.pk}": "x"},
    )
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 5." in response.content.decode()
    assert assignment.review.scores.count() == 0


def test_incomplete_submission_keeps_the_draft_and_explains(client):
    assignment = assigned(eligible_expression(CallFactory()))
    criterion = assignment.expression.call.criteria.get()
    client.force_login(assignment.reviewer)
    response = client.post(
        assignment.review.get_absolute_url(),
        {"version": "1", f"score_{criterion.pk}": "4", f"comment_{criterion.pk}": "", "submit": ""},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Your draft is saved, but it cannot be submitted yet." in page
    assert "before submitting: Excellence." in page
    assignment.review.refresh_from_db()
    assert (assignment.review.state, assignment.review.version) == (ReviewState.DRAFT, 2)


# Staff pages


def test_manual_override_form_refuses_a_conflicted_reviewer(client, staff):
    call = CallFactory()
    expression = eligible_expression(call)
    reviewer = CallReviewerFactory(call=call).user
    MembershipFactory(organisation=expression.lead, user=reviewer)
    client.force_login(staff)

    response = client.post(
        reverse("partnerships:review-assign", args=[call.pk, 1]),
        {"expression": expression.pk, "reviewer": reviewer.pk},
    )

    assert response.status_code == 400
    assert "has a conflict of interest: Manages a consortium organisation" in (
        response.content.decode()
    )
    assert ReviewAssignment.objects.count() == 0
    assert ConflictLogEntry.objects.count() == 1


def test_auto_assign_button_assigns_and_reports(client, staff):
    call = CallFactory()
    eligible_expression(call)
    CallReviewerFactory(call=call)
    client.force_login(staff)
    response = client.post(
        reverse("partnerships:review-auto-assign", args=[call.pk, 1]),
        {"per_expression": "2"},
        follow=True,
    )
    page = response.content.decode()
    assert "1 assignment made." in page
    assert "Not enough eligible reviewers for" in page


def test_auto_assign_refuses_a_bad_number(client, staff):
    call = CallFactory()
    eligible_expression(call)
    CallReviewerFactory(call=call)
    client.force_login(staff)
    response = client.post(
        reverse("partnerships:review-auto-assign", args=[call.pk, 1]), {"per_expression": "zero"}
    )
    assert response.status_code == 400
    assert ReviewAssignment.objects.count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_review_overview_query_count_does_not_grow(client, staff, count, django_assert_num_queries):
    call = CallFactory()
    for _ in range(count):
        expression = eligible_expression(call)
        assigned(expression)
        assigned(expression)
    client.force_login(staff)
    url = reverse("partnerships:review-overview", args=[call.pk])
    with django_assert_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_my_reviews_query_count_does_not_grow(client, count, django_assert_num_queries):
    reviewer = StaffFactory()
    for _ in range(count):
        assignment = ReviewAssignmentFactory(reviewer=reviewer)
        CallReviewerFactory(call=assignment.expression.call, user=reviewer)
    client.force_login(reviewer)
    with django_assert_num_queries(7):
        response = client.get(reverse("partnerships:my-reviews"))
    assert response.status_code == 200


def test_ranking_page_shows_pass_marks_and_the_budget_line(client, staff):
    call = CallFactory(budget=100)
    funded = eligible_expression(call, title="Funded", budget_requested=80)
    reserve = eligible_expression(call, title="Reserve", budget_requested=50)
    failing = eligible_expression(call, title="Failing", budget_requested=10)
    for expression, value in ((funded, "5"), (reserve, "4"), (failing, "1")):
        score(assigned(expression), value)
    client.force_login(staff)

    page = client.get(reverse("partnerships:review-ranking", args=[call.pk, 1])).content.decode()

    assert page.index("Funded") < page.index("Budget line") < page.index("Reserve")
    assert page.index("Reserve") < page.index("Failing")
    assert "Fails: Excellence" in page


def test_exports_give_scores_ranking_and_conflict_log(client, staff):
    call = CallFactory(reference="escp-2026")
    expression = eligible_expression(call, title="Clean mobility", budget_requested=500)
    assignment = assigned(expression)
    score(assignment, "4", "=HYPERLINK(evil)")
    conflicted = CallReviewerFactory(call=call).user
    MembershipFactory(organisation=expression.lead, user=conflicted)
    services.auto_assign(call, stage=1, per_expression=2, by=staff)
    client.force_login(staff)

    def export(kind, fmt):
        return client.get(reverse("partnerships:review-export", args=[call.pk, 1, kind, fmt]))

    scores_csv = export("scores", "csv")
    rows = list(csv.DictReader(io.StringIO(scores_csv.content.decode())))
    assert scores_csv["Content-Disposition"] == (
        'attachment; filename="escp-2026-stage1-scores.csv"'
    )
    assert [(r["expression"], r["criterion"], r["score"], r["comment"]) for r in rows] == [
        ("Clean mobility", "Excellence", "4.0", "'=HYPERLINK(evil)")
    ]
    ranking = export("ranking", "json").json()
    assert [
        (r["rank"], r["weighted_total"], r["passed"], r["cumulative_budget"])
        for r in ranking["ranking"]
    ] == [(1, "4.00", True, "500.00")]
    conflicts = list(csv.DictReader(io.StringIO(export("conflicts", "csv").content.decode())))
    assert [(r["reviewer"], r["rule"], r["action"]) for r in conflicts] == [
        (str(conflicted), "affiliation", "skipped")
    ]
    assert json.loads(export("conflicts", "json").content)["conflicts"][0]["rule"] == "affiliation"
    assert export("secrets", "csv").status_code == 404


def test_decision_form_refuses_an_unknown_outcome(client, staff):
    call = CallFactory()
    expression = eligible_expression(call)
    client.force_login(staff)
    response = client.post(
        reverse("partnerships:review-decisions", args=[call.pk, 1]),
        {"expression": expression.pk, f"e{expression.pk}-outcome": "stage1_passed"},
    )
    assert response.status_code == 400
    assert Decision.objects.count() == 0


def test_moderator_saves_consensus_through_the_page(client):
    call = CallFactory()
    expression = eligible_expression(call)
    score(assigned(expression), "4")
    moderator = CallReviewerFactory(call=call, is_moderator=True).user
    criterion = call.criteria.get()
    client.force_login(moderator)
    url = reverse("partnerships:review-consensus", args=[call.pk, 1, expression.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            f"version_{criterion.pk}": "0",
            f"score_{criterion.pk}": "3.5",
            f"comment_{criterion.pk}": "Panel view",
        },
    )
    assert response.status_code == 302
    assert str(expression.consensus_scores.get().score) == "3.5"


def test_autosave_saves_the_draft_and_hands_back_the_new_version(client):
    assignment = assigned(eligible_expression(CallFactory()))
    criterion = assignment.expression.call.criteria.get()
    client.force_login(assignment.reviewer)
    url = reverse("partnerships:review-autosave", args=[assignment.review.pk])

    response = client.post(
        url,
        {"version": "1", f"score_{criterion.pk}": "3", f"comment_{criterion.pk}": "So far so good"},
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Saved at" in page
    assert '<input type="hidden" name="version" value="2" id="id_version" hx-swap-oob="true">' in (
        page
    )
    assert assignment.review.scores.get().comment == "So far so good"


def test_autosave_from_a_stale_tab_changes_nothing(client):
    assignment = assigned(eligible_expression(CallFactory()))
    criterion = assignment.expression.call.criteria.get()
    score(assignment, "4", "Saved elsewhere", submit=False)
    client.force_login(assignment.reviewer)

    response = client.post(
        reverse("partnerships:review-autosave", args=[assignment.review.pk]),
        {"version": "1", f"score_{criterion.pk}": "1", f"comment_{criterion.pk}": "Old tab"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 409
    assert "Not saved: Somebody saved this review meanwhile." in " ".join(
        response.content.decode().split()
    )
    assert assignment.review.scores.get().comment == "Saved elsewhere"


def test_autosave_of_a_submitted_review_is_forbidden(client):
    assignment = assigned(eligible_expression(CallFactory()))
    score(assignment, "4")
    client.force_login(assignment.reviewer)
    response = client.post(
        reverse("partnerships:review-autosave", args=[assignment.review.pk]),
        {"version": "3"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("page", ["review-ranking", "review-decisions"])
def test_stage_pages_query_count_does_not_grow(
    client, staff, count, page, django_assert_num_queries
):
    call = CallFactory()
    for _ in range(count):
        expression = eligible_expression(call, budget_requested=1000)
        score(assigned(expression), "4")
        services.record_decision(expression, stage=1, outcome=ExpressionState.SELECTED, by=staff)
    client.force_login(staff)
    with django_assert_num_queries(QUERIES[page]):
        response = client.get(reverse(f"partnerships:{page}", args=[call.pk, 1]))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_outbox_query_count_does_not_grow(client, staff, count, django_assert_num_queries):
    call = CallFactory()
    for _ in range(count):
        expression = eligible_expression(call)
        MembershipFactory(organisation=expression.lead)
        services.record_decision(expression, stage=1, outcome=ExpressionState.REJECTED, by=staff)
    services.release_decisions(call, stage=1, by=staff)
    client.force_login(staff)
    with django_assert_num_queries(QUERIES["review-outbox"]):
        response = client.get(reverse("partnerships:review-outbox", args=[call.pk]))
    assert response.content.decode().count('name="message"') == count


def test_stale_consensus_save_keeps_the_typed_text_beside_the_saved_one(client):
    call = CallFactory()
    expression = eligible_expression(call)
    score(assigned(expression), "4")
    moderator = CallReviewerFactory(call=call, is_moderator=True).user
    criterion = call.criteria.get()
    services.set_consensus(
        expression,
        stage=1,
        scores={criterion.pk: ("4", "Saved by a colleague")},
        expected_versions={criterion.pk: 0},
        by=StaffFactory(),
    )
    client.force_login(moderator)

    response = client.post(
        reverse("partnerships:review-consensus", args=[call.pk, 1, expression.pk]),
        {
            f"version_{criterion.pk}": "0",
            f"score_{criterion.pk}": "2",
            f"comment_{criterion.pk}": "My own view",
        },
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "My own view" in page
    assert "Saved by a colleague" in page
    assert f'name="version_{criterion.pk}" value="1"' in page
    assert expression.consensus_scores.get().comment == "Saved by a colleague"
