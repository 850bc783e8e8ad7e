"""Every upload field against hostile files: what is accepted, how it is stored, what comes
back when fetched, and to whom."""

import io
import re
from pathlib import Path

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from partnerships.enums import MembershipRole, ValidationState
from partnerships.models import ExpressionAttachment, Label
from tests.factories import (
    ExpressionFactory,
    LabelFactory,
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
)
from tests.hostile_files import CASES, HTML, pdf, png
from tests.partnerships.test_admin import _organisation_form

pytestmark = pytest.mark.django_db

NOT_IMAGE = "This file is not one of: PNG, JPEG, WEBP."
NOT_DOCUMENT = "This file is not one of: PDF, PNG, JPEG."
ACTIVE_PDF = "This PDF contains active content (scripts, actions or embedded files)."
EMPTY = "The submitted file is empty."
# Case -> (logo outcome, document outcome): the stored type, or the error shown.
EXPECTED = {
    "png+html": (NOT_IMAGE, NOT_DOCUMENT),
    "webp+html": (NOT_IMAGE, NOT_DOCUMENT),
    "gif+html": (NOT_IMAGE, NOT_DOCUMENT),
    "jpeg+html": (NOT_IMAGE, NOT_DOCUMENT),
    "pdf+html": (NOT_IMAGE, NOT_DOCUMENT),
    "html as .png": (NOT_IMAGE, NOT_DOCUMENT),
    "svg+script": (NOT_IMAGE, NOT_DOCUMENT),
    "pdf /JavaScript": (NOT_IMAGE, ACTIVE_PDF),
    "pdf /Launch": (NOT_IMAGE, ACTIVE_PDF),
    "pdf embedded file": (NOT_IMAGE, ACTIVE_PDF),
    "valid png+html tail": (".png", ".png"),
    "oversized": (
        "The file is larger than the limit of 2.0\xa0MB.",
        "The file is larger than the limit of 5.0\xa0MB.",
    ),
    "zero bytes": (EMPTY, EMPTY),
    "valid image": (".png", ".png"),
    "valid pdf": (NOT_IMAGE, ".pdf"),
}
CONTENT_TYPES = {".png": "image/png", ".pdf": "application/pdf"}
FIELDS = ("logo", "certificate", "attachment")


def edit_data(organisation, **extra):
    data = {
        "name": organisation.name,
        "type": organisation.type,
        "country": organisation.region.country_id,
        "region": organisation.region.code,
        "member_employees": "100",
        "staff_fte": "1.0",
        "save": "1",
        **{f"members_{kind}": "1" for kind in ("smes", "large", "research", "public", "civil")},
    }
    return data | extra


# The label and its certificate are given in the profile's "Members and label" step.
LABEL = {
    "step": "members",
    "label-level": "gold",
    "label-awarding_body": "eucles",
    "label-assessed_on": "2025-05-01",
    "label-valid_until": "2027-05-01",
}


@pytest.fixture
def world():
    """A draft organisation with its manager, a manager of another one, and staff."""
    organisation = OrganisationFactory(validation_state=ValidationState.DRAFT)
    member = MembershipFactory(organisation=organisation, role=MembershipRole.OWNER).user
    return {
        "organisation": organisation,
        "expression": ExpressionFactory(lead=organisation),
        "member": member,
        "other manager": MembershipFactory().user,
        "staff": StaffFactory(),
    }


def upload(client, world, field, name, content):
    """Send the file through its form; (response, stored file, form errors of the field)."""
    organisation, expression = world["organisation"], world["expression"]
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    client.force_login(world["member"])
    if field == "attachment":
        response = client.post(
            f"/expressions/{expression.pk}/attachments/", {"title": "Plan", "file": file}
        )
        stored = ExpressionAttachment.objects.filter(expression=expression).first()
        form = response.context and response.context.get("attachment_form")
        return response, stored and stored.file, form and form.errors.get("file")
    if field == "logo":
        response = client.post(
            f"/organisations/{organisation.pk}/edit/", edit_data(organisation, logo=file)
        )
        organisation.refresh_from_db()
        form = response.context and response.context.get("form")
        return response, organisation.logo or None, form and form.errors.get("logo")
    data = edit_data(organisation, **LABEL, **{"label-certificate": file})
    response = client.post(f"/organisations/{organisation.pk}/edit/", data)
    stored = Label.objects.filter(organisation=organisation).first()
    form = response.context and response.context.get("label_form")
    return response, stored and stored.certificate, form and form.errors.get("certificate")


def fetch_url(field, world, stored):
    if field == "logo":
        return f"/media/{stored.name}"
    return stored.instance.get_download_url()


def stored_files(settings):
    roots = (Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT))
    return sorted(
        str(path.relative_to(root))
        for root in roots
        if root.exists()
        for path in root.rglob("*")
        if path.is_file() and "held" not in path.parts
    )


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("case", list(CASES))
def test_upload_field_against_hostile_file(field, case, client, world, settings):
    name, content = CASES[case]
    expected = EXPECTED[case][0 if field == "logo" else 1]

    response, stored, errors = upload(client, world, field, name, content)

    if not expected.startswith("."):
        assert (response.status_code, errors, stored) == (
            400 if field == "attachment" else 200,
            [expected],
            None,
        )
        assert stored_files(settings) == []
        return
    folder = {"logo": "logos", "certificate": "certificates", "attachment": "expressions"}[field]
    assert re.fullmatch(rf"{folder}/[0-9a-f]{{32}}\{expected}", stored.name)
    assert getattr(stored.instance, stored.field.name_field) == name
    body = stored.open("rb").read()
    assert HTML not in body
    if expected == ".png":
        assert Image.open(io.BytesIO(body)).format == "PNG"
    public_root = Path(settings.MEDIA_ROOT)
    assert (public_root / stored.name).exists() is (field == "logo")


PRIVATE_ANSWERS = {
    "certificate": {"anonymous": 404, "other manager": 404, "member": 200, "staff": 200},
    "attachment": {"anonymous": 404, "other manager": 404, "member": 200, "staff": 200},
}


@pytest.mark.parametrize(
    ("field", "case"),
    [
        (field, case)
        for field in FIELDS
        for case, outcomes in EXPECTED.items()
        if outcomes[0 if field == "logo" else 1].startswith(".")
    ],
)
def test_accepted_file_comes_back_as_its_type_to_whom_it_may(field, case, client, world):
    name, content = CASES[case]
    _response, stored, _errors = upload(client, world, field, name, content)
    url = fetch_url(field, world, stored)
    suffix = Path(stored.name).suffix

    answers = {}
    for who in ("anonymous", "other manager", "member", "staff"):
        client.logout()
        if who != "anonymous":
            client.force_login(world[who])
        response = client.get(url)
        direct = client.get(f"/media/{stored.name}")
        answers[who] = (
            response.status_code,
            response.get("Content-Type") if response.status_code == 200 else None,
            response.get("X-Content-Type-Options"),
            response.get("Content-Disposition"),
            direct.status_code,
        )

    if field == "logo":
        inline = f'inline; filename="{Path(stored.name).name}"'
        assert answers == dict.fromkeys(
            ("anonymous", "other manager", "member", "staff"),
            (200, "image/png", "nosniff", inline, 200),
        )
        return
    download = f'attachment; filename="{Path(name).stem}{suffix}"'
    if not name.isascii():
        ascii_name = {
            "Logo Köln.png": "Logo Koln.png",
            "Zertifikat – Köln.pdf": "Zertifikat  Koln.pdf",
        }
        download = (
            f"attachment; filename=\"{ascii_name[name]}\"; filename*=UTF-8''"
            + {
                "Logo Köln.png": "Logo%20K%C3%B6ln.png",
                "Zertifikat – Köln.pdf": "Zertifikat%20%E2%80%93%20K%C3%B6ln.pdf",
            }[name]
        )
    for who, status in PRIVATE_ANSWERS[field].items():
        if status == 200:
            assert answers[who] == (200, CONTENT_TYPES[suffix], "nosniff", download, 404)
        else:
            assert (answers[who][0], answers[who][4]) == (status, 404)


def test_logo_address_admits_only_generated_image_names(client, settings):
    organisation = OrganisationFactory()
    organisation.logo.save("logo.png", ContentFile(png()))
    (Path(settings.MEDIA_ROOT) / "logos" / "chain.html").write_bytes(HTML)

    page = client.get("/media/logos/chain.html")
    missing = client.get(f"/media/logos/{'0' * 32}.png")

    assert (page.status_code, missing.status_code) == (404, 404)


def test_files_outside_logos_are_not_served_under_media_url(client, settings):
    private = Path(settings.MEDIA_ROOT) / "expressions" / "2026" / "plan.pdf"
    private.parent.mkdir(parents=True)
    private.write_bytes(pdf())

    response = client.get("/media/expressions/2026/plan.pdf")

    assert response.status_code == 404


def test_code_that_bypasses_the_forms_cannot_store_an_unchecked_file():
    label = LabelFactory()

    with pytest.raises(Exception) as refused:
        label.certificate.save("page.pdf", ContentFile(b"%PDF-1.7\n" + HTML))

    assert refused.value.messages == [NOT_DOCUMENT]
    assert Label.objects.get(pk=label.pk).certificate == ""


def test_image_metadata_is_not_kept(client, world):
    exif = Image.Exif()
    exif[0x010E] = "GPS of the office"  # ImageDescription
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "JPEG", exif=exif.tobytes())

    _response, stored, _errors = upload(client, world, "logo", "photo.jpg", buffer.getvalue())

    assert stored.name.endswith(".jpg")
    image = Image.open(stored.open("rb"))
    assert (image.format, dict(image.getexif())) == ("JPEG", {})


def test_decompression_bomb_is_refused(client, world):
    buffer = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(buffer, "PNG")

    _response, stored, errors = upload(client, world, "logo", "bomb.png", buffer.getvalue())

    assert (stored, errors) == (None, [NOT_IMAGE])


# Sizes: enforced while the body streams in


def test_request_over_the_size_limit_is_413_before_it_is_read(client, world, settings):
    settings.UPLOAD_REQUEST_MAX_BYTES = 10_000
    client.force_login(world["member"])
    file = SimpleUploadedFile("big.pdf", b"0" * 20_000)

    response = client.post(
        f"/expressions/{world['expression'].pk}/attachments/", {"title": "Big", "file": file}
    )

    assert response.status_code == 413
    assert "larger than the 9.8\xa0KB the portal accepts" in response.content.decode()
    assert ExpressionAttachment.objects.count() == 0


def test_api_request_over_the_size_limit_is_413_json(client, settings):
    settings.UPLOAD_REQUEST_MAX_BYTES = 10

    response = client.post("/api/v1/organisations/", {"name": "x" * 100})

    assert (response.status_code, response.json()) == (
        413,
        {"detail": "The request is larger than the 10\xa0bytes the portal accepts."},
    )


def test_file_past_the_stream_limit_is_dropped_with_a_form_error(client, world, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(world["member"])
    file = SimpleUploadedFile("plan.pdf", pdf() + b"0" * 4096)

    response = client.post(
        f"/expressions/{world['expression'].pk}/attachments/", {"title": "Plan", "file": file}
    )

    assert response.status_code == 400
    assert response.context["attachment_form"].errors == {
        "file": ["The file is larger than the limit of 1.0\xa0KB."]
    }


# Form errors keep the chosen file


def test_logo_is_kept_after_a_form_error_and_saved_on_the_next_try(client, world):
    organisation = world["organisation"]
    client.force_login(world["member"])
    logo = SimpleUploadedFile("Logo Köln.png", png())

    first = client.post(
        f"/organisations/{organisation.pk}/edit/", edit_data(organisation, name="", logo=logo)
    )
    token = re.search(r'name="logo-held" value="([^"]+)"', first.content.decode()).group(1)
    second = client.post(
        f"/organisations/{organisation.pk}/edit/", edit_data(organisation, **{"logo-held": token})
    )

    assert "Kept: Logo Köln.png. Choose another file to replace it." in first.content.decode()
    assert second.status_code == 302
    organisation.refresh_from_db()
    assert organisation.logo_original_name == "Logo Köln.png"
    assert re.fullmatch(r"logos/[0-9a-f]{32}\.png", organisation.logo.name)


def test_certificate_is_kept_when_only_the_label_dates_are_wrong(client, world):
    organisation = world["organisation"]
    client.force_login(world["member"])
    data = edit_data(
        organisation,
        **LABEL | {"label-valid_until": "2020-01-01"},
        **{"label-certificate": SimpleUploadedFile("gold.pdf", pdf())},
    )

    first = client.post(f"/organisations/{organisation.pk}/edit/", data)
    token = re.search(r'name="label-certificate-held" value="([^"]+)"', first.content.decode())
    second = client.post(
        f"/organisations/{organisation.pk}/edit/",
        edit_data(organisation, **LABEL, **{"label-certificate-held": token.group(1)}),
    )

    assert second.status_code == 302
    assert Label.objects.get(organisation=organisation).certificate_original_name == "gold.pdf"


def test_attachment_is_kept_after_a_missing_title(client, world):
    expression = world["expression"]
    client.force_login(world["member"])
    add = f"/expressions/{expression.pk}/attachments/"

    first = client.post(add, {"title": "", "file": SimpleUploadedFile("plan.pdf", pdf())})
    token = first.context["attachment_form"].fields["file"].widget.held.token
    second = client.post(add, {"title": "Plan", "file-held": token})

    file_input = re.search(r'<input type="file" name="file"[^>]*>', first.content.decode()).group()
    assert "Kept: plan.pdf." in first.content.decode()
    assert "required" not in file_input
    assert 'aria-describedby="id_file_helptext id_file_kept"' in file_input
    assert second.status_code == 302
    assert expression.attachments.get().original_name == "plan.pdf"


def test_forged_or_expired_held_token_is_a_form_error(client, world, settings):
    expression = world["expression"]
    client.force_login(world["member"])
    add = f"/expressions/{expression.pk}/attachments/"
    forged = signing.dumps({"key": "../../etc", "type": "pdf", "name": "x"}, salt="other")
    first = client.post(add, {"title": "", "file": SimpleUploadedFile("plan.pdf", pdf())})
    token = first.context["attachment_form"].fields["file"].widget.held.token
    settings.HELD_UPLOAD_SECONDS = -1

    answers = [client.post(add, {"title": "Plan", "file-held": t}) for t in (forged, token)]

    expired = "The file kept from your last try has expired; choose it again."
    assert [r.context["attachment_form"].errors for r in answers] == [{"file": [expired]}] * 2
    assert ExpressionAttachment.objects.count() == 0


def test_held_files_past_their_lifetime_are_deleted_when_another_is_held(client, world, settings):
    expression = world["expression"]
    client.force_login(world["member"])
    add = f"/expressions/{expression.pk}/attachments/"
    client.post(add, {"title": "", "file": SimpleUploadedFile("old.pdf", pdf())})
    held = Path(settings.PRIVATE_MEDIA_ROOT) / "held"
    (old,) = held.iterdir()
    settings.HELD_UPLOAD_SECONDS = -1

    client.post(add, {"title": "", "file": SimpleUploadedFile("new.pdf", pdf())})

    remaining = list(held.iterdir())
    assert len(remaining) == 1
    assert remaining != [old]


def test_refused_logo_shows_no_label_section_and_no_other_errors(client, world):
    organisation = world["organisation"]
    client.force_login(world["member"])
    bad = SimpleUploadedFile("chain.html", CASES["webp+html"][1])

    response = client.post(
        f"/organisations/{organisation.pk}/edit/", edit_data(organisation, logo=bad)
    )

    assert response.context["form"].errors == {"logo": [NOT_IMAGE]}
    # The label has a step of its own ("Members and label"): the logo's step leaves it alone.
    assert response.context["label_form"] is None
    assert response.content.decode().count("This field is required.") == 0


# Front-server delivery of private files


@pytest.mark.parametrize(
    ("accel", "header"),
    [("x-accel-redirect", "X-Accel-Redirect"), ("x-sendfile", "X-Sendfile")],
)
def test_private_file_is_handed_to_the_front_server_after_the_check(
    accel, header, client, world, settings
):
    settings.PRIVATE_MEDIA_ACCEL = accel
    _response, stored, _errors = upload(client, world, "attachment", "plan.pdf", pdf())
    url = fetch_url("attachment", world, stored)

    allowed = client.get(url)
    client.force_login(world["other manager"])
    refused = client.get(url)

    location = {
        "x-accel-redirect": f"/private-media/{stored.name}",
        "x-sendfile": str(Path(settings.PRIVATE_MEDIA_ROOT) / stored.name),
    }[accel]
    assert (allowed.status_code, allowed[header], allowed.content) == (200, location, b"")
    assert (allowed["Content-Type"], allowed["X-Content-Type-Options"]) == (
        "application/pdf",
        "nosniff",
    )
    assert (refused.status_code, refused.has_header(header)) == (404, False)


def test_certificate_is_kept_when_the_profile_itself_has_errors(client, world):
    organisation = world["organisation"]
    client.force_login(world["member"])
    certificate = SimpleUploadedFile("gold.pdf", pdf())
    data = edit_data(organisation, staff_fte="lots", **LABEL, **{"label-certificate": certificate})

    response = client.post(f"/organisations/{organisation.pk}/edit/", data)

    assert "Kept: gold.pdf." in response.content.decode()
    assert response.context["label_form"].errors == {}


@pytest.mark.parametrize(("case", "stored"), [("webp+html", False), ("valid image", True)])
def test_back_office_logo_field_is_the_same_checked_field(case, stored, admin_client):
    organisation = OrganisationFactory()
    name, content = CASES[case]
    data = _organisation_form(organisation, logo=SimpleUploadedFile(name, content))

    response = admin_client.post(
        f"/admin/partnerships/organisation/{organisation.pk}/change/", data
    )

    organisation.refresh_from_db()
    if stored:
        assert response.status_code == 302
        assert re.fullmatch(r"logos/[0-9a-f]{32}\.png", organisation.logo.name)
    else:
        assert response.context["adminform"].form.errors == {"logo": [NOT_IMAGE]}
        assert organisation.logo == ""


def test_file_kept_for_one_field_is_refused_by_a_field_of_another_kind(client, world):
    organisation, expression = world["organisation"], world["expression"]
    client.force_login(world["member"])
    first = client.post(
        f"/expressions/{expression.pk}/attachments/",
        {"title": "", "file": SimpleUploadedFile("plan.pdf", pdf())},
    )
    token = first.context["attachment_form"].fields["file"].widget.held.token

    response = client.post(
        f"/organisations/{organisation.pk}/edit/", edit_data(organisation, **{"logo-held": token})
    )

    assert response.context["form"].errors == {"logo": [NOT_IMAGE]}
    organisation.refresh_from_db()
    assert organisation.logo == ""
