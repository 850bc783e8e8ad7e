from decimal import Decimal

import pytest
from django.core.management import call_command

from partnerships.enums import CallState
from partnerships.models import AuditEntry, Call

pytestmark = pytest.mark.django_db


def test_seed_calls_creates_the_briefs_calls_once():
    call_command("seed_calls")
    call_command("seed_calls")

    calls = {call.reference: call for call in Call.objects.prefetch_related("stages", "criteria")}
    innosup = calls["innosup-1-2015"]
    assert sorted(calls) == ["escp-4i", "escp-s3", "innosup-1-2015"]
    assert {call.state for call in calls.values()} == {CallState.OPEN}
    assert (innosup.budget, innosup.funding_rate, innosup.is_two_stage) == (
        Decimal("24900000.00"),
        Decimal("70.00"),
        True,
    )
    assert [(c.stage, c.name, c.weight) for c in innosup.criteria.all()][-1] == (
        2,
        "Quality and efficiency of the implementation",
        Decimal("1.00"),
    )
    assert calls["escp-s3"].title == (
        "Towards European Strategic Cluster Partnerships for smart specialisation investments"
    )
    assert calls["escp-4i"].label_required is True
    assert AuditEntry.objects.filter(action="call.created").count() == 3
