"""Receivers of this app's own signals, connected in PartnershipsConfig.ready()."""

from django.apps import apps
from django.urls import reverse

from partnerships.enums import NotificationKind
from partnerships.models import Organisation
from partnerships.services.notification_centre import notify


def _search(search_id):
    # Looked up by name: the partner-search models and these receivers are written apart, and
    # the signals are only sent once both are in place.
    model = apps.get_model("partnerships", "PartnerSearch")
    title = model.objects.filter(pk=search_id).values_list("title", flat=True).first()
    return title or "", reverse("partnerships:partner-search-detail", args=[search_id])


def search_interest(sender, *, search_id, organisation_id, recipient_ids, **kwargs):
    title, url = _search(search_id)
    name = Organisation.objects.filter(pk=organisation_id).values_list("name", flat=True).first()
    notify(
        recipients=recipient_ids,
        kind=NotificationKind.SEARCH_INTEREST,
        data={"organisation": name or "", "search": title},
        url=url,
    )


def search_comment(sender, *, search_id, recipient_ids, **kwargs):
    title, url = _search(search_id)
    notify(
        recipients=recipient_ids,
        kind=NotificationKind.SEARCH_COMMENT,
        data={"search": title},
        url=url,
    )
