"""Take partner searches past their deadline off the board now, as the hourly task does."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from partnerships.services import expire_partner_searches


class Command(BaseCommand):
    help = _(
        "Move published partner searches whose deadline has passed to “expired”. Safe to run "
        "at any time and again: the hourly Celery task does the same."
    )

    def handle(self, *args, **options):
        count = expire_partner_searches()
        self.stdout.write(_("%(count)d partner searches expired.") % {"count": count})
