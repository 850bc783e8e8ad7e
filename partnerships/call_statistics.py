"""Aggregate figures of one call: the funnel, budgets, countries and sectors. No names.

Plain query functions over a call; the statistics page draws them as charts and tables.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from partnerships.enums import ComplaintState, ExpressionState, PartnerState
from partnerships.models import (
    AuditEntry,
    Complaint,
    Country,
    ExpressionOfInterest,
    ExpressionPartner,
)

# States that can only follow an eligibility check, and those that follow a stage-1 pass.
AFTER_ELIGIBLE = (
    ExpressionState.ELIGIBLE,
    ExpressionState.STAGE1_PASSED,
    ExpressionState.STAGE1_REJECTED,
    ExpressionState.STAGE2_SUBMITTED,
    ExpressionState.SELECTED,
    ExpressionState.RESERVE,
    ExpressionState.REJECTED,
)
AFTER_STAGE1_PASS = (ExpressionState.STAGE1_PASSED, ExpressionState.STAGE2_SUBMITTED)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    value: int


def _logged(action):
    """The expression's audit trail holds `action`: how a later withdrawal keeps its history."""
    return Exists(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ExpressionOfInterest),
            action=action,
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
        )
    )


def submitted(call):
    """Expressions sent at stage 1 and not withdrawn since."""
    return call.expressions.filter(submitted_at__isnull=False).exclude(
        state=ExpressionState.WITHDRAWN
    )


def funnel(call):
    """How many consortia reached each step, each step a subset of the one before.

    An expression withdrawn after a step still counts for the steps it reached.
    """
    figures = call.expressions.aggregate(
        started=Count("pk"),
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        eligible=Count(
            "pk", filter=Q(state__in=AFTER_ELIGIBLE) | Q(_logged("expression.eligible"))
        ),
        stage1_passed=Count(
            "pk",
            filter=Q(state__in=AFTER_STAGE1_PASS)
            | Q(stage2_submitted_at__isnull=False)
            | Q(_logged("expression.stage1_passed")),
        ),
        stage2_submitted=Count("pk", filter=Q(stage2_submitted_at__isnull=False)),
        selected=Count("pk", filter=Q(state=ExpressionState.SELECTED)),
    )
    steps = [
        ("started", _("Drafts started")),
        ("submitted", _("Submitted")),
        ("eligible", _("Eligible")),
    ]
    if call.is_two_stage:
        steps += [
            ("stage1_passed", _("Passed stage 1")),
            ("stage2_submitted", _("Submitted at stage 2")),
        ]
    steps.append(("selected", _("Selected")))
    return [Step(key, label, figures[key]) for key, label in steps]


def budget(call):
    """Budget available against what consortia asked for, in euros (whole euros)."""
    sums = call.expressions.exclude(state=ExpressionState.WITHDRAWN).aggregate(
        requested=Sum("budget_requested", filter=Q(submitted_at__isnull=False)),
        requested_stage2=Sum("budget_requested", filter=Q(stage2_submitted_at__isnull=False)),
        selected=Sum("budget_requested", filter=Q(state=ExpressionState.SELECTED)),
    )
    rows = [Step("available", _("Available"), call.budget)]
    rows.append(Step("requested", _("Requested by submitted consortia"), sums["requested"]))
    if call.is_two_stage:
        rows.append(Step("requested_stage2", _("Requested at stage 2"), sums["requested_stage2"]))
    rows.append(Step("selected", _("Requested by selected consortia"), sums["selected"]))
    return [Step(r.key, r.label, int(r.value or Decimal(0))) for r in rows]


def oversubscription(call, rows):
    """Requested divided by available, as a percentage; None without a budget."""
    figures = {row.key: row.value for row in rows}
    if not figures["available"]:
        return None
    return round(100 * figures["requested"] / figures["available"])


def _participations(call):
    """(organisation, country, selected) for the lead and confirmed partners of every
    submitted consortium."""
    expressions = submitted(call)
    leads = expressions.values_list("lead_id", "lead__country_id", "state")
    partners = ExpressionPartner.objects.filter(
        expression__in=expressions, state=PartnerState.CONFIRMED
    ).values_list("organisation_id", "organisation__country_id", "expression__state")
    for organisation_id, country_id, state in [*leads, *partners]:
        yield organisation_id, country_id, state == ExpressionState.SELECTED


@dataclass(frozen=True)
class Coverage:
    label: str
    submitted: int
    selected: int


def countries(call):
    """Per country: organisations in submitted consortia and in selected ones, most first."""
    submitted_orgs, selected_orgs = {}, {}
    for organisation, country, selected in _participations(call):
        submitted_orgs.setdefault(country, set()).add(organisation)
        if selected:
            selected_orgs.setdefault(country, set()).add(organisation)
    names = dict(Country.objects.filter(pk__in=submitted_orgs).values_list("code", "name"))
    rows = [
        Coverage(names[code], len(orgs), len(selected_orgs.get(code, ())))
        for code, orgs in submitted_orgs.items()
    ]
    return sorted(rows, key=lambda row: (-row.submitted, row.label))


def sectors(call):
    """Per sectoral industry: submitted consortia that name it, and selected ones."""
    through = ExpressionOfInterest.sectoral_industries.through
    rows = (
        through.objects.filter(expressionofinterest__in=submitted(call))
        .values("sectoralindustry__name")
        .annotate(
            submitted=Count("expressionofinterest_id"),
            selected=Count(
                "expressionofinterest_id",
                filter=Q(expressionofinterest__state=ExpressionState.SELECTED),
            ),
        )
    )
    coverage = [
        Coverage(row["sectoralindustry__name"], row["submitted"], row["selected"]) for row in rows
    ]
    return sorted(coverage, key=lambda row: (-row.submitted, row.label))


def complaints(call):
    """Complaints about the procedure lodged after the call's decisions, by state (all shown)."""
    counts = dict(
        Complaint.objects.filter(decision__expression__call=call)
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [Step(str(state), state.label, counts.get(state, 0)) for state in ComplaintState]
