import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from partnerships.enums import CallState, OutcomeKind, PartnershipPhase, ValidationState
from partnerships.models import AuditEntry, PartnershipMilestone, StrategicPartnership
from tests.factories import (
    CallFactory,
    CountryFactory,
    OrganisationFactory,
    PartnershipMemberFactory,
    PartnershipMilestoneFactory,
    PartnershipOutcomeFactory,
    RegionFactory,
    StaffFactory,
    StrategicPartnershipFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("partnerships:partnership-list")


def organisation_in(code, **kwargs):
    country = CountryFactory(code=code, iso_code=code, name=f"Country {code}")
    return OrganisationFactory(region=RegionFactory(country=country), **kwargs)


def names(response):
    return [p.name for p in response.context["partnerships"]]


@pytest.fixture
def directory():
    """Three partnerships on two calls, in different phases, countries and funding."""
    escp = CallFactory(title="ESCP-4i 2024", state=CallState.DECIDED)
    other = CallFactory(title="ESCP-S3 2023", state=CallState.DECIDED)
    german, french, italian = organisation_in("DE"), organisation_in("FR"), organisation_in("IT")
    alpha = StrategicPartnershipFactory(
        name="Alpha batteries", acronym="ALB", call=escp, coordinator=german
    )
    PartnershipMemberFactory(partnership=alpha, organisation=french)
    beta = StrategicPartnershipFactory(
        name="Beta textiles",
        call=escp,
        funded=False,
        phase=PartnershipPhase.IMPLEMENTATION,
        coordinator=french,
    )
    gamma = StrategicPartnershipFactory(
        name="Gamma foods", call=other, phase=PartnershipPhase.INVESTMENT, coordinator=italian
    )
    return {"escp": escp, "other": other, "alpha": alpha, "beta": beta, "gamma": gamma}


def test_partnership_list_shows_every_partnership_by_name(client, directory):
    response = client.get(LIST)

    assert response.status_code == 200
    assert names(response) == ["Alpha batteries", "Beta textiles", "Gamma foods"]
    assert [c.title for c in response.context["form"].fields["call"].queryset] == [
        "ESCP-4i 2024",
        "ESCP-S3 2023",
    ]
    assert [c.code for c in response.context["form"].fields["country"].queryset] == [
        "DE",
        "FR",
        "IT",
    ]
    assert "3 partnerships found" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"call": "escp"}, ["Alpha batteries", "Beta textiles"]),
        ({"phase": "implementation"}, ["Beta textiles"]),
        ({"country": "FR"}, ["Alpha batteries", "Beta textiles"]),
        ({"country": "IT"}, ["Gamma foods"]),
        ({"funded": "true"}, ["Alpha batteries", "Gamma foods"]),
        ({"funded": "false"}, ["Beta textiles"]),
        ({"q": "textil"}, ["Beta textiles"]),
        ({"q": "alb"}, ["Alpha batteries"]),
        ({"call": "escp", "funded": "true", "country": "FR"}, ["Alpha batteries"]),
    ],
)
def test_partnership_list_filters(client, directory, query, expected):
    if "call" in query:
        query = query | {"call": directory[query["call"]].pk}

    response = client.get(LIST, query)

    assert names(response) == expected


@pytest.mark.parametrize(
    "query", [{"call": "abc"}, {"phase": "launch"}, {"country": "ZZ"}, {"q": "x" * 201}]
)
def test_partnership_list_bad_filter_is_reported_and_left_out(client, directory, query):
    response = client.get(LIST, query)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == list(query)
    assert names(response) == ["Alpha batteries", "Beta textiles", "Gamma foods"]
    assert "Some filters could not be used" in response.content.decode()


def test_partnership_list_hides_partnerships_of_a_draft_call(client, staff):
    StrategicPartnershipFactory(name="Visible", call=CallFactory(state=CallState.DECIDED))
    StrategicPartnershipFactory(name="Hidden", call=CallFactory(state=CallState.DRAFT))

    anonymous = client.get(LIST)
    client.force_login(staff)
    as_staff = client.get(LIST)

    assert names(anonymous) == ["Visible"]
    assert names(as_staff) == ["Hidden", "Visible"]


def test_partnership_list_paginates_by_twenty(client):
    call = CallFactory(state=CallState.DECIDED)
    for number in range(23):
        StrategicPartnershipFactory(name=f"P{number:02d}", call=call)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert len(first.context["partnerships"]) == 20
    assert names(second) == ["P20", "P21", "P22"]


def test_partnership_list_htmx_returns_the_results_only(client, directory):
    response = client.get(LIST, {"phase": "investment"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert names(response) == ["Gamma foods"]
    assert "<html" not in body
    assert 'id="partnership-count" hx-swap-oob="innerHTML"' in body


@pytest.mark.parametrize("count", [1, 3])
def test_partnership_list_query_count_does_not_grow(count, client, django_assert_num_queries):
    call = CallFactory(state=CallState.DECIDED)
    for _ in range(count):
        partnership = StrategicPartnershipFactory(call=call)
        PartnershipMemberFactory(partnership=partnership)
        PartnershipMilestoneFactory(partnership=partnership)
        PartnershipOutcomeFactory(partnership=partnership)

    # Count, page, members, milestones, outcomes, and the call and country choices.
    with django_assert_num_queries(7):
        response = client.get(LIST)

    assert len(response.context["partnerships"]) == count


def test_partnership_detail_shows_members_timeline_and_outcomes(client):
    coordinator = organisation_in("DE", name="Bavarian Mobility Cluster")
    hidden = organisation_in("FR", name="Draft Cluster", validation_state=ValidationState.DRAFT)
    partnership = StrategicPartnershipFactory(
        name="Alpha batteries", phase=PartnershipPhase.IMPLEMENTATION, coordinator=coordinator
    )
    PartnershipMemberFactory(partnership=partnership, organisation=hidden)
    PartnershipMilestoneFactory(
        partnership=partnership, title="Strategy drafted", reached_on=dt.date(2024, 5, 2)
    )
    PartnershipMilestoneFactory(
        partnership=partnership,
        phase=PartnershipPhase.INVESTMENT,
        title="First investment",
        due_on=dt.date(2026, 1, 31),
    )
    PartnershipOutcomeFactory(
        partnership=partnership, kind=OutcomeKind.INVESTMENT, amount=Decimal("2500000")
    )

    response = client.get(partnership.get_absolute_url())

    body = response.content.decode()
    timeline = response.context["timeline"]
    assert [(s["phase"], s["status"]) for s in timeline] == [
        ("preparatory", "done"),
        ("implementation", "current"),
        ("investment", "next"),
    ]
    assert [[m.title for m in s["milestones"]] for s in timeline] == [
        ["Strategy drafted"],
        [],
        ["First investment"],
    ]
    assert response.context["countries"] == ["Country DE", "Country FR"]
    assert f'<a href="{coordinator.get_absolute_url()}">Bavarian Mobility Cluster</a>' in body
    assert "Draft Cluster, Country FR" in body
    assert hidden.get_absolute_url() not in body
    assert "reached on 2 May 2024" in body
    assert "due on 31 January 2026" in body
    assert "2,500,000" in body
    assert 'aria-current="step"' in body


def test_partnership_detail_of_a_draft_call_is_not_found(client):
    partnership = StrategicPartnershipFactory(call=CallFactory(state=CallState.DRAFT))

    response = client.get(partnership.get_absolute_url())

    assert response.status_code == 404


def test_nav_links_to_the_partnership_directory(client):
    response = client.get(LIST)

    assert f'<a href="{LIST}" aria-current="page">Partnerships</a>' in response.content.decode()


# --- Admin ---------------------------------------------------------------------------------


def test_admin_action_advances_the_phase_through_the_service(client):
    staff = StaffFactory(is_superuser=True)
    client.force_login(staff)
    moving = StrategicPartnershipFactory(name="Moving")
    last = StrategicPartnershipFactory(name="Last", phase=PartnershipPhase.INVESTMENT)

    response = client.post(
        reverse("admin:partnerships_strategicpartnership_changelist"),
        {"action": "advance_phase", "_selected_action": [moving.pk, last.pk]},
        follow=True,
    )

    moving.refresh_from_db()
    last.refresh_from_db()
    assert (moving.phase, last.phase) == ("implementation", "investment")
    messages = [str(m) for m in response.context["messages"]]
    assert "1 partnership moved to its next phase." in messages
    assert AuditEntry.objects.filter(action="partnership.phase_changed").count() == 1


def admin_form(partnership, **changes):
    data = {
        "name": partnership.name,
        "acronym": partnership.acronym,
        "summary": partnership.summary,
        "funded": "on" if partnership.funded else "",
        "started_on": partnership.started_on.isoformat(),
        "ends_on": "",
        "website": "",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
        "milestones-TOTAL_FORMS": "1",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-phase": "",
        "milestones-0-title": "",
        "milestones-0-due_on": "",
        "milestones-0-reached_on": "",
        "outcomes-TOTAL_FORMS": "1",
        "outcomes-INITIAL_FORMS": "0",
        "outcomes-0-kind": "",
        "outcomes-0-description": "",
        "outcomes-0-amount": "",
        "outcomes-0-achieved_on": "",
    }
    return data | changes


def test_admin_change_goes_through_the_services(client):
    client.force_login(StaffFactory(is_superuser=True))
    partnership = StrategicPartnershipFactory(name="Old name", coordinator=False)
    url = reverse("admin:partnerships_strategicpartnership_change", args=[partnership.pk])

    response = client.post(
        url,
        admin_form(
            partnership,
            name="New name",
            **{
                "milestones-0-phase": "preparatory",
                "milestones-0-title": "Kick-off",
                "milestones-0-due_on": "2024-02-01",
                "milestones-0-reached_on": "2024-02-03",
                "outcomes-0-kind": "strategy",
                "outcomes-0-description": "Joint strategy adopted by all members.",
                "outcomes-0-achieved_on": "2024-10-01",
            },
        ),
    )

    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.name == "New name"
    milestone = PartnershipMilestone.objects.get()
    assert (milestone.title, milestone.reached_on) == ("Kick-off", dt.date(2024, 2, 3))
    assert partnership.outcomes.get().kind == "strategy"
    assert list(
        AuditEntry.objects.filter(object_id=str(partnership.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "partnership.updated",
        "partnership.milestone_added",
        "partnership.milestone_reached",
        "partnership.outcome_added",
    ]


def test_admin_refuses_a_milestone_reached_ahead_of_its_phase(client):
    client.force_login(StaffFactory(is_superuser=True))
    partnership = StrategicPartnershipFactory(coordinator=False)
    url = reverse("admin:partnerships_strategicpartnership_change", args=[partnership.pk])

    response = client.post(
        url,
        admin_form(
            partnership,
            **{
                "milestones-0-phase": "investment",
                "milestones-0-title": "First investment",
                "milestones-0-due_on": "2024-02-01",
                "milestones-0-reached_on": "2024-02-03",
            },
        ),
    )

    assert response.status_code == 200
    assert "which has not started yet" in response.content.decode()
    assert PartnershipMilestone.objects.count() == 0


def test_admin_cannot_add_or_delete_partnerships(client):
    client.force_login(StaffFactory(is_superuser=True))
    partnership = StrategicPartnershipFactory()

    add = client.get(reverse("admin:partnerships_strategicpartnership_add"))
    delete = client.post(
        reverse("admin:partnerships_strategicpartnership_delete", args=[partnership.pk]),
        {"post": "yes"},
    )

    assert (add.status_code, delete.status_code) == (403, 403)
    assert StrategicPartnership.objects.count() == 1
