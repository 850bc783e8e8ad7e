"""Where each viewset of the partnerships API is mounted."""

from partnerships.api.calls import CallViewSet
from partnerships.api.expressions import ExpressionViewSet
from partnerships.api.organisations import OrganisationViewSet
from partnerships.api.partner_search import PartnerSearchViewSet
from partnerships.api.partnerships import StrategicPartnershipViewSet
from partnerships.api.reference import (
    CountryViewSet,
    EcosystemViewSet,
    EmergingIndustryViewSet,
    RegionViewSet,
    SectoralIndustryViewSet,
)
from partnerships.api.reviews import ReviewViewSet


def register(router):
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("countries", CountryViewSet, basename="country")
    router.register("regions", RegionViewSet, basename="region")
    router.register("sectors", SectoralIndustryViewSet, basename="sector")
    router.register("emerging-industries", EmergingIndustryViewSet, basename="emerging-industry")
    router.register("ecosystems", EcosystemViewSet, basename="ecosystem")
    router.register("calls", CallViewSet, basename="call")
    router.register("expressions", ExpressionViewSet, basename="expression")
    router.register("partnerships", StrategicPartnershipViewSet, basename="partnership")
    router.register("reviews", ReviewViewSet, basename="review")
    router.register("partner-searches", PartnerSearchViewSet, basename="partner-search")
