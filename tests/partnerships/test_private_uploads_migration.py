"""Migration 0008 moves the files stored before the checks out of the public media root."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps

from partnerships.models import ExpressionAttachment, Label, Organisation
from tests.factories import ExpressionFactory, LabelFactory, OrganisationFactory
from tests.hostile_files import HTML, pdf, png

pytestmark = pytest.mark.django_db
migration = importlib.import_module("partnerships.migrations.0008_private_uploads")


def old_file(settings, name, content):
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def test_old_uploads_leave_the_public_root_under_generated_names(settings):
    label = LabelFactory()
    attachment = ExpressionAttachment.objects.create(
        expression=ExpressionFactory(), title="Plan", file=""
    )
    good_logo, bad_logo = OrganisationFactory(), OrganisationFactory()
    sources = [
        old_file(settings, "certificates/gold.pdf", pdf()),
        old_file(settings, "expressions/2026/Plan Köln.pdf", b"%PDF-1.4 <script>x</script>"),
        old_file(settings, "logos/logo.png", png()),
        old_file(settings, "logos/chain.html", HTML),
    ]
    Label.objects.filter(pk=label.pk).update(certificate="certificates/gold.pdf")
    ExpressionAttachment.objects.filter(pk=attachment.pk).update(
        file="expressions/2026/Plan Köln.pdf"
    )
    Organisation.objects.filter(pk=good_logo.pk).update(logo="logos/logo.png")
    Organisation.objects.filter(pk=bad_logo.pk).update(logo="logos/chain.html")

    migration.move_uploads(apps, None)

    label.refresh_from_db()
    attachment.refresh_from_db()
    good_logo.refresh_from_db()
    bad_logo.refresh_from_db()
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    assert [path.exists() for path in sources] == [False] * 4
    assert re.fullmatch(r"certificates/[0-9a-f]{32}\.pdf", label.certificate.name)
    assert (private / label.certificate.name).read_bytes() == pdf()
    assert label.certificate_original_name == "gold.pdf"
    # A file that fails today's checks stays private, and is only ever sent as opaque bytes.
    assert re.fullmatch(r"expressions/[0-9a-f]{32}\.bin", attachment.file.name)
    assert attachment.original_name == "Plan Köln.pdf"
    assert re.fullmatch(r"logos/[0-9a-f]{32}\.png", good_logo.logo.name)
    assert (Path(settings.MEDIA_ROOT) / good_logo.logo.name).exists()
    assert (bad_logo.logo.name, len(list((private / "refused-logos").iterdir()))) == ("", 1)
