import csv
import io

import pytest
from django.urls import reverse

from partnerships.exports import safe_cell
from tests.factories import OrganisationFactory


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ('＝HYPERLINK("http://evil.example")', '\'＝HYPERLINK("http://evil.example")'),
        ("＋1", "'＋1"),
        ("－1", "'－1"),
        ("＠SUM(A1)", "'＠SUM(A1)"),
        ("|cmd", "'|cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        ("  =1", "'  =1"),
        ("\u3000＝1", "'\u3000＝1"),
        ("Mobility Valley", "Mobility Valley"),
        ("a=b", "a=b"),
        (None, ""),
        (3, "3"),
    ],
)
def test_safe_cell_escapes_every_formula_start(value, cell):
    assert safe_cell(value) == cell


@pytest.mark.django_db
def test_directory_export_escapes_full_width_and_pipe_starts(client):
    OrganisationFactory(name='＝HYPERLINK("http://evil.example")', acronym="|calc")

    response = client.get(reverse("partnerships:organisation-export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert rows[1][:2] == ['\'＝HYPERLINK("http://evil.example")', "'|calc"]
