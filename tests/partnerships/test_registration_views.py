import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerships import services
from partnerships.enums import MembershipRole, ValidationState
from partnerships.models import Invitation, Label, Organisation
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    SectoralIndustryFactory,
    UserFactory,
)
from tests.hostile_files import pdf, png

NEW = "/organisations/new/"


@pytest.fixture
def bavaria(db):
    return RegionFactory(code="DE21", name="Oberbayern", country__code="DE")


@pytest.fixture
def manager_client(client, user):
    client.force_login(user)
    return client


def profile(place, **overrides):
    data = {
        "name": "Mobility Valley Bavaria",
        "acronym": "MVB",
        "type": "cluster",
        "country": place.country_id,
        "region": place.code,
        "city": "Munich",
        "website": "https://mobility-valley.example",
        "members_smes": "60",
        "members_large": "5",
        "members_research": "8",
        "members_public": "2",
        "members_civil": "0",
        "member_employees": "42000",
        "staff_fte": "3.5",
        "description": "Electric drivetrains and batteries.",
        "sectoral_industries": [SectoralIndustryFactory(slug="automotive").pk],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.django_db
def test_registration_needs_a_signed_in_person(client):
    response = client.get(NEW)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_save_draft_creates_an_owned_draft(manager_client, user, bavaria):
    response = manager_client.post(NEW, profile(bavaria, save="1"))

    organisation = Organisation.objects.get()
    assert response["Location"] == f"/organisations/{organisation.pk}/edit/"
    assert organisation.validation_state == ValidationState.DRAFT
    assert organisation.website_domain == "mobility-valley.example"
    assert organisation.memberships.get().user == user
    assert organisation.memberships.get().role == MembershipRole.OWNER


@pytest.mark.django_db
def test_failed_precheck_keeps_the_draft_and_shows_each_message(manager_client, bavaria):
    data = profile(
        bavaria,
        submit="1",
        members_large="0",
        members_research="0",
        members_public="0",
        members_smes="9",
        staff_fte="0.2",
    )

    response = manager_client.post(NEW, data)

    assert response.status_code == 200
    organisation = Organisation.objects.get()
    assert organisation.validation_state == ValidationState.DRAFT
    assert organisation.members_smes == 9
    form = response.context["form"]
    assert form.errors == {
        "members_smes": ["A cluster needs at least 15 committed members; this profile counts 9."],
        "members_research": [
            "Members must come from at least two groups (for example SMEs and research and "
            "education)."
        ],
        "staff_fte": ["Cluster management needs at least 0.5 full-time staff."],
    }
    body = response.content.decode()
    assert "Your draft is saved, but it cannot be submitted yet" in body
    assert f'action="/organisations/{organisation.pk}/edit/"' in body


@pytest.mark.django_db
def test_fixed_profile_submits_for_validation(manager_client, user, bavaria):
    organisation = OrganisationFactory(
        validation_state=ValidationState.DRAFT, owner=user, region=bavaria, staff_fte=0
    )

    response = manager_client.post(
        f"/organisations/{organisation.pk}/edit/", profile(bavaria, submit="1")
    )

    assert response["Location"] == "/dashboard/"
    organisation.refresh_from_db()
    assert organisation.validation_state == ValidationState.PENDING
    assert organisation.name == "Mobility Valley Bavaria"


@pytest.mark.django_db
def test_invalid_input_saves_nothing_and_keeps_what_was_typed(manager_client, bavaria):
    response = manager_client.post(
        NEW, profile(bavaria, save="1", year_established="1700", staff_fte="lots")
    )

    assert response.status_code == 200
    assert Organisation.objects.count() == 0
    form = response.context["form"]
    assert set(form.errors) == {"year_established", "staff_fte"}
    assert form["name"].value() == "Mobility Valley Bavaria"


@pytest.mark.django_db
def test_region_of_another_country_is_refused(manager_client, bavaria):
    lyon = RegionFactory(code="FRK2", country__code="FR")

    response = manager_client.post(NEW, profile(bavaria, save="1", region=lyon.code))

    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_logo_type_is_read_from_content_not_name(manager_client, bavaria):
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")

    response = manager_client.post(NEW, profile(bavaria, save="1", logo=fake))

    assert response.context["form"].errors["logo"] == ["This file is not one of: PNG, JPEG, WEBP."]
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_real_png_logo_and_label_with_certificate_are_saved(manager_client, bavaria):
    logo = SimpleUploadedFile("logo.bin", png(), content_type="application/octet-stream")
    certificate = SimpleUploadedFile("c.pdf", pdf(), content_type="application/pdf")
    data = profile(
        bavaria,
        save="1",
        logo=logo,
        **{
            "label-level": "gold",
            "label-awarding_body": "eucles",
            "label-assessed_on": "2025-05-01",
            "label-valid_until": "2027-05-01",
            "label-certificate": certificate,
        },
    )

    manager_client.post(NEW, data)

    organisation = Organisation.objects.get()
    assert organisation.logo.name.startswith("logos/")
    label = Label.objects.get(organisation=organisation)
    assert (label.level, label.certificate.name.startswith("certificates/")) == ("gold", True)


@pytest.mark.django_db
def test_label_ending_before_assessment_saves_nothing(manager_client, bavaria):
    data = profile(
        bavaria,
        save="1",
        **{
            "label-level": "gold",
            "label-awarding_body": "eucles",
            "label-assessed_on": "2025-05-01",
            "label-valid_until": "2024-05-01",
        },
    )

    response = manager_client.post(NEW, data)

    assert response.context["label_form"].errors == {
        "valid_until": ["A label must be valid after the day it was assessed."]
    }
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_editing_another_managers_draft_is_not_found(manager_client, bavaria):
    foreign = OrganisationFactory(validation_state=ValidationState.DRAFT, region=bavaria)

    assert manager_client.get(f"/organisations/{foreign.pk}/edit/").status_code == 404


@pytest.mark.django_db
def test_editing_a_public_profile_of_others_is_forbidden(manager_client, bavaria):
    public = OrganisationFactory(name="Kept", region=bavaria)

    response = manager_client.post(f"/organisations/{public.pk}/edit/", profile(bavaria, save="1"))

    assert response.status_code == 403
    public.refresh_from_db()
    assert public.name == "Kept"


@pytest.mark.django_db
def test_region_options_are_narrowed_to_the_country(client, bavaria):
    RegionFactory(code="FRK2", name="Rhône-Alpes", country__code="FR")

    response = client.get("/organisations/region-options/", {"country": "DE", "region": "DE21"})

    body = response.content.decode()
    assert '<option value="DE21" selected>Oberbayern (DE21)</option>' in body
    assert "FRK2" not in body


@pytest.mark.django_db
def test_dashboard_lists_what_is_missing(manager_client, user, bavaria):
    OrganisationFactory(
        name="Small",
        validation_state=ValidationState.DRAFT,
        owner=user,
        region=bavaria,
        website="",
    )
    OrganisationFactory(name="Other people's")

    response = manager_client.get("/dashboard/")

    rows = response.context["rows"]
    assert [row["organisation"].name for row in rows] == ["Small"]
    assert [finding.code for finding in rows[0]["findings"]] == ["website", "sectors"]
    assert rows[0]["is_owner"] is True


@pytest.mark.django_db
def test_staff_queue_is_for_staff_only(manager_client, client, staff):
    pending = OrganisationFactory(validation_state=ValidationState.PENDING)
    OrganisationFactory(validation_state=ValidationState.DRAFT)

    assert manager_client.get("/staff/validation/").status_code == 403
    client.force_login(staff)
    response = client.get("/staff/validation/")
    assert list(response.context["organisations"]) == [pending]


@pytest.mark.django_db
def test_staff_rejection_needs_a_reason_then_reaches_the_manager(
    client, staff, django_capture_on_commit_callbacks
):
    manager = UserFactory(email="owner@cluster.example")
    pending = OrganisationFactory(validation_state=ValidationState.PENDING, owner=manager)
    client.force_login(staff)
    url = f"/staff/validation/{pending.pk}/"

    refused = client.post(url, {"decision": "reject", "reason": ""})
    with django_capture_on_commit_callbacks(execute=True):
        with_reason = client.post(url, {"decision": "reject", "reason": "No activity online."})

    assert refused.status_code == 400
    assert refused.context["form"].errors == {
        "reason": ["Give the manager a reason for the rejection."]
    }
    assert with_reason["Location"] == "/staff/validation/"
    pending.refresh_from_db()
    assert pending.validation_state == ValidationState.REJECTED
    assert mail.outbox[-1].to == ["owner@cluster.example"]


@pytest.mark.django_db
def test_staff_sees_likely_duplicates(client, staff):
    OrganisationFactory(name="Photonics Cluster Berlin", website="https://photonics.example/")
    pending = OrganisationFactory(
        name="Photonics Cluster Berlin e.V.",
        website="https://www.photonics.example/en",
        validation_state=ValidationState.PENDING,
    )
    pending.website_domain = "photonics.example"
    pending.save()
    Organisation.objects.exclude(pk=pending.pk).update(website_domain="photonics.example")
    client.force_login(staff)

    response = client.get(f"/staff/validation/{pending.pk}/")

    assert [o.name for o in response.context["duplicates"]] == ["Photonics Cluster Berlin"]
    html = " ".join(response.content.decode().split())
    assert '<h2 id="duplicates-title" class="card__title">Likely duplicates</h2>' in html
    assert ">Photonics Cluster Berlin</a> (" in html


@pytest.mark.django_db
def test_staff_validation_page_shows_prechecks_and_history_in_words(client, staff, user):
    pending = OrganisationFactory(validation_state=ValidationState.DRAFT, website="")
    pending.sectoral_industries.clear()
    services.change_validation_state(pending, to=ValidationState.PENDING, by=user)
    client.force_login(staff)

    html = " ".join(client.get(f"/staff/validation/{pending.pk}/").content.decode().split())

    assert '<h2 id="prechecks-title" class="card__title">Pre-checks</h2>' in html
    assert "<li>Give the address of the cluster&#x27;s website.</li>" in html
    assert "<li>Choose at least one sectoral industry.</li>" in html
    assert "No other profile shares this website or a very similar name." in html
    assert " · Submitted for validation · " in html
    assert "organisation.pending" not in html


@pytest.mark.django_db
def test_staff_queue_shows_when_each_profile_was_submitted(client, staff):
    pending = OrganisationFactory(validation_state=ValidationState.PENDING)
    Organisation.objects.filter(pk=pending.pk).update(
        submitted_at=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    )
    client.force_login(staff)

    html = client.get("/staff/validation/").content.decode()

    assert "<td>2 Mar 2026, 10:30</td>" in html


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_staff_queue_query_count_does_not_grow(client, staff, count, django_assert_num_queries):
    for _ in range(count):
        OrganisationFactory(validation_state=ValidationState.PENDING)
    client.force_login(staff)
    # Warm the session and the permission cache first.
    client.get("/staff/validation/")

    with django_assert_num_queries(9):
        response = client.get("/staff/validation/")

    assert len(response.context["organisations"]) == count


@pytest.mark.django_db
def test_owner_invites_an_editor_but_an_editor_cannot(client, django_capture_on_commit_callbacks):
    owner, editor = UserFactory(), UserFactory()
    organisation = OrganisationFactory(owner=owner)
    MembershipFactory(organisation=organisation, user=editor)
    url = f"/organisations/{organisation.pk}/members/"

    client.force_login(editor)
    assert client.post(url, {"invite": "1", "email": "x@cluster.example"}).status_code == 403
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"invite": "1", "email": "new@cluster.example"})

    assert response["Location"] == url
    assert Invitation.objects.get().email == "new@cluster.example"
    assert mail.outbox[-1].to == ["new@cluster.example"]


@pytest.mark.django_db
def test_invitation_link_makes_the_invited_person_an_editor(client):
    owner = UserFactory()
    organisation = OrganisationFactory(owner=owner)
    invitation = Invitation.objects.create(
        organisation=organisation, email="new@cluster.example", invited_by=owner
    )
    client.force_login(UserFactory(email="new@cluster.example"))

    response = client.post(f"/invitations/{invitation.token}/")

    assert response["Location"] == "/dashboard/"
    assert organisation.memberships.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_query_count_does_not_grow_with_the_list(
    count, manager_client, user, bavaria, django_assert_num_queries
):
    for number in range(count):
        OrganisationFactory(
            name=f"Draft {number}",
            validation_state=ValidationState.DRAFT,
            owner=user,
            region=bavaria,
            sectoral_industries=[SectoralIndustryFactory()],
        )

    with django_assert_num_queries(12):
        response = manager_client.get("/dashboard/")

    assert len(response.context["rows"]) == count


@pytest.mark.django_db
def test_invitation_email_links_to_the_address_that_served_the_request(
    client, django_capture_on_commit_callbacks
):
    owner = UserFactory()
    organisation = OrganisationFactory(owner=owner)
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/organisations/{organisation.pk}/members/",
            {"invite": "1", "email": "new@cluster.example"},
            HTTP_HOST="localhost:8123",
        )

    assert "http://localhost:8123/" in mail.outbox[-1].body
    assert "127.0.0.1:8000" not in mail.outbox[-1].body


def test_links_written_outside_a_request_use_site_url(settings):
    settings.SITE_URL = "https://portal.example.eu"

    assert services.absolute("/calls/") == "https://portal.example.eu/calls/"
