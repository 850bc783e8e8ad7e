from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from partnerships.textfold import register_on_sqlite


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Organisations and partnerships")

    def ready(self):
        connection_created.connect(register_on_sqlite, dispatch_uid="partnerships-fold-text")
