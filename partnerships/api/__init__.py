"""The partnerships app's REST API, one module per subject; the names are re-exported so
callers write `from partnerships.api import ...`.
"""

from partnerships.api.calls import (
    CallFilter,
    CallSerializer,
    CallStageSerializer,
    CallViewSet,
    EvaluationCriterionSerializer,
)
from partnerships.api.common import public_page_url
from partnerships.api.expressions import (
    ExpressionFilter,
    ExpressionPartnerSerializer,
    ExpressionSerializer,
    ExpressionViewSet,
)
from partnerships.api.organisations import (
    LabelSerializer,
    OrganisationFilter,
    OrganisationSerializer,
    OrganisationViewSet,
)
from partnerships.api.partner_search import PartnerSearchSerializer, PartnerSearchViewSet
from partnerships.api.partnerships import (
    PartnershipMemberSerializer,
    PartnershipMilestoneSerializer,
    PartnershipOutcomeSerializer,
    StrategicPartnershipSerializer,
    StrategicPartnershipViewSet,
)
from partnerships.api.reference import (
    CountrySerializer,
    CountryViewSet,
    EcosystemSerializer,
    EcosystemViewSet,
    EmergingIndustrySerializer,
    EmergingIndustryViewSet,
    ReferenceViewSet,
    RegionFilter,
    RegionSerializer,
    RegionViewSet,
    SectoralIndustrySerializer,
    SectoralIndustryViewSet,
    TaxonomySerializer,
)
from partnerships.api.reviews import (
    ReviewFilter,
    ReviewScoreSerializer,
    ReviewSerializer,
    ReviewViewSet,
)
from partnerships.api.router import register

__all__ = [
    "PartnerSearchSerializer",
    "PartnerSearchViewSet",
    "CallFilter",
    "CallSerializer",
    "CallStageSerializer",
    "CallViewSet",
    "CountrySerializer",
    "CountryViewSet",
    "EcosystemSerializer",
    "EcosystemViewSet",
    "EmergingIndustrySerializer",
    "EmergingIndustryViewSet",
    "EvaluationCriterionSerializer",
    "ExpressionFilter",
    "ExpressionPartnerSerializer",
    "ExpressionSerializer",
    "ExpressionViewSet",
    "LabelSerializer",
    "OrganisationFilter",
    "OrganisationSerializer",
    "OrganisationViewSet",
    "PartnershipMemberSerializer",
    "PartnershipMilestoneSerializer",
    "PartnershipOutcomeSerializer",
    "ReferenceViewSet",
    "RegionFilter",
    "RegionSerializer",
    "RegionViewSet",
    "ReviewFilter",
    "ReviewScoreSerializer",
    "ReviewSerializer",
    "ReviewViewSet",
    "SectoralIndustrySerializer",
    "SectoralIndustryViewSet",
    "StrategicPartnershipSerializer",
    "StrategicPartnershipViewSet",
    "TaxonomySerializer",
    "public_page_url",
    "register",
]
