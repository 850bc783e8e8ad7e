import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partnerships import directory, services
from partnerships.enums import AwardingBody, LabelLevel
from partnerships.models import Label, Organisation
from partnerships.queries import current_label
from tests.factories import LabelFactory, OrganisationFactory

TODAY = dt.date(2026, 11, 24)


def test_label_is_current_up_to_and_including_its_last_day():
    label = Label(assessed_on=dt.date(2024, 11, 24), valid_until=TODAY)

    assert label.is_current_on(TODAY) is True
    assert label.is_current_on(TODAY + dt.timedelta(days=1)) is False


@pytest.mark.django_db
def test_current_label_is_computed_from_the_date_not_stored():
    organisation = OrganisationFactory()
    LabelFactory(
        organisation=organisation,
        level=LabelLevel.GOLD,
        assessed_on=dt.date(2022, 1, 10),
        valid_until=dt.date(2024, 1, 10),
    )
    bronze = LabelFactory(
        organisation=organisation,
        level=LabelLevel.BRONZE,
        assessed_on=dt.date(2025, 3, 1),
        valid_until=dt.date(2027, 3, 1),
    )

    assert current_label(organisation, on=TODAY) == bronze
    assert current_label(organisation, on=dt.date(2023, 6, 1)).level == LabelLevel.GOLD
    assert current_label(organisation, on=dt.date(2027, 3, 2)) is None


@pytest.mark.django_db
def test_holding_current_label_keeps_only_holders_of_a_label_valid_that_day():
    holder = OrganisationFactory()
    expired = OrganisationFactory()
    OrganisationFactory()
    LabelFactory(organisation=holder, valid_until=TODAY + dt.timedelta(days=1))
    LabelFactory(organisation=expired, valid_until=TODAY - dt.timedelta(days=1))

    found = directory.holding_current_label(Organisation.objects.all(), on=TODAY)
    on_the_last_day = directory.holding_current_label(
        Organisation.objects.all(), on=TODAY + dt.timedelta(days=1)
    )

    assert list(found) == [holder]
    assert list(on_the_last_day) == [holder]


@pytest.mark.django_db
def test_label_must_end_after_its_assessment():
    organisation = OrganisationFactory()

    with pytest.raises(ValidationError):
        services.record_label(
            organisation,
            level=LabelLevel.SILVER,
            awarding_body=AwardingBody.EUCLES,
            assessed_on=TODAY,
            valid_until=TODAY,
            by=None,
        )
    assert Label.objects.count() == 0

    with pytest.raises(IntegrityError), transaction.atomic():
        Label.objects.create(
            organisation=organisation,
            level=LabelLevel.SILVER,
            awarding_body=AwardingBody.EUCLES,
            assessed_on=TODAY,
            valid_until=TODAY - dt.timedelta(days=3),
        )


@pytest.mark.django_db
def test_record_label_is_audited():
    organisation = OrganisationFactory()

    label = services.record_label(
        organisation,
        level=LabelLevel.GOLD,
        awarding_body=AwardingBody.EUCLES,
        assessed_on=TODAY,
        valid_until=TODAY + dt.timedelta(days=730),
        by=None,
    )

    assert label.is_current_on(TODAY) is True
    assert organisation.labels.get() == label
