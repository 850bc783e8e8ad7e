"""What the events app adds to pages of the apps below it, through their signals."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from events.queries import organisation_outcomes


def profile_outcomes(sender, *, organisation, request, **kwargs):
    """The organisation page's section of meetings that led to a negotiation or agreement."""
    meetings = organisation_outcomes(
        organisation,
        with_negotiations=request.user.has_perm("events.view_negotiations", organisation),
    )
    if not meetings:
        return None
    html = render_to_string(
        "events/includes/_profile_outcomes.html",
        {"meetings": meetings, "organisation": organisation},
        request=request,
    )
    return _("Results of matchmaking meetings"), html
