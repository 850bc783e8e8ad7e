from functools import partial

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from partnerships import page_cache
from partnerships.enums import MemberType
from partnerships.queries import (
    current_label,
    latest_label,
    organisations_for_user,
    with_profile_relations,
)
from partnerships.signals import organisation_profile_sections


def sector_linkages(organisation):
    """Which of the organisation's sectors meet in which of its emerging industries.

    Reads prefetched relations only, so the page's query count does not depend on how many
    industries an organisation lists.
    """
    own_sectors = {sector.pk for sector in organisation.sectoral_industries.all()}
    linkages = []
    for emerging in organisation.emerging_industries.all():
        sectors = [s for s in emerging.sectoral_industries.all() if s.pk in own_sectors]
        linkages.append((emerging, sectors))
    return linkages


# What an organisation seeks, in the order the profile lists it: themes, then sectors, roles.
SEEKING = (
    ("seeking_emerging", _("Emerging industries")),
    ("seeking_ecosystems", _("Industrial ecosystems")),
    ("seeking_sectors", _("Sectoral industries")),
    ("seeking_value_chain", _("Value-chain roles")),
)


def seeking_rows(organisation):
    """(heading, items) for each kind of partner the organisation seeks, from prefetched
    relations; kinds it left empty are left out."""
    rows = [(heading, list(getattr(organisation, name).all())) for name, heading in SEEKING]
    return [(heading, items) for heading, items in rows if items]


class OrganisationDetailView(DetailView):
    template_name = "partnerships/organisation_detail.html"
    context_object_name = "organisation"

    def get(self, request, *args, **kwargs):
        return page_cache.serve(
            request,
            variant="page",
            scopes=[page_cache.organisation_scope(kwargs["pk"])],
            build=partial(super().get, request, *args, **kwargs),
        )

    def get_object(self, queryset=None):
        organisations = with_profile_relations(
            organisations_for_user(self.request.user)
        ).prefetch_related("emerging_industries__sectoral_industries")
        return get_object_or_404(organisations, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        organisation = self.object
        return super().get_context_data(**kwargs) | {
            "current_label": current_label(organisation),
            "latest_label": latest_label(organisation),
            "linkages": sector_linkages(organisation),
            "seeking": seeking_rows(organisation),
            "member_rows": [
                {
                    "key": member_type.value,
                    "label": member_type.label,
                    "value": getattr(organisation, member_type.value),
                }
                for member_type in MemberType
            ],
            "keywords": [k.strip() for k in organisation.keywords.split(",") if k.strip()],
            "may_write": self.request.user.has_perm(
                "partnerships.start_conversation", organisation
            ),
            "extra_sections": [
                section
                for _receiver, section in organisation_profile_sections.send(
                    sender=type(organisation), organisation=organisation, request=self.request
                )
                if section
            ],
        }
