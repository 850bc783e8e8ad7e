"""Demo partner searches on the board, with interest from other demo organisations.

Authors and the organisations that answer are drawn from the verified demo organisations in a
fixed order, so two runs on the same organisations give the same result; a database that
already holds partner searches is left as it is. Demo organisations have no managers of their
own, so rows are written directly, each published search with its audit entry, in the states
the state table allows (draft, then published).
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.enums import (
    PARTNER_SEARCH_TRANSITIONS,
    CallState,
    MembershipRole,
    PartnerSearchState,
    ValidationState,
)
from partnerships.models import (
    AuditEntry,
    Call,
    Country,
    EmergingIndustry,
    Organisation,
    OrganisationMembership,
    PartnerSearch,
    PartnerSearchInterest,
)
from partnerships.services.partner_search import index_partner_search
from partnerships.statemachine import ensure_transition

SEARCHES = 36
MAX_INTERESTS = 4
# Where the demo's searches look for partners, in turn.
COUNTRY_SETS = (
    ("FR", "IT"),
    ("PL", "CZ", "SK"),
    ("ES", "PT"),
    ("SE", "FI", "DK"),
    ("DE", "AT"),
    (),
)
PURPOSES = (
    (
        "Partners in {industry} for a joint pilot",
        "We are preparing a pilot line in {industry} with our members and look for clusters "
        "whose companies can test it in their own markets. We bring {members} member firms "
        "and a regional innovation budget; we need partners with testing facilities and SMEs "
        "ready to adopt the results.",
    ),
    (
        "Going international in {industry}",
        "Our members in {industry} want to enter markets outside Europe together. We look for "
        "cluster organisations that already run internationalisation missions and would share "
        "a joint strategy, market studies and a common stand at trade fairs.",
    ),
    (
        "Value chain partners wanted: {industry}",
        "We map the {industry} value chain across regions and miss suppliers of components and "
        "engineering services. Clusters whose members fill these roles are welcome to join a "
        "strategic partnership with us.",
    ),
)
BRINGS = (
    "Our {members} members include SMEs that build and test {industry} components; we can host "
    "a demonstration site and bring two research institutes.",
    "We run a regional programme on {industry} with public co-funding and a network of "
    "technology centres ready to take part.",
    "Experience of three international missions and contacts with buyers in Asia and North "
    "America for {industry}.",
)


def _first_manager():
    """Someone to name as the author of the demo rows when a demo login exists."""
    membership = (
        OrganisationMembership.objects.filter(role=MembershipRole.OWNER).order_by("id").first()
    )
    return membership.user if membership else None


def _managed_ids():
    return set(OrganisationMembership.objects.values_list("organisation_id", flat=True))


def _industry(organisation):
    emerging = list(organisation.emerging_industries.all())
    sectors = list(organisation.sectoral_industries.all())
    chosen = (emerging or sectors or [None])[0]
    return chosen, chosen.name if chosen else _("cluster cooperation")


@transaction.atomic
def seed_partner_searches(*, count=SEARCHES, today=None):
    """Create `count` published searches with interest; returns (searches, interests)."""
    today = today or timezone.localdate()
    verified = list(
        Organisation.objects.filter(validation_state=ValidationState.VERIFIED)
        .prefetch_related("emerging_industries", "sectoral_industries", "seeking_value_chain")
        .order_by("id")
    )
    if len(verified) < count + MAX_INTERESTS:
        raise CommandError(_("Not enough verified organisations: run seed_demo first."))
    # The rows skip the services, not the state table.
    ensure_transition(
        PARTNER_SEARCH_TRANSITIONS,
        current=PartnerSearchState.DRAFT,
        to=PartnerSearchState.PUBLISHED,
        choices=PartnerSearchState,
    )
    countries = {country.code: country for country in Country.objects.all()}
    calls = list(Call.objects.filter(state=CallState.OPEN).order_by("id"))
    # Every third organisation writes, so the ones between can answer.
    # The demo logins' organisations come first: the manager's writes the first search and
    # the others answer it, so signing in shows both sides. Then every third organisation
    # writes, so the ones between can answer.
    managed = [o for o in verified if o.pk in _managed_ids()]
    others = [o for o in verified if o not in managed]
    authors = (managed[:1] + others[: count * 3 : 3])[:count]
    content_type = ContentType.objects.get_for_model(PartnerSearch)
    now = timezone.now()
    searches, interests, audit = [], 0, []
    for k, author in enumerate(authors):
        industry, industry_name = _industry(author)
        title, description = PURPOSES[k % len(PURPOSES)]
        members = author.members_total
        search = PartnerSearch.objects.create(
            author=author,
            title=title.format(industry=industry_name)[:200],
            description=description.format(industry=industry_name, members=members),
            call=calls[k % len(calls)] if calls and k % 2 == 0 else None,
            deadline=today + dt.timedelta(days=14 + 7 * (k % 8)),
            state=PartnerSearchState.PUBLISHED,
            published_at=now - dt.timedelta(days=k % 20, hours=k),
            created_by=_first_manager(),
        )
        if isinstance(industry, EmergingIndustry):
            search.seeking_emerging.set([industry])
        search.seeking_sectors.set(list(author.sectoral_industries.all())[:2])
        search.seeking_value_chain.set(list(author.seeking_value_chain.all())[:2])
        search.countries.set(
            [countries[code] for code in COUNTRY_SETS[k % len(COUNTRY_SETS)] if code in countries]
        )
        index_partner_search(search)
        searches.append(search)
        audit.append(
            AuditEntry(
                action="partner_search.published",
                content_type=content_type,
                object_id=str(search.pk),
                object_repr=str(search)[:300],
                data={"from": PartnerSearchState.DRAFT, "seeded": True},
            )
        )
        start = others.index(author) + 1 if author in others else 0
        answering = [o for o in others[start : start + 2 * MAX_INTERESTS] if o not in authors]
        if k == 0:
            answering = managed[1:] + answering
        for n, organisation in enumerate(answering[: 1 + k % MAX_INTERESTS]):
            _other, other_industry = _industry(organisation)
            PartnerSearchInterest.objects.create(
                search=search,
                organisation=organisation,
                brings=BRINGS[(k + n) % len(BRINGS)].format(
                    industry=other_industry, members=organisation.members_total
                ),
            )
            interests += 1
    AuditEntry.objects.bulk_create(audit)
    return searches, interests


class Command(BaseCommand):
    help = _(
        "Create demo partner searches, published on the board with interest from other demo "
        "organisations. A database that already holds partner searches is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=SEARCHES)

    def handle(self, *args, count, **options):
        if PartnerSearch.objects.exists():
            self.stdout.write(_("Partner searches are already there; nothing to do."))
            return
        searches, interests = seed_partner_searches(count=count)
        self.stdout.write(
            _(
                "%(searches)d partner searches published, with %(interests)d answers from "
                "other organisations."
            )
            % {"searches": len(searches), "interests": interests}
        )
