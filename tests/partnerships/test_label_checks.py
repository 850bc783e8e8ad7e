import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from matchmaking.queries import scoring_profiles
from partnerships import services
from partnerships.enums import AwardingBody, LabelLevel, LabelState
from partnerships.models import AuditEntry, Label, Organisation
from partnerships.services.expression import consortium_of
from partnerships.services.label import reminder_due
from partnerships.tasks import remind_label_renewals
from tests.factories import (
    ExpressionFactory,
    LabelFactory,
    StaffFactory,
    managed_organisation,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)


def declared(organisation, **kwargs):
    return LabelFactory(organisation=organisation, state=LabelState.DECLARED, **kwargs)


def actions(organisation):
    return list(
        AuditEntry.objects.filter(
            content_type__model="organisation", object_id=str(organisation.pk)
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_eucles_is_named_for_what_it_is():
    assert AwardingBody.EUCLES.label == "EUCLES (European Clusters Labelling Excellence Structure)"


def test_a_recorded_label_is_declared_until_staff_check_it():
    organisation, manager = managed_organisation("Declaring Cluster", "BE")

    label = services.record_label(
        organisation,
        level=LabelLevel.GOLD,
        awarding_body=AwardingBody.EUCLES,
        assessed_on=dt.date(2025, 1, 1),
        valid_until=dt.date(2027, 1, 1),
        by=manager,
    )

    assert label.state == LabelState.DECLARED
    assert list(Label.objects.counting(on=TODAY)) == []


def test_only_a_verified_label_counts_for_eligibility():
    expression = ExpressionFactory()
    label = declared(expression.lead)

    before = consortium_of(expression).lead.has_current_label
    services.check_label(
        label, verified=True, by=StaffFactory(), certificate_seen=True, dates_checked=True
    )
    after = consortium_of(expression).lead.has_current_label

    assert (before, after) == (False, True)


def test_only_a_verified_label_counts_in_the_matchmaking_profile():
    declared_org, _ = managed_organisation("Declared Gold", "BE")
    verified_org, _ = managed_organisation("Verified Gold", "FR")
    declared(declared_org, level=LabelLevel.GOLD)
    LabelFactory(organisation=verified_org, level=LabelLevel.GOLD)

    profiles, _eligible = scoring_profiles(
        organisations=Organisation.objects.filter(pk__in=[declared_org.pk, verified_org.pk])
    )

    assert {p.id: p.label_rank for p in profiles} == {declared_org.pk: 0, verified_org.pk: 3}


def test_verifying_needs_the_certificate_seen_and_the_dates_checked():
    organisation, _ = managed_organisation("Unchecked Cluster", "BE")
    label = declared(organisation)

    with pytest.raises(ValidationError) as error:
        services.check_label(
            label, verified=True, by=StaffFactory(), certificate_seen=True, dates_checked=False
        )

    assert error.value.code == "unchecked"
    label.refresh_from_db()
    assert label.state == LabelState.DECLARED


def test_rejecting_needs_a_reason():
    organisation, _ = managed_organisation("Reasonless Cluster", "BE")
    label = declared(organisation)

    with pytest.raises(ValidationError) as error:
        services.check_label(label, verified=False, by=StaffFactory(), note="  ")

    assert error.value.message_dict == {
        "note": ["Say why the label is rejected: the managers read it."]
    }
    label.refresh_from_db()
    assert label.state == LabelState.DECLARED


def test_a_rejected_label_cannot_be_verified_afterwards():
    organisation, _ = managed_organisation("Rejected Cluster", "BE")
    label = LabelFactory(organisation=organisation, state=LabelState.REJECTED)

    with pytest.raises(ValidationError) as error:
        services.check_label(
            label, verified=True, by=StaffFactory(), certificate_seen=True, dates_checked=True
        )

    assert error.value.code == "invalid_transition"


def test_staff_verify_a_label_on_the_validation_page(client, django_capture_on_commit_callbacks):
    organisation, manager = managed_organisation("Checked Cluster", "BE")
    label = declared(organisation, level=LabelLevel.SILVER)
    staff = StaffFactory()
    client.force_login(staff)
    page = client.get(reverse("partnerships:validation-detail", args=[organisation.pk]))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partnerships:label-check", args=[label.pk]),
            {
                f"label-{label.pk}-decision": "verify",
                f"label-{label.pk}-certificate_seen": "on",
                f"label-{label.pk}-dates_checked": "on",
            },
        )

    assert '<span class="badge badge--label-declared">Declared</span>' in page.content.decode()
    assert response.status_code == 302
    assert response.url == reverse("partnerships:validation-detail", args=[organisation.pk])
    label.refresh_from_db()
    assert (label.state, label.checked_by) == (LabelState.VERIFIED, staff)
    assert actions(organisation) == ["label.verified"]
    assert [message.to for message in mail.outbox] == [[manager.email]]
    assert "now counts for the eligibility" in mail.outbox[0].body


def test_a_label_check_without_the_checks_shows_errors_and_changes_nothing(client):
    organisation, _ = managed_organisation("Hasty Cluster", "BE")
    label = declared(organisation)
    client.force_login(StaffFactory())

    response = client.post(
        reverse("partnerships:label-check", args=[label.pk]),
        {f"label-{label.pk}-decision": "verify", f"label-{label.pk}-note": "looked fine"},
    )

    assert response.status_code == 400
    form = dict(response.context["label_forms"])[label]
    assert form.errors == {
        "certificate_seen": ["Look at the certificate before verifying."],
        "dates_checked": ["Check the level and dates against the certificate."],
    }
    assert "looked fine</textarea>" in response.content.decode()
    label.refresh_from_db()
    assert label.state == LabelState.DECLARED
    assert actions(organisation) == []


def test_a_manager_cannot_verify_their_own_label(client):
    organisation, manager = managed_organisation("Self Cluster", "BE")
    label = declared(organisation)
    client.force_login(manager)

    response = client.post(
        reverse("partnerships:label-check", args=[label.pk]),
        {
            f"label-{label.pk}-decision": "verify",
            f"label-{label.pk}-certificate_seen": "on",
            f"label-{label.pk}-dates_checked": "on",
        },
    )

    assert response.status_code == 403
    label.refresh_from_db()
    assert label.state == LabelState.DECLARED


def test_the_public_profile_says_a_label_is_declared(client):
    organisation, _ = managed_organisation("Public Declared", "BE")
    declared(organisation)

    response = client.get(organisation.get_absolute_url())

    assert '<span class="badge badge--label-declared">declared</span>' in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_validation_queue_lists_declared_labels_in_constant_queries(
    count, client, django_assert_num_queries
):
    for n in range(count):
        organisation, _ = managed_organisation(f"Queue Cluster {n}", "BE")
        declared(organisation)
    LabelFactory(organisation=organisation)
    client.force_login(StaffFactory())

    # With the header's count of unread notifications and messages.
    with django_assert_num_queries(5):
        response = client.get(reverse("partnerships:validation-queue"))

    assert [label.organisation.name for label in response.context["labels"]] == [
        f"Queue Cluster {n}" for n in range(count)
    ]


@pytest.mark.parametrize(
    ("days_left", "already", "due"),
    [
        (120, None, None),
        (90, None, 90),
        (45, None, 90),
        (45, 90, None),
        (30, 90, 30),
        (20, None, 30),
        (10, 30, None),
        (-1, None, None),
    ],
)
def test_reminder_due(days_left, already, due):
    assert reminder_due(TODAY + dt.timedelta(days=days_left), today=TODAY, already=already) == due


def test_renewal_reminders_go_out_90_then_30_days_before_once_each(
    django_capture_on_commit_callbacks,
):
    organisation, manager = managed_organisation("Expiring Cluster", "BE")
    label = declared(
        organisation, assessed_on=dt.date(2024, 1, 1), valid_until=TODAY + dt.timedelta(days=90)
    )

    with django_capture_on_commit_callbacks(execute=True):
        first = services.send_label_renewal_reminders(today=TODAY)
        again = services.send_label_renewal_reminders(today=TODAY + dt.timedelta(days=1))
        at_30 = services.send_label_renewal_reminders(today=TODAY + dt.timedelta(days=60))
        after = services.send_label_renewal_reminders(today=TODAY + dt.timedelta(days=61))

    assert (first, again, at_30, after) == (1, 0, 1, 0)
    assert [message.to for message in mail.outbox] == [[manager.email], [manager.email]]
    assert "runs out in 90 days" in mail.outbox[0].body
    assert "runs out in 30 days" in mail.outbox[1].body
    assert "EUCLES, the European Clusters Labelling Excellence Structure" in mail.outbox[0].body
    label.refresh_from_db()
    assert label.reminded_days_before == 30
    assert actions(organisation) == ["label.renewal_reminded", "label.renewal_reminded"]


def test_no_reminder_for_a_renewed_or_rejected_label():
    renewed, _ = managed_organisation("Renewed Cluster", "BE")
    rejected, _ = managed_organisation("Rejected Label Cluster", "FR")
    soon = TODAY + dt.timedelta(days=20)
    LabelFactory(organisation=renewed, assessed_on=dt.date(2024, 1, 1), valid_until=soon)
    LabelFactory(organisation=renewed, assessed_on=TODAY, valid_until=dt.date(2028, 11, 24))
    LabelFactory(
        organisation=rejected,
        state=LabelState.REJECTED,
        assessed_on=dt.date(2024, 1, 1),
        valid_until=soon,
    )

    assert services.send_label_renewal_reminders(today=TODAY) == 0
    assert mail.outbox == []


def test_the_reminder_task_run_twice_sends_one_reminder(django_capture_on_commit_callbacks):
    organisation, manager = managed_organisation("Twice Cluster", "BE")
    LabelFactory(organisation=organisation, valid_until=dt.date.today() + dt.timedelta(days=25))

    with django_capture_on_commit_callbacks(execute=True):
        remind_label_renewals.apply()
        remind_label_renewals.apply()

    assert [message.to for message in mail.outbox] == [[manager.email]]
