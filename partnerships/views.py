from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from partnerships.queries import organisations_for_user, with_profile_relations


class OrganisationDetailView(DetailView):
    template_name = "partnerships/organisation_detail.html"
    context_object_name = "organisation"

    def get_object(self, queryset=None):
        organisations = with_profile_relations(organisations_for_user(self.request.user))
        return get_object_or_404(organisations, pk=self.kwargs["pk"])
