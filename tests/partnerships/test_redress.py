import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from partnerships import call_statistics, services
from partnerships.enums import ComplaintState, DecisionState, ExpressionState
from partnerships.models import AuditEntry, Complaint, Decision
from tests.factories import ExpressionFactory, MembershipFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

RELEASED = timezone.make_aware(dt.datetime(2026, 11, 2, 12, 0))


def decision_with_lead(*, redress_days=30):
    expression = ExpressionFactory(state=ExpressionState.REJECTED, call__redress_days=redress_days)
    staff = StaffFactory()
    decision = Decision.objects.create(
        expression=expression,
        stage=1,
        outcome=ExpressionState.REJECTED,
        state=DecisionState.RELEASED,
        recorded_by=staff,
        released_by=staff,
        released_at=RELEASED,
    )
    return decision, MembershipFactory(organisation=expression.lead).user


def test_the_lead_lodges_a_complaint_within_the_window(django_capture_on_commit_callbacks):
    decision, lead = decision_with_lead()
    StaffFactory(email="desk@ec.europa.eu")

    with django_capture_on_commit_callbacks(execute=True):
        complaint = services.lodge_complaint(
            decision,
            text="The panel ignored our letter of support.",
            by=lead,
            now=RELEASED + dt.timedelta(days=30),
        )

    assert (complaint.state, complaint.lodged_by) == (ComplaintState.LODGED, lead)
    assert "desk@ec.europa.eu" in mail.outbox[0].to
    assert AuditEntry.objects.filter(action="review.complaint_lodged").count() == 1


def test_a_complaint_after_the_window_is_refused():
    decision, lead = decision_with_lead(redress_days=10)

    with pytest.raises(ValidationError) as error:
        services.lodge_complaint(
            decision, text="Late.", by=lead, now=RELEASED + dt.timedelta(days=10, minutes=1)
        )

    assert error.value.code == "too_late"
    assert Complaint.objects.count() == 0


def test_only_the_lead_complains_and_only_once():
    decision, lead = decision_with_lead()
    now = RELEASED + dt.timedelta(days=1)
    services.lodge_complaint(decision, text="First.", by=lead, now=now)

    with pytest.raises(ValidationError) as twice:
        services.lodge_complaint(decision, text="Again.", by=lead, now=now)
    with pytest.raises(ValidationError) as stranger:
        services.lodge_complaint(decision, text="Me too.", by=UserFactory(), now=now)

    assert (twice.value.code, stranger.value.code) == ("twice", "not_lead")
    assert Complaint.objects.count() == 1


def test_staff_reject_a_complaint_with_a_reason_and_the_lead_hears(
    django_capture_on_commit_callbacks,
):
    decision, lead = decision_with_lead()
    complaint = services.lodge_complaint(
        decision, text="Unfair.", by=lead, now=RELEASED + dt.timedelta(days=1)
    )
    staff = StaffFactory()
    services.handle_complaint(complaint, to=ComplaintState.UNDER_REVIEW, by=staff)

    with pytest.raises(ValidationError) as no_reason:
        services.handle_complaint(complaint, to=ComplaintState.REJECTED, by=staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.handle_complaint(
            complaint, to=ComplaintState.REJECTED, by=staff, reason="The criteria were applied."
        )

    complaint.refresh_from_db()
    assert no_reason.value.message_dict == {"reason": ["Give the lead the reason for the outcome."]}
    assert (complaint.state, complaint.outcome_reason) == (
        ComplaintState.REJECTED,
        "The criteria were applied.",
    )
    assert [message.to for message in mail.outbox] == [[lead.email]]
    assert "The criteria were applied." in mail.outbox[0].body
    with pytest.raises(ValidationError):
        services.handle_complaint(complaint, to=ComplaintState.UPHELD, by=staff, reason="x")


def test_call_statistics_count_complaints_by_state():
    decision, lead = decision_with_lead()
    services.lodge_complaint(decision, text="Unfair.", by=lead, now=RELEASED)

    rows = call_statistics.complaints(decision.expression.call)

    assert [(row.key, row.value) for row in rows] == [
        ("lodged", 1),
        ("under_review", 0),
        ("upheld", 0),
        ("rejected", 0),
    ]


def test_lodging_from_the_report_page_with_no_text_keeps_the_page_and_says_why(client):
    decision, lead = decision_with_lead()
    Decision.objects.filter(pk=decision.pk).update(released_at=timezone.now())
    client.force_login(lead)

    response = client.post(
        reverse("partnerships:complaint-lodge", args=[decision.pk]), {"text": " "}
    )

    assert response.status_code == 400
    assert response.context["complaint_form"].errors == {"text": ["This field is required."]}
    assert Complaint.objects.count() == 0


def test_the_lead_lodges_and_staff_uphold_through_the_pages(client):
    decision, lead = decision_with_lead()
    Decision.objects.filter(pk=decision.pk).update(released_at=timezone.now())
    client.force_login(lead)
    lodged = client.post(
        reverse("partnerships:complaint-lodge", args=[decision.pk]),
        {"text": "A reviewer worked for our competitor."},
    )
    complaint = Complaint.objects.get()
    client.force_login(StaffFactory())
    listing = client.get(reverse("partnerships:complaint-list"))
    bad = client.post(
        reverse("partnerships:complaint-handle", args=[complaint.pk]),
        {f"complaint-{complaint.pk}-to": "upheld"},
    )
    upheld = client.post(
        reverse("partnerships:complaint-handle", args=[complaint.pk]),
        {f"complaint-{complaint.pk}-to": "upheld", f"complaint-{complaint.pk}-reason": "Redo."},
    )

    assert lodged.status_code == 302
    assert "A reviewer worked for our competitor." in listing.content.decode()
    assert bad.status_code == 400
    assert upheld.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.state, complaint.outcome_reason) == (ComplaintState.UPHELD, "Redo.")


@pytest.mark.parametrize("count", [1, 3])
def test_complaint_list_query_count_does_not_grow(count, client, django_assert_num_queries):
    for _ in range(count):
        decision, lead = decision_with_lead()
        services.lodge_complaint(decision, text="Unfair.", by=lead, now=RELEASED)
    client.force_login(StaffFactory())

    # With the header's count of unread notifications and messages.
    with django_assert_num_queries(5):
        response = client.get(reverse("partnerships:complaint-list"))

    assert len(response.context["rows"]) == count


def test_complaint_list_can_show_one_call(client):
    first, first_lead = decision_with_lead()
    second, second_lead = decision_with_lead()
    services.lodge_complaint(first, text="First call.", by=first_lead, now=RELEASED)
    services.lodge_complaint(second, text="Second call.", by=second_lead, now=RELEASED)
    client.force_login(StaffFactory())

    one = client.get(reverse("partnerships:complaint-list"), {"call": first.expression.call_id})
    bad = client.get(reverse("partnerships:complaint-list"), {"call": "x"})

    assert [c.text for c, _form in one.context["rows"]] == ["First call."]
    assert len(bad.context["rows"]) == 2
