from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Matchmaking events")

    def ready(self):
        from events import privacy, receivers
        from matchmaking.signals import pair_outcomes
        from partnerships.signals import (
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
