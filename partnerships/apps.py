from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from partnerships.textfold import register_on_sqlite


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Organisations and partnerships")

    def ready(self):
        connection_created.connect(register_on_sqlite, dispatch_uid="partnerships-fold-text")

        # Imported here: the receivers use the models, loaded only once the registry is ready.
        from partnerships import receivers, signals

        signals.partner_search_interest.connect(
            receivers.search_interest, dispatch_uid="partnerships.notify_search_interest"
        )
        signals.partner_search_comment.connect(
            receivers.search_comment, dispatch_uid="partnerships.notify_search_comment"
        )
