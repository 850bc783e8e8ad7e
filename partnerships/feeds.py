"""RSS and Atom feeds of the partner searches on the board."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from partnerships.board import open_partner_searches

FEED_ITEMS = 50


class PartnerSearchFeed(Feed):
    title = _("ClusterPortal: partner searches")
    link = reverse_lazy("partnerships:partner-search-list")
    description = _("Cluster organisations looking for partners, newest first.")

    def items(self):
        return (
            open_partner_searches()
            .select_related("author__country", "call")
            .order_by("-published_at", "-id")[:FEED_ITEMS]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description

    def item_author_name(self, item):
        return item.author.name

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.call.title] if item.call else []


class PartnerSearchAtomFeed(PartnerSearchFeed):
    feed_type = Atom1Feed
    subtitle = PartnerSearchFeed.description


# Plain functions in the URL table, so every route names its view by module and name.
_rss, _atom = PartnerSearchFeed(), PartnerSearchAtomFeed()


def partner_search_rss(request):
    return _rss(request)


def partner_search_atom(request):
    return _atom(request)
