"""From a partner search's answers to a consortium: the author takes chosen interested
organisations into an expression of interest for the search's call, in one step."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partnerships.models import OrganisationMembership, PartnerSearch
from partnerships.services.audit import log_action
from partnerships.services.expression import AlreadyStarted, invite_partner, start_expression


def _require_manager(organisation, user):
    if not OrganisationMembership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(
            _("Only a manager of %(name)s can do this.") % {"name": organisation.name},
            code="not_manager",
        )


@transaction.atomic
def form_consortium(search, *, organisations, by, title=""):
    """Invite the chosen interested organisations into an expression for the search's call.

    One step: the author's draft expression for the call is started (or the live one reused),
    then each chosen organisation is invited with the expression services, which e-mail them.
    Returns (expression, partners invited now). An organisation that is already in the
    consortium is left as it is.
    """
    search = (
        PartnerSearch.objects.select_for_update(of=("self",))
        .select_related("author", "call")
        .get(pk=search.pk)
    )
    _require_manager(search.author, by)
    if search.call is None:
        raise ValidationError(_("This search names no call to answer."), code="no_call")
    if not organisations:
        raise ValidationError(
            {"organisations": _("Choose at least one interested organisation.")}, code="empty"
        )
    interested = set(search.interests.values_list("organisation_id", flat=True))
    strangers = [o.name for o in organisations if o.pk not in interested]
    if strangers:
        raise ValidationError(
            {
                "organisations": _("Not interested in this search: %(names)s.")
                % {"names": ", ".join(strangers)}
            },
            code="not_interested",
        )
    try:
        expression = start_expression(
            search.call, lead=search.author, by=by, title=title.strip() or search.title
        )
    except AlreadyStarted as error:
        expression = error.expression
    invited = []
    existing = set(expression.partners.values_list("organisation_id", flat=True))
    for organisation in sorted(organisations, key=lambda o: (o.name, o.pk)):
        if organisation.pk in existing:
            continue
        invited.append(invite_partner(expression, organisation=organisation, by=by))
    log_action(
        search,
        "partner_search.consortium",
        actor=by,
        data={"expression": expression.pk, "orgs": [p.organisation_id for p in invited]},
    )
    return expression, invited
