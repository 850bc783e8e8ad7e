"""The weekly digest: what happened for a person's organisations, by e-mail, to those who agreed.

Built here, beside the consent, the outbox and the unsubscribe link, from three sources:
this app's own (the person's notifications set to "in the digest", calls closing), and
sections the apps above add through the `digest_sections` signal (matchmaking's new
recommendations, the events to come). The signal keeps the import direction: partnerships
never imports matchmaking or events, and a new section needs no change here. It is sent once
per chunk of readers, not per reader, so a digest for many people costs a fixed number of
queries per chunk, and memory stays bounded by the chunk size.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from itertools import islice

from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partnerships.digest import DigestItem, DigestSection, ordered
from partnerships.enums import DEFAULT_DELIVERY, CallState, NotificationDelivery
from partnerships.models import (
    CallStage,
    DigestDelivery,
    Notification,
    NotificationPreference,
    OrganisationMembership,
    User,
)
from partnerships.services.notifications import (
    ERASED_EMAIL_DOMAIN,
    absolute,
    queue_rendered_email,
)
from partnerships.signals import digest_sections

CHUNK_SIZE = 500
CALLS_CLOSING_DAYS = 21
ITEMS_PER_SECTION = 10
UNSUBSCRIBE_SALT = "partnerships.digest-unsubscribe"


@dataclass(frozen=True)
class Digest:
    user_id: int
    email: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str


def week_of(day):
    """The Monday of `day`'s week: a digest covers, and is sent once for, one such week."""
    return day - dt.timedelta(days=day.weekday())


def unsubscribe_token(user_id):
    return signing.dumps(user_id, salt=UNSUBSCRIBE_SALT)


def user_for_unsubscribe_token(token):
    """The account a one-click unsubscribe link was made for, or None for a bad token."""
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=user_id).first() if isinstance(user_id, int) else None


def digest_readers(week):
    """Accounts that agreed to digests and have not had this week's yet, by id."""
    return (
        User.objects.filter(is_active=True, email_consent=True, erased_at__isnull=True)
        .exclude(email__iendswith=f"@{ERASED_EMAIL_DOMAIN}")
        .exclude(digest_deliveries__week=week)
        .order_by("pk")
    )


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _closing_calls(now):
    stages = (
        CallStage.objects.filter(
            call__state=CallState.OPEN,
            deadline__gt=now,
            deadline__lte=now + dt.timedelta(days=CALLS_CLOSING_DAYS),
        )
        .select_related("call")
        .order_by("deadline", "pk")[:ITEMS_PER_SECTION]
    )
    items = tuple(
        DigestItem(
            text=stage.call.title,
            url=absolute(stage.call.get_absolute_url()),
            detail=_("closes on %(date)s")
            % {"date": date_format(timezone.localtime(stage.deadline), "DATE_FORMAT")},
        )
        for stage in stages
    )
    return DigestSection(key="calls", title=_("Calls closing soon"), items=items)


def _digest_notifications(user_ids, since):
    """user id -> the section of their notifications of the week set to come in the digest."""
    chosen = defaultdict(dict)
    for user_id, kind, delivery in NotificationPreference.objects.filter(
        user_id__in=user_ids
    ).values_list("user_id", "kind", "delivery"):
        chosen[user_id][kind] = delivery
    lines = defaultdict(list)
    notifications = Notification.objects.filter(
        recipient_id__in=user_ids, created_at__gte=since
    ).order_by("recipient_id", "-created_at", "-id")
    for notification in notifications.iterator(chunk_size=2000):
        delivery = chosen[notification.recipient_id].get(
            notification.kind, DEFAULT_DELIVERY.get(notification.kind)
        )
        if delivery != NotificationDelivery.DIGEST:
            continue
        if len(lines[notification.recipient_id]) < ITEMS_PER_SECTION:
            url = absolute(notification.url) if notification.url else ""
            lines[notification.recipient_id].append(DigestItem(text=notification.text, url=url))
    title = _("What happened for you")
    return {
        user_id: DigestSection(key="notifications", title=title, items=tuple(items))
        for user_id, items in lines.items()
    }


def build_digests(*, week, now=None, readers=None):
    """Yield each reader's `Digest`, a chunk of readers at a time; skip empty digests.

    `readers` is a queryset of accounts (by default those `digest_readers` finds).
    """
    now = now or timezone.now()
    since = now - dt.timedelta(days=7)
    readers = digest_readers(week) if readers is None else readers
    calls = _closing_calls(now)
    subject = _("ClusterPortal: your week, %(date)s") % {"date": date_format(week, "DATE_FORMAT")}
    preferences_url = absolute(reverse("partnerships:notification-preferences"))
    rows = readers.values_list("pk", "email", "full_name").iterator(chunk_size=CHUNK_SIZE)
    for chunk in _chunks(rows, CHUNK_SIZE):
        user_ids = [pk for pk, _email, _name in chunk]
        organisations = defaultdict(list)
        for user_id, organisation_id in OrganisationMembership.objects.filter(
            user_id__in=user_ids
        ).values_list("user_id", "organisation_id"):
            organisations[user_id].append(organisation_id)
        sections = defaultdict(list)
        for user_id, section in _digest_notifications(user_ids, since).items():
            sections[user_id].append(section)
        shared = [calls]
        for _receiver, contributed in digest_sections.send(
            sender=User,
            user_ids=user_ids,
            organisations=dict(organisations),
            since=since,
            now=now,
        ):
            for user_id, extra in (contributed or {}).items():
                (shared if user_id is None else sections[user_id]).extend(extra)
        for user_id, email, full_name in chunk:
            mine = ordered([*sections.pop(user_id, []), *shared])
            if not mine:
                continue
            unsubscribe_url = absolute(
                reverse("partnerships:digest-unsubscribe", args=[unsubscribe_token(user_id)])
            )
            context = {
                "name": full_name,
                "week": week,
                "sections": mine,
                "unsubscribe_url": unsubscribe_url,
                "preferences_url": preferences_url,
            }
            yield Digest(
                user_id=user_id,
                email=email,
                subject=subject,
                text=render_to_string("partnerships/email/digest.txt", context),
                html=render_to_string("partnerships/email/digest.html", context),
                unsubscribe_url=unsubscribe_url,
            )


def unsubscribe_headers(url):
    """RFC 8058 one-click unsubscribe: mail clients POST to the URL without opening it."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def send_weekly_digest(*, now=None):
    """Send this week's digest to every reader who has not had it; returns how many went.

    Each chunk commits its delivery records with its e-mails, which leave after that commit
    through the outbox; a second run, or one racing this, skips whoever is recorded.
    """
    now = now or timezone.now()
    week = week_of(timezone.localdate(now))
    sent = 0
    for chunk in _chunks(build_digests(week=week, now=now), CHUNK_SIZE):
        sent += send_digests(chunk, week=week)
    return sent


def send_digests(chunk, *, week):
    """Record and queue `chunk` (a list of `Digest`) for `week`, less whoever another run
    recorded first; returns how many this call sent."""
    while chunk:
        try:
            with transaction.atomic():
                DigestDelivery.objects.bulk_create(
                    [DigestDelivery(user_id=digest.user_id, week=week) for digest in chunk]
                )
                for digest in chunk:
                    queue_rendered_email(
                        subject=digest.subject,
                        body=digest.text,
                        recipients=[digest.email],
                        html=digest.html,
                        headers=unsubscribe_headers(digest.unsubscribe_url),
                    )
            return len(chunk)
        except IntegrityError:
            # Another run recorded some of these first and sends them; this one sends the rest.
            recorded = set(
                DigestDelivery.objects.filter(
                    week=week, user_id__in=[digest.user_id for digest in chunk]
                ).values_list("user_id", flat=True)
            )
            if not recorded:
                raise
            chunk = [digest for digest in chunk if digest.user_id not in recorded]
    return 0
