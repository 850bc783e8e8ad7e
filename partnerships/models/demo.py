from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisation import Organisation
from .reference import EmergingIndustry


class PlantedPartnership(models.Model):
    """A value-chain partnership that `seed_demo` planted on purpose.

    Its organisations sit in different regions and related sectors and belong together, so
    matchmaking quality can be measured against it (recall of the planted partners).
    """

    seed = models.IntegerField(_("generator seed"))
    name = models.CharField(_("name"), max_length=200)
    theme = models.ForeignKey(
        EmergingIndustry, on_delete=models.PROTECT, related_name="+", null=True
    )
    organisations = models.ManyToManyField(Organisation, related_name="planted_partnerships")

    class Meta:
        verbose_name = _("planted demo partnership")
        verbose_name_plural = _("planted demo partnerships")
        ordering = ["id"]

    def __str__(self):
        return self.name
