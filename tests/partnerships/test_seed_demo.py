import datetime as dt
import io
import json
import statistics
from collections import Counter

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from partnerships.demo import (
    CountryInfo,
    RegionInfo,
    TaxonInfo,
    Taxonomies,
    generate_demo,
)
from partnerships.enums import (
    AwardingBody,
    LabelLevel,
    LabelState,
    MembershipRole,
    ValidationState,
)
from partnerships.management.commands.create_demo_users import DEMO_LOGINS, STAFF_GROUP
from partnerships.management.commands.seed_demo import taxonomies_from_db
from partnerships.models import (
    AuditEntry,
    Country,
    Label,
    Organisation,
    OrganisationMembership,
    PlantedPartnership,
    User,
)
from partnerships.reference import read_data_file

TODAY = dt.date(2026, 11, 24)


def taxonomies_from_files():
    """The shipped reference files as the generator's input, ordered like taxonomies_from_db."""
    regions = read_data_file("regions")
    places = {}
    for row in sorted(regions, key=lambda r: r["code"]):
        if row["level"] == 3:
            places.setdefault(row["parent"], []).append(row["name"])

    def taxa(name, *, links=False):
        rows = read_data_file(name)
        return tuple(
            TaxonInfo(
                row["slug"],
                row["name"],
                tuple(sorted(row["sectoral_industries"])) if links else (),
                service=row.get("is_service", False),
            )
            for row in sorted(rows, key=lambda r: (r.get("order", 0), r["slug"]))
        )

    return Taxonomies(
        countries=tuple(
            CountryInfo(c["code"], c["name"], c["population"], c["eu_member"])
            for c in sorted(read_data_file("countries"), key=lambda c: c["code"])
        ),
        regions=tuple(
            RegionInfo(r["code"], r["name"], r["country"], tuple(places.get(r["code"], ())))
            for r in sorted(regions, key=lambda r: r["code"])
            if r["level"] == 2
        ),
        sectors=taxa("sectoral_industries"),
        emerging=taxa("emerging_industries", links=True),
        ecosystems=taxa("ecosystems", links=True),
        positions=taxa("value_chain_positions"),
        objectives=taxa("policy_objectives"),
    )


@pytest.fixture(scope="module")
def taxonomies():
    return taxonomies_from_files()


@pytest.fixture(scope="module")
def demo(taxonomies):
    return generate_demo(taxonomies, organisations=2000, seed=2016, today=TODAY)


def _json_line(output):
    return json.loads(output.strip().splitlines()[-1])


def test_generate_demo_same_seed_gives_identical_data(taxonomies):
    first = generate_demo(taxonomies, organisations=400, seed=11, today=TODAY)
    second = generate_demo(taxonomies, organisations=400, seed=11, today=TODAY)

    assert first == second
    assert len(first.organisations) == 400


def test_generate_demo_different_seed_gives_different_data(taxonomies):
    first = generate_demo(taxonomies, organisations=400, seed=11, today=TODAY)
    second = generate_demo(taxonomies, organisations=400, seed=12, today=TODAY)

    assert [o.name for o in first.organisations] != [o.name for o in second.organisations]
    assert [o.region for o in first.organisations] != [o.region for o in second.organisations]


def test_generate_demo_label_holders_do_not_depend_on_the_day(taxonomies):
    now = generate_demo(taxonomies, organisations=400, seed=11, today=TODAY)
    later = generate_demo(
        taxonomies, organisations=400, seed=11, today=TODAY + dt.timedelta(days=400)
    )

    def holders(data):
        return [tuple(label.level for label in o.labels) for o in data.organisations]

    assert holders(now) == holders(later)
    assert [o.name for o in now.organisations] == [o.name for o in later.organisations]


def test_generate_demo_members_are_plausible(demo):
    totals = [sum(o.members) for o in demo.organisations]
    smes = sum(o.members[0] for o in demo.organisations)

    assert min(totals) >= 15
    assert max(totals) <= 600
    assert 75 <= statistics.median(totals) <= 105
    assert all(sum(1 for n in o.members if n > 0) >= 2 for o in demo.organisations)
    assert smes / sum(totals) > 0.5
    assert all(o.member_employees > 0 for o in demo.organisations)
    assert all(o.staff_fte >= 0.5 for o in demo.organisations)
    assert all(1990 <= o.year_established <= 2024 for o in demo.organisations)


def test_generate_demo_regions_lie_in_their_country_and_eu_dominates(demo, taxonomies):
    country_of_region = {r.code: r.country for r in taxonomies.regions}
    eu = {c.code for c in taxonomies.countries if c.eu_member}
    countries = Counter(o.country for o in demo.organisations)

    assert all(country_of_region[o.region] == o.country for o in demo.organisations)
    assert sum(n for code, n in countries.items() if code in eu) / 2000 >= 0.85
    assert countries.most_common(1)[0][0] == "DE"
    assert all(o.city for o in demo.organisations)


def test_generate_demo_taxonomy_links_stay_in_range(demo, taxonomies):
    priority_regions = [p.region for p in demo.priorities]
    per_region = Counter(priority_regions)

    assert all(1 <= len(o.sectors) <= 3 for o in demo.organisations)
    assert all(len(o.emerging) <= 2 for o in demo.organisations)
    assert all(1 <= len(o.ecosystems) <= 2 for o in demo.organisations)
    services = {p.slug for p in taxonomies.positions if p.service}
    assert all(1 <= len(set(o.positions) - services) <= 3 for o in demo.organisations)
    assert all(len(set(o.positions) & services) <= 1 for o in demo.organisations)
    assert all(len(o.priorities) <= 3 for o in demo.organisations)
    assert all(
        priority_regions[index] == o.region for o in demo.organisations for index in o.priorities
    )
    assert set(per_region) == {o.region for o in demo.organisations}
    assert min(per_region.values()) >= 3
    assert all(o.country not in o.target_countries for o in demo.organisations)
    assert all(len(o.target_countries) >= 1 for o in demo.organisations)


def test_generate_demo_sectors_correlate_with_regions(demo):
    by_region = {}
    for organisation in demo.organisations:
        by_region.setdefault(organisation.region, Counter()).update(organisation.sectors[:1])
    busy = [counts for counts in by_region.values() if sum(counts.values()) >= 15]
    top_three_share = sum(sum(n for _, n in counts.most_common(3)) for counts in busy) / sum(
        sum(counts.values()) for counts in busy
    )

    # With 51 sectors drawn at random, three sectors would hold about a fifth of a region.
    assert top_three_share > 0.6


def test_generate_demo_labels_are_mostly_verified_and_some_wait_for_a_check(demo):
    states = Counter(label.state for o in demo.organisations for label in o.labels)

    assert set(states) == {LabelState.VERIFIED, LabelState.DECLARED}
    assert 0.15 <= states[LabelState.DECLARED] / sum(states.values()) <= 0.25


def test_generate_demo_labels_follow_the_2016_shares(demo):
    labels = [label for o in demo.organisations for label in o.labels]
    levels = Counter(label.level for label in labels)

    assert 0.55 <= 1 - len(labels) / 2000 <= 0.62
    assert 0.80 <= levels[LabelLevel.BRONZE] / len(labels) <= 0.93
    assert 0.03 <= levels[LabelLevel.SILVER] / len(labels) <= 0.09
    assert 0.05 <= levels[LabelLevel.GOLD] / len(labels) <= 0.11
    assert all(
        label.awarding_body
        == (AwardingBody.ESCA if label.assessed_on < dt.date(2021, 1, 1) else AwardingBody.EUCLES)
        for label in labels
    )
    assert all(
        label.valid_until == label.assessed_on.replace(year=label.assessed_on.year + 2)
        for label in labels
        if (label.assessed_on.month, label.assessed_on.day) != (2, 29)
    )
    expired = sum(1 for label in labels if label.valid_until < TODAY)
    assert 0.2 <= expired / len(labels) <= 0.4


def test_generate_demo_most_organisations_are_verified(demo):
    states = Counter(o.validation_state for o in demo.organisations)

    assert 0.86 <= states[ValidationState.VERIFIED] / 2000 <= 0.94
    assert states[ValidationState.DRAFT] > 0
    assert states[ValidationState.PENDING] > 0
    assert states[ValidationState.REJECTED] > 0
    assert all(
        bool(o.rejection_reason) == (o.validation_state == ValidationState.REJECTED)
        for o in demo.organisations
    )


def test_generate_demo_planted_partnerships_span_countries_and_related_sectors(demo, taxonomies):
    theme_sectors = {e.slug: set(e.sectors) for e in taxonomies.emerging}
    planted = [index for p in demo.partnerships for index in p.organisations]
    chain = [position.slug for position in taxonomies.positions]

    assert 0.09 <= len(planted) / 2000 <= 0.11
    assert len(planted) == len(set(planted))
    for partnership in demo.partnerships:
        members = [demo.organisations[i] for i in partnership.organisations]
        countries = [o.country for o in members]
        primary_sectors = {o.sectors[0] for o in members}
        objectives = [{demo.priorities[index].objective for index in o.priorities} for o in members]
        assert 3 <= len(members) <= 6
        assert len(set(countries)) == len(members)
        assert len({o.region for o in members}) == len(members)
        assert len(primary_sectors) >= 2
        assert primary_sectors <= theme_sectors[partnership.theme]
        assert all(partnership.theme in o.emerging for o in members)
        assert set.intersection(*objectives)
        assert len({o.positions for o in members}) == len(members)
        # One unbroken stretch of the chain: no wrapping from after-sales back to research.
        steps = sorted(chain.index(position) for o in members for position in o.positions)
        assert steps == list(range(steps[0], steps[0] + len(members)))
        assert all(set(countries) - {o.country} <= set(o.target_countries) for o in members)
        assert set.intersection(*(set(o.keywords.split(", ")) for o in members))
        assert all(o.validation_state == ValidationState.VERIFIED for o in members)


def test_generate_demo_service_providers_hold_a_service_position(demo, taxonomies):
    services = {p.slug for p in taxonomies.positions if p.service}
    planted = {i for p in demo.partnerships for i in p.organisations}
    software = [
        o
        for i, o in enumerate(demo.organisations)
        if o.sectors[0] == "information-technology-analytical-instruments" and i not in planted
    ]
    holders = [o for o in demo.organisations if set(o.positions) & services]

    assert services == {"digital-services", "engineering-services", "knowledge-services"}
    assert software and all("digital-services" in o.positions for o in software)
    assert 0.1 < len(holders) / len(demo.organisations) < 0.3
    assert not any(set(demo.organisations[i].positions) & services for i in planted)


def test_generate_demo_declares_objectives_and_what_it_seeks(demo, taxonomies):
    objectives = {o.slug for o in taxonomies.objectives}
    organisations = demo.organisations
    declaring = [o for o in organisations if o.objectives]
    seeking = [
        o
        for o in organisations
        if o.seeking_sectors or o.seeking_emerging or o.seeking_ecosystems or o.seeking_positions
    ]

    assert 0.55 < len(declaring) / len(organisations) < 0.75
    assert 0.65 < len(seeking) / len(organisations) < 0.85
    assert all(set(o.objectives) <= objectives and len(o.objectives) <= 2 for o in organisations)
    assert not any(set(o.seeking_sectors) & set(o.sectors) for o in organisations)
    assert not any(set(o.seeking_positions) & set(o.positions) for o in organisations)


def test_generate_demo_planted_partners_seek_their_theme_and_each_others_sectors(demo):
    for partnership in demo.partnerships:
        members = [demo.organisations[i] for i in partnership.organisations]
        for member in members:
            others = {other.sectors[0] for other in members} - set(member.sectors)
            assert member.seeking_emerging == (partnership.theme,)
            assert others <= set(member.seeking_sectors)


@pytest.mark.django_db
def test_seed_demo_loads_reference_data_and_writes_the_generated_set():
    output = io.StringIO()

    call_command("seed_demo", organisations=300, seed=5, stdout=output)

    expected = generate_demo(
        taxonomies_from_db(), organisations=300, seed=5, today=timezone.localdate()
    )
    result = _json_line(output.getvalue())
    assert Country.objects.count() == len(read_data_file("countries"))
    assert result["organisations"] == 300
    assert isinstance(result["seconds"], float)
    assert sorted(Organisation.objects.values_list("name", flat=True)) == sorted(
        o.name for o in expected.organisations
    )
    assert Organisation.objects.filter(needs_rescoring=True).count() == 300
    assert Organisation.sectoral_industries.through.objects.count() == sum(
        len(o.sectors) for o in expected.organisations
    )
    assert Organisation.target_countries.through.objects.count() == sum(
        len(o.target_countries) for o in expected.organisations
    )
    for relation, attribute in (
        ("policy_objectives", "objectives"),
        ("seeking_sectors", "seeking_sectors"),
        ("seeking_emerging", "seeking_emerging"),
        ("seeking_ecosystems", "seeking_ecosystems"),
        ("seeking_value_chain", "seeking_positions"),
    ):
        assert getattr(Organisation, relation).through.objects.count() == sum(
            len(getattr(o, attribute)) for o in expected.organisations
        )
        assert getattr(Organisation, relation).through.objects.count() > 0
    assert Label.objects.count() == sum(len(o.labels) for o in expected.organisations)
    assert Counter(Label.objects.values_list("state", flat=True)) == Counter(
        label.state for o in expected.organisations for label in o.labels
    )
    assert PlantedPartnership.objects.filter(seed=5).count() == len(expected.partnerships)
    assert AuditEntry.objects.count() == 0


def _snapshot():
    return sorted(
        (
            o.name,
            o.acronym,
            o.region_id,
            o.validation_state,
            o.members_total,
            tuple(sorted(s.slug for s in o.sectoral_industries.all())),
            tuple(sorted(c.code for c in o.target_countries.all())),
            tuple(sorted((label.level, label.assessed_on) for label in o.labels.all())),
            tuple(sorted(p.title for p in o.s3_priorities.all())),
        )
        for o in Organisation.objects.prefetch_related(
            "sectoral_industries", "target_countries", "labels", "s3_priorities"
        )
    )


@pytest.mark.django_db
def test_seed_demo_same_seed_rewrites_identical_data_with_replace():
    call_command("seed_demo", organisations=200, seed=9, stdout=io.StringIO())
    first = _snapshot()
    planted_first = sorted(
        (p.name, tuple(sorted(o.name for o in p.organisations.all())))
        for p in PlantedPartnership.objects.all()
    )

    call_command("seed_demo", organisations=200, seed=9, replace=True, stdout=io.StringIO())

    assert Organisation.objects.count() == 200
    assert _snapshot() == first
    assert (
        sorted(
            (p.name, tuple(sorted(o.name for o in p.organisations.all())))
            for p in PlantedPartnership.objects.all()
        )
        == planted_first
    )


@pytest.mark.django_db
def test_seed_demo_if_empty_does_nothing_the_second_time():
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", organisations=120, seed=3, if_empty=True, stdout=first)
    names = sorted(Organisation.objects.values_list("name", flat=True))

    call_command("seed_demo", organisations=120, seed=4, if_empty=True, stdout=second)

    assert _json_line(first.getvalue())["organisations"] == 120
    assert _json_line(second.getvalue())["organisations"] == 0
    assert sorted(Organisation.objects.values_list("name", flat=True)) == names


@pytest.mark.django_db
def test_create_demo_users_is_idempotent_and_logins_work(client):
    call_command("seed_demo", organisations=150, seed=21, stdout=io.StringIO())
    call_command("create_demo_users", stdout=io.StringIO())
    output = io.StringIO()

    call_command("create_demo_users", stdout=output)

    logins = {login.key: login for login in DEMO_LOGINS}
    users = {key: User.objects.get(email=login.email) for key, login in logins.items()}
    owned = OrganisationMembership.objects.get(user=users["manager"])
    edited = OrganisationMembership.objects.get(user=users["partner"])
    assert User.objects.count() == 7
    assert owned.role == MembershipRole.OWNER
    assert edited.role == MembershipRole.EDITOR
    assert owned.organisation != edited.organisation
    assert owned.organisation.validation_state == ValidationState.VERIFIED
    assert edited.organisation.validation_state == ValidationState.VERIFIED
    assert AuditEntry.objects.filter(action="organisation.member_added").count() == 2
    assert (users["admin"].is_staff, users["admin"].is_superuser) == (True, True)
    assert (users["staff"].is_staff, users["staff"].is_superuser) == (True, False)
    assert set(users["staff"].groups.get(name=STAFF_GROUP).permissions.all()) == set(
        Permission.objects.filter(content_type__app_label="partnerships")
    )
    assert users["staff"].has_perm("partnerships.change_label") is True
    assert [users[key].is_staff for key in ("reviewer", "moderator", "organiser")] == [
        True,
        True,
        False,
    ]
    lines = output.getvalue().splitlines()
    assert len(lines) == 1 + len(DEMO_LOGINS) + 1
    assert lines[0].split() == ["Role", "E-mail", "Password", "What", "to", "try"]
    assert lines[5].split()[:5] == [
        "Cluster",
        "manager",
        "(owner)",
        "manager@clusterportal.example",
        "demo-manager-2016",
    ]
    assert lines[5].endswith(
        f"dashboard: recommended partners of {owned.organisation}; answer an open call from Calls"
    )
    for key, login in logins.items():
        assert login.password in output.getvalue()
        response = client.post(
            reverse("account_login"), {"login": login.email, "password": login.password}
        )
        assert (response.status_code, response["Location"]) == (302, "/dashboard/"), key
        assert client.session["_auth_user_id"] == str(users[key].pk)
        client.logout()


@pytest.mark.django_db
def test_create_demo_users_staff_can_open_the_admin(client):
    call_command("seed_demo", organisations=60, seed=1, stdout=io.StringIO())
    call_command("create_demo_users", stdout=io.StringIO())
    staff = next(login for login in DEMO_LOGINS if login.key == "staff")
    client.post(reverse("account_login"), {"login": staff.email, "password": staff.password})

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert response.context["user"].email == staff.email


@pytest.mark.django_db
def test_seed_demo_profiles_past_the_draft_carry_their_submission_time():
    call_command("seed_demo", organisations=150, seed=5, stdout=io.StringIO())

    submitted = dict(
        Organisation.objects.values_list("validation_state").annotate(
            n=Count("id", filter=Q(submitted_at__isnull=False))
        )
    )
    totals = dict(Organisation.objects.values_list("validation_state").annotate(n=Count("id")))
    assert submitted[ValidationState.PENDING] == totals[ValidationState.PENDING] > 0
    assert submitted.get(ValidationState.DRAFT, 0) == 0
