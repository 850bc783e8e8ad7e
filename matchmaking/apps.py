from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self):
        from matchmaking import digest, privacy, signals
        from partnerships.signals import (
            digest_sections,
            organisation_profile_changed,
            personal_data_erasure,
            personal_data_export,
        )

        organisation_profile_changed.connect(
            signals.queue_rescoring, dispatch_uid="matchmaking.queue_rescoring"
        )
        personal_data_export.connect(
            privacy.export_personal_data, dispatch_uid="matchmaking.export_personal_data"
        )
        personal_data_erasure.connect(
            privacy.erase_personal_data, dispatch_uid="matchmaking.erase_personal_data"
        )
        digest_sections.connect(
            digest.recommendation_sections, dispatch_uid="matchmaking.recommendation_sections"
        )
