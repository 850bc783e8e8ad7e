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
    S3PriorityFactory,
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


def edit(organisation, step=None):
    url = f"/organisations/{organisation.pk}/edit/"
    return f"{url}?step={step}" if step else url


@pytest.fixture
def draft(user, bavaria):
    return OrganisationFactory(
        name="Mobility Valley Bavaria",
        validation_state=ValidationState.DRAFT,
        owner=user,
        region=bavaria,
        sectoral_industries=[SectoralIndustryFactory(slug="automotive", name="Automotive")],
    )


@pytest.mark.django_db
def test_save_draft_creates_an_owned_draft(manager_client, user, bavaria):
    response = manager_client.post(NEW, profile(bavaria, go="next"))

    organisation = Organisation.objects.get()
    assert response["Location"] == f"/organisations/{organisation.pk}/edit/?step=sectors"
    assert organisation.validation_state == ValidationState.DRAFT
    assert organisation.website_domain == "mobility-valley.example"
    assert organisation.memberships.get().user == user
    assert organisation.memberships.get().role == MembershipRole.OWNER


@pytest.mark.django_db
def test_failed_precheck_keeps_the_draft_and_shows_each_message(manager_client, draft):
    Organisation.objects.filter(pk=draft.pk).update(
        members_large=0, members_research=0, members_public=0, members_smes=9, staff_fte=0.2
    )

    response = manager_client.post(edit(draft), {"step": "review", "go": "submit"})

    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.validation_state, draft.members_smes) == (ValidationState.DRAFT, 9)
    errors = [(message, where.slug) for message, where in response.context["submit_errors"]]
    assert errors == [
        ("A cluster needs at least 15 committed members; this profile counts 9.", "members"),
        (
            "Members must come from at least two groups (for example SMEs and research and "
            "education).",
            "members",
        ),
        ("Cluster management needs at least 0.5 full-time staff.", "members"),
    ]
    body = response.content.decode()
    assert "Your draft is saved, but it cannot be submitted yet" in body
    assert 'name="go" value="members"' in body
    assert f'action="/organisations/{draft.pk}/edit/?step=review"' in body


@pytest.mark.django_db
def test_fixed_profile_submits_for_validation(manager_client, draft, bavaria):
    Organisation.objects.filter(pk=draft.pk).update(staff_fte=0)

    fixed = manager_client.post(edit(draft), profile(bavaria, step="members", go="next"))
    submitted = manager_client.post(edit(draft), {"step": "review", "go": "submit"})

    assert fixed["Location"] == edit(draft, "review")
    assert submitted["Location"] == "/dashboard/"
    draft.refresh_from_db()
    assert draft.validation_state == ValidationState.PENDING
    assert draft.name == "Mobility Valley Bavaria"


@pytest.mark.django_db
def test_invalid_input_saves_nothing_and_keeps_what_was_typed(manager_client, bavaria):
    response = manager_client.post(NEW, profile(bavaria, go="next", year_established="1700"))

    assert response.status_code == 200
    assert Organisation.objects.count() == 0
    form = response.context["form"]
    assert set(form.errors) == {"year_established"}
    assert form["name"].value() == "Mobility Valley Bavaria"


@pytest.mark.django_db
def test_each_step_is_validated_on_its_own_and_keeps_the_others(manager_client, draft, bavaria):
    sector = SectoralIndustryFactory(slug="automotive")
    draft.sectoral_industries.set([sector])

    response = manager_client.post(
        edit(draft), profile(bavaria, step="members", go="next", staff_fte="lots", name="")
    )

    assert response.status_code == 200
    # The name is not on this step: it is neither required here nor cleared.
    assert set(response.context["form"].errors) == {"staff_fte"}
    assert response.context["form"]["members_smes"].value() == "60"
    draft.refresh_from_db()
    assert (draft.name, list(draft.sectoral_industries.all())) == (
        "Mobility Valley Bavaria",
        [sector],
    )


@pytest.mark.django_db
def test_a_later_step_never_clears_an_earlier_one(manager_client, draft, bavaria):
    sector = SectoralIndustryFactory(slug="automotive")

    manager_client.post(
        edit(draft), {"step": "sectors", "go": "next", "sectoral_industries": [sector.pk]}
    )
    manager_client.post(edit(draft), profile(bavaria, step="members", go="next"))
    manager_client.post(edit(draft), {"step": "value-chain", "go": "next"})

    draft.refresh_from_db()
    assert list(draft.sectoral_industries.all()) == [sector]
    assert (draft.members_smes, draft.name) == (60, "Mobility Valley Bavaria")


@pytest.mark.django_db
def test_back_and_the_progress_bar_save_the_step_first(manager_client, draft):
    sector = SectoralIndustryFactory(slug="automotive")

    back = manager_client.post(
        edit(draft), {"step": "sectors", "go": "back", "sectoral_industries": [sector.pk]}
    )
    jump = manager_client.post(edit(draft), {"step": "value-chain", "go": "review"})
    stay = manager_client.post(
        edit(draft), {"step": "sectors", "go": "stay", "sectoral_industries": [sector.pk]}
    )

    assert back["Location"] == edit(draft)
    assert jump["Location"] == edit(draft, "review")
    assert stay["Location"] == edit(draft, "sectors")
    assert list(draft.sectoral_industries.all()) == [sector]


@pytest.mark.django_db
def test_progress_bar_names_the_step_and_a_new_profile_reaches_only_the_first(
    manager_client, draft
):
    new = manager_client.get(NEW).content.decode()
    third = manager_client.get(edit(draft, "value-chain")).content.decode()

    assert "Step 1 of 5: Organisation and region" in new
    assert 'name="go" value="sectors"' not in new
    assert "Step 3 of 5: Value chain and S3" in third
    assert (
        '<span class="steps__label" aria-current="step"><span class="steps__number">3</span> '
        "Value chain and S3</span>"
    ) in third
    assert [f'name="go" value="{slug}"' in third for slug in ("organisation", "review")] == [
        True,
        True,
    ]


@pytest.mark.django_db
def test_multi_selects_are_checkbox_lists_with_a_filter_for_long_ones(manager_client, draft):
    sectors = manager_client.get(edit(draft, "sectors")).content.decode()
    members = manager_client.get(edit(draft, "members")).content.decode()

    assert "<select multiple" not in sectors + members
    assert 'id="id_sectoral_industries" class="choice-list choice-list--filter"' in sectors
    assert 'id="id_target_countries" class="choice-list choice-list--filter"' in members
    assert 'type="checkbox" name="target_countries"' in members
    assert "js/choice_filter.js" in members


@pytest.mark.django_db
def test_region_change_lists_its_s3_priorities_keeping_the_ticks_that_still_apply(client, bavaria):
    mine = S3PriorityFactory(region=bavaria, title="Smart mobility")
    other = S3PriorityFactory(region=bavaria, title="Life sciences")
    elsewhere = S3PriorityFactory(region=RegionFactory(code="FRK2", country__code="FR"))

    response = client.get(
        "/organisations/s3-priorities/",
        {"region": "DE21", "s3_priorities": [mine.pk, elsewhere.pk, "x"]},
    )

    form_field = response.context["field"]
    assert [str(choice.choice_label) for choice in form_field] == [
        "Life sciences (DE21)",
        "Smart mobility (DE21)",
    ]
    body = response.content.decode()
    assert f'value="{mine.pk}" class="choice-list" id="id_s3_priorities_1" checked>' in body
    assert f'value="{other.pk}" class="choice-list" id="id_s3_priorities_0">' in body
    assert str(elsewhere.title) not in body
    assert '<input type="hidden" name="s3_region" value="DE21">' in body


@pytest.mark.django_db
def test_without_javascript_a_new_region_shows_its_s3_priorities_after_the_post(
    manager_client, draft, bavaria
):
    old = S3PriorityFactory(region=bavaria, title="Smart mobility")
    draft.s3_priorities.set([old])
    swabia = RegionFactory(code="DE27", name="Schwaben", country=bavaria.country)
    new = S3PriorityFactory(region=swabia, title="Lightweight construction")
    data = profile(bavaria, go="next", region="DE27", s3_region="DE21", s3_priorities=[old.pk])

    response = manager_client.post(edit(draft), data)
    page = manager_client.get(response["Location"]).content.decode()

    # The step is shown again, the old region's tick gone, the new region's choices listed.
    assert response["Location"] == edit(draft)
    draft.refresh_from_db()
    assert (draft.region_id, list(draft.s3_priorities.all())) == ("DE27", [])
    assert "Lightweight construction (DE27)" in page
    assert "tick yours" in page
    ticked = manager_client.post(
        edit(draft), data | {"s3_region": "DE27", "s3_priorities": [new.pk]}
    )
    assert ticked["Location"] == edit(draft, "sectors")
    assert list(draft.s3_priorities.all()) == [new]


@pytest.mark.django_db
def test_review_lists_the_profile_by_step(manager_client, draft):
    response = manager_client.get(edit(draft, "review"))

    rows = {step.slug: dict(values) for step, values in response.context["review"]}
    assert list(rows) == ["organisation", "sectors", "value-chain", "members"]
    assert rows["organisation"]["Name"] == "Mobility Valley Bavaria"
    assert rows["sectors"]["Sectoral industries"] == "Automotive"
    assert 'name="go" value="submit"' in response.content.decode()


@pytest.mark.django_db
def test_region_of_another_country_is_refused(manager_client, bavaria):
    lyon = RegionFactory(code="FRK2", country__code="FR")

    response = manager_client.post(NEW, profile(bavaria, go="next", region=lyon.code))

    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_logo_type_is_read_from_content_not_name(manager_client, bavaria):
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")

    response = manager_client.post(NEW, profile(bavaria, go="next", logo=fake))

    assert response.context["form"].errors["logo"] == ["This file is not one of: PNG, JPEG, WEBP."]
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_real_png_logo_and_label_with_certificate_are_saved(manager_client, bavaria):
    logo = SimpleUploadedFile("logo.bin", png(), content_type="application/octet-stream")
    certificate = SimpleUploadedFile("c.pdf", pdf(), content_type="application/pdf")

    manager_client.post(NEW, profile(bavaria, go="next", logo=logo))
    organisation = Organisation.objects.get()
    manager_client.post(
        edit(organisation),
        profile(
            bavaria,
            step="members",
            go="next",
            **{
                "label-level": "gold",
                "label-awarding_body": "eucles",
                "label-assessed_on": "2025-05-01",
                "label-valid_until": "2027-05-01",
                "label-certificate": certificate,
            },
        ),
    )

    organisation.refresh_from_db()
    assert organisation.logo.name.startswith("logos/")
    label = Label.objects.get(organisation=organisation)
    assert (label.level, label.certificate.name.startswith("certificates/")) == ("gold", True)


@pytest.mark.django_db
def test_label_ending_before_assessment_saves_nothing(manager_client, draft, bavaria):
    data = profile(
        bavaria,
        step="members",
        go="next",
        members_smes="99",
        **{
            "label-level": "gold",
            "label-awarding_body": "eucles",
            "label-assessed_on": "2025-05-01",
            "label-valid_until": "2024-05-01",
        },
    )

    response = manager_client.post(edit(draft), data)

    assert response.context["label_form"].errors == {
        "valid_until": ["A label must be valid after the day it was assessed."]
    }
    draft.refresh_from_db()
    assert (Label.objects.count(), draft.members_smes) == (0, 60)


@pytest.mark.django_db
def test_editing_another_managers_draft_is_not_found(manager_client, bavaria):
    foreign = OrganisationFactory(validation_state=ValidationState.DRAFT, region=bavaria)

    assert manager_client.get(f"/organisations/{foreign.pk}/edit/").status_code == 404


@pytest.mark.django_db
def test_editing_a_public_profile_of_others_is_forbidden(manager_client, bavaria):
    public = OrganisationFactory(name="Kept", region=bavaria)

    response = manager_client.post(f"/organisations/{public.pk}/edit/", profile(bavaria, go="next"))

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

    # With the labels awaiting a check, listed below the profiles.
    with django_assert_num_queries(10):
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


@pytest.mark.django_db
def test_autosave_keeps_the_step_typed_in_without_touching_the_others(
    manager_client, draft, bavaria
):
    url = f"/organisations/{draft.pk}/autosave/"
    logo_before = draft.logo.name

    saved = manager_client.post(
        url, profile(bavaria, step="organisation", city="Augsburg"), HTTP_HX_REQUEST="true"
    )
    refused = manager_client.post(
        url, profile(bavaria, step="members", staff_fte="lots"), HTTP_HX_REQUEST="true"
    )
    plain = manager_client.post(url, profile(bavaria, step="members"))

    assert (saved.status_code, "Saved at" in saved.content.decode()) == (200, True)
    assert refused.status_code == 422
    assert "Cluster management staff (FTE): Enter a number." in refused.content.decode()
    assert plain["Location"] == edit(draft, "members")
    draft.refresh_from_db()
    assert (draft.city, draft.logo.name, draft.sectoral_industries.count()) == (
        "Augsburg",
        logo_before,
        1,
    )


@pytest.mark.django_db
def test_autosave_after_the_session_ended_says_signed_out(client, draft, bavaria):
    response = client.post(
        f"/organisations/{draft.pk}/autosave/",
        profile(bavaria, step="organisation"),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 401
    assert response.json()["error"] == "signed_out"
