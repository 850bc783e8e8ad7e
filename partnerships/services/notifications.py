from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from partnerships.tasks import send_email


def queue_email(*, subject, template, context, recipients):
    """Render now, send after commit: a rolled-back change never e-mails anybody."""
    body = render_to_string(template, context)
    recipients = sorted(set(recipients))
    transaction.on_commit(lambda: send_email.delay(str(subject), body, recipients))


def absolute(path):
    return f"{settings.SITE_URL}{path}"
