"""E-mail notices of the events app, queued to go out after the commit."""

from partnerships.services import absolute, queue_email


def notify(*, subject, text, url, recipients):
    queue_email(
        subject=subject,
        template="events/email/notice.txt",
        context={"text": text, "url": absolute(url)},
        recipients=recipients,
    )
