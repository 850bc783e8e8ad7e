from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self):
        from matchmaking import signals
        from partnerships.signals import organisation_profile_changed

        organisation_profile_changed.connect(
            signals.queue_rescoring, dispatch_uid="matchmaking.queue_rescoring"
        )
