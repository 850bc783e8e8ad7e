from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from partnerships.text import single_line


@shared_task(
    name="partnerships.send_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def send_email(subject, body, recipients):
    """Deliver one rendered e-mail; the service that queued it already committed its change."""
    if recipients:
        # A task queued before subjects were put on one line may still carry a line break,
        # which the mail library refuses.
        send_mail(single_line(subject), body, settings.DEFAULT_FROM_EMAIL, recipients)


@shared_task(name="partnerships.prune_sign_in_records")
def prune_sign_in_records():
    """Daily: sign-in records older than their retention time go, as the privacy notice says."""
    # Imported here: the services import this module for send_email.
    from partnerships.services.privacy import prune_sign_in_records as prune

    return prune()


@shared_task(name="partnerships.remind_label_renewals")
def remind_label_renewals():
    """Daily: managers hear 90 and 30 days before a label runs out; a repeated run sends none."""
    # Imported here: the services import this module for send_email.
    from partnerships.services.label import send_label_renewal_reminders

    return send_label_renewal_reminders()
