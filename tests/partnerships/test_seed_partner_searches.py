import pytest
from django.core.management import call_command
from django.db.models import F

from partnerships.enums import MembershipRole, PartnerSearchState
from partnerships.models import PartnerSearch, PartnerSearchInterest
from tests.factories import EmergingIndustryFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_seed_publishes_searches_with_interest_once(capsys):
    blue = EmergingIndustryFactory(name="Blue economy")
    organisations = [OrganisationFactory(emerging_industries=[blue]) for _n in range(120)]
    manager = MembershipFactory(organisation=organisations[5], role=MembershipRole.OWNER).user

    call_command("seed_partner_searches")
    call_command("seed_partner_searches")

    searches = PartnerSearch.objects.all()
    assert searches.count() == 36
    assert searches.filter(state=PartnerSearchState.PUBLISHED).count() == 36
    assert all(search.interests.exists() for search in searches)
    own_answers = PartnerSearchInterest.objects.filter(
        organisation_id=F("search__author_id")
    ).count()
    assert own_answers == 0
    first = searches.get(author__memberships__user=manager)
    assert first.title == "Partners in Blue economy for a joint pilot"
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Partner searches are already there; nothing to do."
    )
