"""Demo history of two decided calls, with the brief's figures; safe to run again.

- ESCP-4i 2016 (a decided single-stage call): 26 selected consortia that became strategic
  partnerships, 15 funded and 11 labelled only, in their phases with milestones and outcomes.
- INNOSUP-1-2015 (created open by seed_calls): 119 stage-1 proposals, 47 invited to stage 2,
  45 stage-2 submissions and 5 retained; the call is then decided.

Calls move through their services. The expressions of interest, their partners and their audit
trail go in with bulk writes, but every expression follows a path that the state table allows,
checked move by move. Partnerships, phases, milestones and outcomes go through the services.
Consortia are drawn from the verified demo organisations in a fixed order, so two runs on the
same organisations give the same result.
"""

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from partnerships import services
from partnerships.enums import (
    EXPRESSION_TRANSITIONS,
    CallState,
    CallType,
    ExpressionState,
    OrganisationType,
    OutcomeKind,
    PartnershipPhase,
    PartnerState,
    ValidationState,
)
from partnerships.models import (
    AuditEntry,
    Call,
    ExpressionOfInterest,
    ExpressionPartner,
    Label,
    Organisation,
    SectoralIndustry,
)
from partnerships.services.partnership import update_partnership
from partnerships.statemachine import ensure_transition

S = ExpressionState
ESCP_4I_REFERENCE = "escp-4i-2016"
INNOSUP_REFERENCE = "innosup-1-2015"
ELIGIBLE_TYPES = [OrganisationType.CLUSTER, OrganisationType.BUSINESS_NETWORK]

# Each group: how many expressions follow this path of states (after the draft).
SELECTED_4I = (S.SUBMITTED, S.ELIGIBLE, S.SELECTED)
ESCP_4I_PATHS = [
    (26, SELECTED_4I),
    (9, (S.SUBMITTED, S.ELIGIBLE, S.REJECTED)),
    (3, (S.SUBMITTED, S.INELIGIBLE)),
]
ESCP_4I_FUNDED = 15
INNOSUP_PATHS = [
    (5, (S.SUBMITTED, S.ELIGIBLE, S.STAGE1_PASSED, S.STAGE2_SUBMITTED, S.SELECTED)),
    (40, (S.SUBMITTED, S.ELIGIBLE, S.STAGE1_PASSED, S.STAGE2_SUBMITTED, S.REJECTED)),
    (2, (S.SUBMITTED, S.ELIGIBLE, S.STAGE1_PASSED, S.WITHDRAWN)),
    (66, (S.SUBMITTED, S.ELIGIBLE, S.STAGE1_REJECTED)),
    (6, (S.SUBMITTED, S.INELIGIBLE)),
    # Drafts started but never sent: the top of the funnel.
    (14, ()),
]
INNOSUP_RETAINED_BUDGET = Decimal("4980000")

BRUSSELS_5PM = dt.time(17, 0)
ESCP_4I_DEADLINE = dt.date(2016, 11, 16)
ESCP_4I_START = dt.date(2017, 3, 1)
INNOSUP_DEADLINES = (dt.date(2015, 3, 3), dt.date(2015, 9, 10))

MARKETS = [
    ("Japan", "JP"),
    ("Canada", "CA"),
    ("Brazil", "BR"),
    ("India", "IN"),
    ("South Korea", "KR"),
    ("the United States", "US"),
    ("Mexico", "MX"),
    ("Singapore", "SG"),
    ("Australia", "AU"),
    ("Chile", "CL"),
    ("South Africa", "ZA"),
    ("Taiwan", "TW"),
    ("Vietnam", "VN"),
]
INNOSUP_THEMES = [
    "circular packaging",
    "bio-based materials",
    "smart textiles",
    "battery value chains",
    "precision agriculture",
    "digital health devices",
    "hydrogen logistics",
    "advanced composites",
    "food waste valorisation",
    "marine renewables",
    "additive manufacturing",
]
MILESTONES = {
    PartnershipPhase.PREPARATORY: [
        ("Partnership agreement signed", 60),
        ("Joint internationalisation strategy adopted", 240),
    ],
    PartnershipPhase.IMPLEMENTATION: [
        ("First joint business mission to the target market", 420),
        ("Matchmaking with clusters of the target market", 600),
    ],
    PartnershipPhase.INVESTMENT: [("Investment pipeline presented to investors", 900)],
}


@dataclass(frozen=True)
class Member:
    pk: int
    country: str
    acronym: str
    sector: int | None


@dataclass(frozen=True)
class Consortium:
    lead: Member
    partners: tuple


def at_5pm(day):
    return timezone.make_aware(dt.datetime.combine(day, BRUSSELS_5PM))


def plan_consortia(pool, count, *, offset=0):
    """`count` consortia from `pool` (members in a fixed order): distinct leads, each with two
    or three partners from other countries, so every consortium spans three countries or more.
    """
    by_country = {}
    for member in pool:
        by_country.setdefault(member.country, []).append(member)
    countries = sorted(by_country)
    if len(countries) < 3:
        raise CommandError("The demo partnerships need verified organisations in 3 countries.")
    if len(pool) < count:
        raise CommandError(
            f"The demo partnerships need {count} verified cluster or business network "
            f"organisations; there are {len(pool)}. Run seed_demo first."
        )
    consortia = []
    for k in range(count):
        lead = pool[(offset + k) % len(pool)]
        others = [c for c in countries if c != lead.country]
        size = 2 + k % 2
        partners = []
        for j in range(min(size, len(others))):
            country = others[(k + j) % len(others)]
            members = by_country[country]
            partners.append(members[(k * 7 + j) % len(members)])
        consortia.append(Consortium(lead, tuple(partners)))
    return consortia


def check_path(path):
    """Raise unless every move of `path`, starting from a draft, is in the state table."""
    current = S.DRAFT
    for state in path:
        ensure_transition(EXPRESSION_TRANSITIONS, current=current, to=state, choices=S)
        current = state
    return current


def verified_pool(*, prefer_labelled=False):
    organisations = Organisation.objects.filter(
        validation_state=ValidationState.VERIFIED, type__in=ELIGIBLE_TYPES
    ).order_by("id")
    rows = organisations.values_list("pk", "country_id", "acronym", "name")
    sectors = {}
    through = Organisation.sectoral_industries.through
    for organisation_id, sector_id in (
        through.objects.filter(organisation__in=organisations)
        .order_by("organisation_id", "sectoralindustry_id")
        .values_list("organisation_id", "sectoralindustry_id")
    ):
        sectors.setdefault(organisation_id, sector_id)
    pool = [
        Member(pk, country, acronym or name[:12], sectors.get(pk))
        for pk, country, acronym, name in rows
    ]
    if prefer_labelled:
        today = timezone.localdate()
        labelled = set(Label.objects.counting(today).values_list("organisation_id", flat=True))
        pool = [m for m in pool if m.pk in labelled] + [m for m in pool if m.pk not in labelled]
    return pool


def bulk_expressions(call, groups, *, title, budget, dates):
    """Write the expressions of `groups` [(consortium, path)] with partners, sectors and
    audit entries, in bulk; returns the expressions in the order of `groups`."""
    submitted_at, stage2_at, withdrawn_at = dates
    expressions = []
    for index, (consortium, path) in enumerate(groups):
        state = check_path(path)
        expressions.append(
            ExpressionOfInterest(
                call=call,
                lead_id=consortium.lead.pk,
                title=title(index, consortium),
                objectives=(
                    "Join forces across regions to open new markets for the SMEs of our clusters."
                ),
                budget_requested=budget(index, path),
                state=state,
                submitted_at=submitted_at if S.SUBMITTED in path else None,
                stage2_submitted_at=stage2_at if S.STAGE2_SUBMITTED in path else None,
                withdrawn_at=withdrawn_at if S.WITHDRAWN in path else None,
            )
        )
    ExpressionOfInterest.objects.bulk_create(expressions)
    if expressions[0].pk is None:
        # Backends that do not return ids from bulk inserts: read them back in order.
        ids = list(call.expressions.order_by("id").values_list("pk", flat=True))
        for expression, pk in zip(expressions, ids[-len(expressions) :], strict=True):
            expression.pk = pk
    partners, sectors, audit = [], [], []
    kind = ContentType.objects.get_for_model(ExpressionOfInterest)
    for expression, (consortium, path) in zip(expressions, groups, strict=True):
        for member in consortium.partners:
            partners.append(
                ExpressionPartner(
                    expression=expression,
                    organisation_id=member.pk,
                    state=PartnerState.CONFIRMED,
                    invited_at=submitted_at - dt.timedelta(days=30),
                    responded_at=submitted_at - dt.timedelta(days=20),
                )
            )
        for sector in {m.sector for m in (consortium.lead, *consortium.partners)} - {None}:
            sectors.append(
                ExpressionOfInterest.sectoral_industries.through(
                    expressionofinterest_id=expression.pk, sectoralindustry_id=sector
                )
            )
        for action, data in [("created", {"call": call.pk})] + [
            (state, {"from": str(before), "to": str(state)})
            for before, state in zip((S.DRAFT, *path), path, strict=False)
        ]:
            audit.append(
                AuditEntry(
                    action=f"expression.{action}",
                    content_type=kind,
                    object_id=str(expression.pk),
                    object_repr=expression.title[:300],
                    data=data,
                )
            )
    ExpressionPartner.objects.bulk_create(partners)
    ExpressionOfInterest.sectoral_industries.through.objects.bulk_create(
        sectors, ignore_conflicts=True
    )
    AuditEntry.objects.bulk_create(audit)
    return expressions


def move_call(call, deadlines, final):
    """Open the call (with a deadline still to come), then set its real, past deadlines
    and move it on to `final`."""
    if call.state == CallState.DRAFT:
        services.change_call_state(call, to=CallState.OPEN, by=None)
    for number, day in enumerate(deadlines, start=1):
        services.set_stage(call, number=number, deadline=at_5pm(day), by=None)
    for state in (CallState.CLOSED, CallState.IN_EVALUATION, final):
        call.refresh_from_db()
        if call.state != state:
            services.change_call_state(call, to=state, by=None)


class Command(BaseCommand):
    help = "Create the demo history of ESCP-4i 2016 and INNOSUP-1-2015 with the brief's figures."

    def handle(self, *args, **options):
        call_command("seed_calls", stdout=io.StringIO())
        self.sector_names = dict(SectoralIndustry.objects.values_list("pk", "name"))
        escp = self.seed_escp_4i()
        innosup = self.seed_innosup()
        self.stdout.write(self.style.SUCCESS(f"Partnerships: {escp}; {innosup}."))

    @transaction.atomic
    def seed_escp_4i(self):
        if Call.objects.filter(reference=ESCP_4I_REFERENCE).exists():
            return "ESCP-4i 2016 already there"
        pool = verified_pool(prefer_labelled=True)
        count = sum(n for n, _path in ESCP_4I_PATHS)
        consortia = plan_consortia(pool, count)
        call = services.create_call(
            by=None,
            reference=ESCP_4I_REFERENCE,
            type=CallType.ESCP_4I,
            title="European Strategic Cluster Partnerships - Going International (2016)",
            description=(
                "Partnerships of cluster organisations that develop and implement a joint "
                "internationalisation strategy towards markets beyond Europe. Selected "
                "partnerships are funded, or carry the ESCP-4i label without funding."
            ),
            eligible_types=[str(t) for t in ELIGIBLE_TYPES],
            min_partners=2,
            min_countries=3,
            verified_required=True,
            label_required=True,
            budget=Decimal("3750000"),
            funding_rate=Decimal(100),
            stages=[{"number": 1, "deadline": timezone.now() + dt.timedelta(days=30)}],
            criteria=[
                {"name": "Relevance of the internationalisation strategy", "order": 0},
                {"name": "Quality of the consortium", "order": 1},
                {
                    "name": "Impact on the SMEs of the clusters",
                    "weight": Decimal("1.5"),
                    "order": 2,
                },
            ],
        )
        move_call(call, [ESCP_4I_DEADLINE], CallState.DECIDED)
        paths = [path for n, path in ESCP_4I_PATHS for _ in range(n)]
        submitted_at = at_5pm(ESCP_4I_DEADLINE - dt.timedelta(days=2))

        used = set()

        def title(index, consortium):
            market, _code = MARKETS[index % len(MARKETS)]
            sector = self.sector_names.get(consortium.lead.sector, "Cluster")
            name = f"{sector} clusters going to {market}"
            if name in used:
                name = f"{name} ({consortium.lead.acronym})"
            used.add(name)
            return name

        expressions = bulk_expressions(
            call,
            list(zip(consortia, paths, strict=True)),
            title=title,
            budget=lambda index, path: Decimal("250000"),
            dates=(submitted_at, None, None),
        )
        selected = [e for e, path in zip(expressions, paths, strict=True) if path == SELECTED_4I]
        for index, expression in enumerate(selected):
            self.found_partnership(expression, index, funded=index < ESCP_4I_FUNDED)
        return f"ESCP-4i 2016 with {len(selected)} partnerships"

    def found_partnership(self, expression, index, *, funded):
        """Start the partnership and walk it through its phases, milestones and outcomes."""
        # Funded partnerships have gone further: 5 invest, 6 implement, 4 still prepare; of
        # the labelled-only ones 3 implement and the rest prepare.
        if funded:
            position = index
            ahead = [PartnershipPhase.INVESTMENT] * 5 + [PartnershipPhase.IMPLEMENTATION] * 6
        else:
            position = index - ESCP_4I_FUNDED
            ahead = [PartnershipPhase.IMPLEMENTATION] * 3
        phase = ahead[position] if position < len(ahead) else PartnershipPhase.PREPARATORY
        started = ESCP_4I_START + dt.timedelta(days=7 * (index % 4))
        partnership = services.start_partnership(
            expression=expression, by=None, funded=funded, started_on=started
        )
        market, code = MARKETS[index % len(MARKETS)]
        countries = sorted(
            partnership.members.values_list("organisation__country__name", flat=True).distinct()
        )
        update_partnership(
            partnership=partnership,
            by=None,
            acronym=f"ESCP4i-{code}-{index + 1:02d}",
            summary=(
                f"Cluster organisations from {', '.join(countries)} build a joint "
                f"internationalisation strategy and take their SMEs to {market} together."
            ),
            ends_on=started + dt.timedelta(days=365 * 3 if funded else 365 * 2),
        )
        order = PartnershipPhase.values
        reached = order[: order.index(phase) + 1]
        for step, (phase_value, milestones) in enumerate(MILESTONES.items()):
            for position, (title, days) in enumerate(milestones):
                milestone = services.add_milestone(
                    partnership=partnership,
                    phase=phase_value,
                    title=title,
                    due_on=started + dt.timedelta(days=days),
                    by=None,
                )
                # Every milestone of a finished phase is reached, the first of the current one.
                if phase_value in reached and (phase_value != phase or position == 0):
                    services.reach_milestone(
                        milestone=milestone,
                        reached_on=started + dt.timedelta(days=days + 10 + index % 5),
                        by=None,
                    )
            if step < order.index(phase):
                services.advance_phase(partnership=partnership, by=None)
        self.add_outcomes(partnership, phase, started, index)
        return partnership

    def add_outcomes(self, partnership, phase, started, index):
        market, _code = MARKETS[index % len(MARKETS)]
        outcomes = [
            (
                OutcomeKind.AGREEMENT,
                "Partnership agreement signed by every member organisation.",
                None,
                70,
            ),
            (
                OutcomeKind.STRATEGY,
                f"Joint internationalisation strategy towards {market} adopted.",
                None,
                250,
            ),
        ]
        if phase != PartnershipPhase.PREPARATORY:
            outcomes.append(
                (
                    OutcomeKind.MARKET,
                    f"{3 + index % 6} member SMEs signed their first contracts in {market}.",
                    None,
                    640,
                )
            )
        if phase == PartnershipPhase.INVESTMENT:
            outcomes.append(
                (
                    OutcomeKind.INVESTMENT,
                    "Private and regional co-investment in a joint pilot facility.",
                    Decimal(1_500_000 + 250_000 * index),
                    950,
                )
            )
        for kind, description, amount, days in outcomes:
            services.add_outcome(
                partnership=partnership,
                kind=kind,
                description=description,
                amount=amount,
                achieved_on=started + dt.timedelta(days=days),
                by=None,
            )

    @transaction.atomic
    def seed_innosup(self):
        call = Call.objects.select_for_update().filter(reference=INNOSUP_REFERENCE).first()
        if call is None:
            raise CommandError("INNOSUP-1-2015 is missing; seed_calls should have created it.")
        if call.expressions.exists() or call.state == CallState.DECIDED:
            return "INNOSUP-1-2015 already there"
        pool = verified_pool()
        count = sum(n for n, _path in INNOSUP_PATHS)
        consortia = plan_consortia(pool, count, offset=len(pool) // 2)
        paths = [path for n, path in INNOSUP_PATHS for _ in range(n)]
        move_call(call, INNOSUP_DEADLINES, CallState.DECIDED)
        stage1, stage2 = INNOSUP_DEADLINES

        def title(index, consortium):
            theme = INNOSUP_THEMES[index % len(INNOSUP_THEMES)]
            return f"New industrial value chain for {theme} ({consortium.lead.acronym})"

        def budget(index, path):
            if S.SELECTED in path:
                return INNOSUP_RETAINED_BUDGET
            return Decimal(2_000_000 + (index * 137_000) % 3_000_000)

        bulk_expressions(
            call,
            list(zip(consortia, paths, strict=True)),
            title=title,
            budget=budget,
            dates=(
                at_5pm(stage1 - dt.timedelta(days=1)),
                at_5pm(stage2 - dt.timedelta(days=1)),
                at_5pm(stage2 - dt.timedelta(days=40)),
            ),
        )
        return "INNOSUP-1-2015 with 119 stage-1 proposals, 47 invited, 45 at stage 2, 5 retained"
