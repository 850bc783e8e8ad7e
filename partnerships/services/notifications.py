import logging

from django.db import transaction
from django.template.loader import render_to_string
from kombu.exceptions import OperationalError

from clusterportal.origin import site_url
from partnerships.models import User
from partnerships.tasks import send_email
from partnerships.text import single_line

logger = logging.getLogger(__name__)

# Erased accounts keep an address under the reserved .invalid domain (RFC 2606), which can
# never receive mail (see services.privacy).
ERASED_EMAIL_DOMAIN = "erased.invalid"


def is_erased_address(email):
    return email.lower().endswith(f"@{ERASED_EMAIL_DOMAIN}")


def queue_email(*, subject, template, context, recipients, essential=True):
    """Render now, send after commit: a rolled-back change never e-mails anybody.

    Essential e-mails are the ones a person needs to use the portal (invitations, decisions,
    meeting notices) and go to anybody concerned. The others (news, digests) go only to people
    who consented to them, and never to an address that does not belong to an account.
    """
    recipients = {email for email in recipients if email and not is_erased_address(email)}
    if not essential:
        recipients = consenting(recipients)
    if not recipients:
        return
    queue_rendered_email(
        subject=subject, body=render_to_string(template, context), recipients=recipients
    )


def queue_rendered_email(*, subject, body, recipients, html=None, headers=None):
    """Send an e-mail already rendered (and its recipients already checked) after commit."""
    recipients = sorted(recipients)
    # Titles and names saved before line breaks were refused may still hold one.
    subject = single_line(subject)
    extra = {"html": html, "headers": headers} if html or headers else {}
    transaction.on_commit(lambda: _send_after_commit(subject, body, recipients, extra))


def _send_after_commit(subject, body, recipients, extra):
    try:
        send_email.delay(subject, body, recipients, **extra)
    except OperationalError:
        # The broker is unreachable: the change is committed, so the e-mail goes out now, from
        # this process, rather than being lost with the task.
        logger.warning("Broker unreachable; sending the e-mail to %s in process", recipients)
        send_email.apply(args=(subject, body, recipients), kwargs=extra, throw=False)


def consenting(emails):
    """Those of `emails` whose active accounts agreed to news and digests by e-mail."""
    lowered = {email.lower(): email for email in emails}
    consented = User.objects.filter(
        email__in=list(lowered), is_active=True, email_consent=True
    ).values_list("email", flat=True)
    return {lowered[email.lower()] for email in consented if email.lower() in lowered}


def absolute(path):
    return f"{site_url()}{path}"
