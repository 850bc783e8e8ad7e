from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from partnerships.text import single_line


@shared_task(
    name="partnerships.send_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def send_email(subject, body, recipients, html=None, headers=None):
    """Deliver one rendered e-mail; the service that queued it already committed its change.

    `html` adds an HTML part to the plain text; `headers` are extra headers (List-Unsubscribe).
    """
    if not recipients:
        return
    # A task queued before subjects were put on one line may still carry a line break,
    # which the mail library refuses.
    message = EmailMultiAlternatives(
        single_line(subject),
        body,
        settings.DEFAULT_FROM_EMAIL,
        recipients,
        headers=headers or None,
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@shared_task(name="partnerships.prune_sign_in_records")
def prune_sign_in_records():
    """Daily: sign-in records older than their retention time go, as the privacy notice says."""
    # Imported here: the services import this module for send_email.
    from partnerships.services.privacy import prune_sign_in_records as prune

    return prune()


@shared_task(name="partnerships.send_weekly_digest", acks_late=True)
def send_weekly_digest():
    """Weekly: the digest to everybody who agreed to it; a second run sends nothing more."""
    # Imported here: the services import this module for send_email.
    from partnerships.services.digest import send_weekly_digest as send

    return send()


@shared_task(name="partnerships.send_reminders")
def send_reminders():
    """Daily: calls closing within 7 days, labels ending within 60; each told once."""
    # Imported here: the services import this module for send_email.
    from partnerships.services.reminders import notify_closing_calls, notify_expiring_labels

    return {"calls": notify_closing_calls(), "labels": notify_expiring_labels()}


@shared_task(name="partnerships.expire_partner_searches")
def expire_partner_searches():
    """Hourly: published partner searches past their deadline leave the board."""
    # Imported here: the services import this module for send_email.
    from partnerships.services.partner_search import expire_partner_searches as expire

    return expire()


@shared_task(name="partnerships.remind_label_renewals")
def remind_label_renewals():
    """Daily: managers hear 90 and 30 days before a label runs out; a repeated run sends none."""
    # Imported here: the services import this module for send_email.
    from partnerships.services.label import send_label_renewal_reminders

    return send_label_renewal_reminders()
