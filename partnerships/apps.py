from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from partnerships.textfold import register_on_sqlite


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Organisations and partnerships")

    def ready(self):
        connection_created.connect(register_on_sqlite, dispatch_uid="partnerships-fold-text")
        # Imported here: models and services need the app registry that ready() completes.
        from partnerships import signals
        from partnerships.services import partner_search_privacy

        signals.personal_data_export.connect(
            partner_search_privacy.export_personal_data, dispatch_uid="partner-search-export"
        )
        signals.personal_data_erasure.connect(
            partner_search_privacy.erase_personal_data, dispatch_uid="partner-search-erasure"
        )
