from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from partnerships.textfold import register_on_sqlite


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Organisations and partnerships")

    def ready(self):
        connection_created.connect(register_on_sqlite, dispatch_uid="partnerships-fold-text")
        # Imported here: models, services and receivers need the registry that ready() completes.
        from partnerships import receivers, signals
        from partnerships.services import partner_search_privacy

        signals.partner_search_interest.connect(
            receivers.search_interest, dispatch_uid="partnerships.notify_search_interest"
        )
        signals.partner_search_comment.connect(
            receivers.search_comment, dispatch_uid="partnerships.notify_search_comment"
        )
        signals.personal_data_export.connect(
            partner_search_privacy.export_personal_data, dispatch_uid="partner-search-export"
        )
        signals.personal_data_erasure.connect(
            partner_search_privacy.erase_personal_data, dispatch_uid="partner-search-erasure"
        )
