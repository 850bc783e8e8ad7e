"""Periodic work of the events app, thin: the services do it and are safe to repeat."""

from celery import shared_task


@shared_task(name="events.sweep_meeting_requests")
def sweep_meeting_requests():
    """Remind the people whose requests expire within a day, then expire the overdue ones."""
    # Imported here: tasks sit below the services in the app's imports, as in matchmaking.
    from events import services

    return {
        "reminded": services.remind_expiring_requests(),
        "expired": services.expire_requests(),
    }
