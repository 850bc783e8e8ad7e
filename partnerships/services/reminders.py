"""Reminders found by a daily task: calls about to close, labels about to end.

Each reminder carries a key, so the task may run any number of times a day, or miss a day,
and a person is still told once per call or label.
"""

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format

from partnerships.enums import CallState, ExpressionState, LabelState, NotificationKind
from partnerships.models import CallStage, Label, OrganisationMembership
from partnerships.services.notification_centre import notify

CALL_CLOSING_DAYS = 7
LABEL_EXPIRING_DAYS = 60


# Who still has to submit before a stage's deadline: drafts at stage 1, those invited on at 2.
STILL_TO_SUBMIT = {1: ExpressionState.DRAFT, 2: ExpressionState.STAGE1_PASSED}


def notify_closing_calls(*, now=None):
    """Tell the managers of expressions still to submit that their stage closes within 7 days."""
    now = now or timezone.now()
    told = 0
    stages = (
        CallStage.objects.filter(
            call__state=CallState.OPEN,
            deadline__gt=now,
            deadline__lte=now + dt.timedelta(days=CALL_CLOSING_DAYS),
        )
        .select_related("call")
        .order_by("deadline", "pk")
    )
    for stage in stages.iterator():
        call = stage.call
        leads = call.expressions.filter(state=STILL_TO_SUBMIT[stage.number]).values("lead_id")
        managers = OrganisationMembership.objects.filter(organisation_id__in=leads).values_list(
            "user_id", flat=True
        )
        told += len(
            notify(
                recipients=managers,
                kind=NotificationKind.CALL_CLOSING,
                data={
                    "call": call.title,
                    "deadline": date_format(timezone.localtime(stage.deadline), "DATE_FORMAT"),
                },
                url=call.get_absolute_url(),
                # A deadline moved by staff is news again.
                key=f"call_closing:{stage.pk}:{stage.deadline:%Y%m%d}",
            )
        )
    return told


def notify_expiring_labels(*, today=None):
    """Tell an organisation's managers that its label ends within 60 days.

    Not for a label staff rejected, nor one already renewed by another that runs on.
    """
    today = today or timezone.localdate()
    told = 0
    labels = (
        Label.objects.exclude(state=LabelState.REJECTED)
        .filter(
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=LABEL_EXPIRING_DAYS),
        )
        .select_related("organisation")
        .order_by("valid_until", "pk")
    )
    for label in labels.iterator():
        organisation = label.organisation
        # A newer label that runs on makes the ending one no news.
        renewed = organisation.labels.exclude(state=LabelState.REJECTED).filter(
            valid_until__gt=label.valid_until
        )
        if renewed.exists():
            continue
        told += len(
            notify(
                recipients=organisation.memberships.values_list("user_id", flat=True),
                kind=NotificationKind.LABEL_EXPIRING,
                data={
                    "level": label.get_level_display(),
                    "organisation": organisation.name,
                    "until": date_format(label.valid_until, "DATE_FORMAT"),
                },
                url=organisation.get_absolute_url(),
                key=f"label_expiring:{label.pk}:{label.valid_until:%Y%m%d}",
            )
        )
    return told
