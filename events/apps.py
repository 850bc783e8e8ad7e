from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Matchmaking events")

    def ready(self):
        from events import digest, privacy, receivers
        from events.models import Event, MeetingWindow, Registration
        from matchmaking.signals import pair_outcomes
        from partnerships.signals import (
            digest_sections,
            organisation_profile_changed,
            organisation_profile_sections,
            personal_data_erasure,
            personal_data_export,
        )

        pair_outcomes.connect(
            receivers.matchmaking_outcomes, dispatch_uid="events.matchmaking_outcomes"
        )
        organisation_profile_sections.connect(
            receivers.profile_outcomes, dispatch_uid="events.profile_outcomes"
        )
        personal_data_export.connect(
            privacy.export_personal_data, dispatch_uid="events.export_personal_data"
        )
        personal_data_erasure.connect(
            privacy.erase_personal_data, dispatch_uid="events.erase_personal_data"
        )
        organisation_profile_changed.connect(
            receivers.partners_profile_changed, dispatch_uid="events.partners_profile_changed"
        )
        digest_sections.connect(
            digest.upcoming_event_sections, dispatch_uid="events.upcoming_event_sections"
        )
        post_save.connect(receivers.event_saved, sender=Event, dispatch_uid="events.event_saved")
        # Windows and registrations change the event page (its times, its participant count).
        for model in (MeetingWindow, Registration):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(
                    receivers.event_part_saved,
                    sender=model,
                    dispatch_uid=f"events.{model.__name__.lower()}_{name}",
                )
