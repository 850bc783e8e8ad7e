"""Partner searches: an organisation says, in its own words, which partners it looks for."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from partnerships.enums import (
    PARTNER_SEARCH_EDITABLE_STATES,
    PartnerSearchState,
)
from partnerships.rules import (
    can_change_partner_search,
    can_view_partner_search,
    is_partner_search_author,
    is_signed_in,
)

from .call import Call
from .organisation import Organisation
from .reference import Country, Ecosystem, EmergingIndustry, SectoralIndustry, ValueChainPosition

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
BRINGS_MAX = 1000
COMMENT_MAX = 2000


class PartnerSearch(RulesModel):
    """A post on the partner-search board, in the vocabularies of the organisation profiles."""

    author = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="partner_searches",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(
        _("what you are looking for"),
        max_length=DESCRIPTION_MAX,
        help_text=_(
            "In your own words: the project, the partners you need and what they would do."
        ),
    )
    seeking_sectors = models.ManyToManyField(
        SectoralIndustry,
        related_name="partner_searches",
        blank=True,
        verbose_name=_("sectoral industries sought"),
    )
    seeking_emerging = models.ManyToManyField(
        EmergingIndustry,
        related_name="partner_searches",
        blank=True,
        verbose_name=_("emerging industries sought"),
    )
    seeking_ecosystems = models.ManyToManyField(
        Ecosystem,
        related_name="partner_searches",
        blank=True,
        verbose_name=_("industrial ecosystems sought"),
    )
    seeking_value_chain = models.ManyToManyField(
        ValueChainPosition,
        related_name="partner_searches",
        blank=True,
        verbose_name=_("value-chain roles sought"),
    )
    countries = models.ManyToManyField(
        Country,
        related_name="partner_searches",
        blank=True,
        verbose_name=_("partner countries sought"),
        help_text=_("Leave empty for anywhere."),
    )
    call = models.ForeignKey(
        Call,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_searches",
        verbose_name=_("for the call"),
    )
    deadline = models.DateField(
        _("answers wanted by"), help_text=_("The search leaves the board after this day.")
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=PartnerSearchState.choices,
        default=PartnerSearchState.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Kept by the services (title, description and the author's name, see board.py).
    search_vector = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("partner search")
        verbose_name_plural = _("partner searches")
        ordering = ["-published_at", "-id"]
        rules_permissions = {
            "add": is_signed_in,
            "view": can_view_partner_search,
            "change": can_change_partner_search,
            "delete": is_partner_search_author,
        }
        indexes = [models.Index(fields=["state", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=PartnerSearchState.values),
                name="partner_search_state_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(state=PartnerSearchState.DRAFT)
                | models.Q(state=PartnerSearchState.ABANDONED)
                | models.Q(published_at__isnull=False),
                name="partner_search_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnerships:partner-search-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self):
        """On the board and still taking answers."""
        return self.state == PartnerSearchState.PUBLISHED and not self.is_past_deadline

    @property
    def is_past_deadline(self):
        return self.deadline < timezone.localdate()

    @property
    def is_editable(self):
        return self.state in PARTNER_SEARCH_EDITABLE_STATES


class PartnerSearchInterest(models.Model):
    """An organisation answers a search: it would like to join, and says what it brings."""

    search = models.ForeignKey(PartnerSearch, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="partner_search_interests",
        verbose_name=_("organisation"),
    )
    brings = models.TextField(_("what it brings"), max_length=BRINGS_MAX)
    value_chain = models.ManyToManyField(
        ValueChainPosition,
        related_name="partner_search_interests",
        blank=True,
        verbose_name=_("its roles in the value chain"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interest in a partner search")
        verbose_name_plural = _("interests in partner searches")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["search", "organisation"], name="partner_search_interest_once"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.search}"


class PartnerSearchFollow(models.Model):
    """A person who wants to hear of a search's updates without joining it."""

    search = models.ForeignKey(PartnerSearch, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_search_follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follower of a partner search")
        verbose_name_plural = _("followers of partner searches")
        constraints = [
            models.UniqueConstraint(fields=["search", "user"], name="partner_search_follow_once"),
        ]

    def __str__(self):
        return f"{self.user} follows {self.search}"


class PartnerSearchComment(models.Model):
    """A public question or remark under a search."""

    search = models.ForeignKey(PartnerSearch, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="partner_search_comments",
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment on a partner search")
        verbose_name_plural = _("comments on partner searches")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.author} on {self.search}"
