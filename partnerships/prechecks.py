"""The checks a profile passes before staff see it, each with a message a manager can act on.

They mirror what the European Cluster Collaboration Platform checks by hand: a real cluster
management (>= 0.5 FTE), >= 15 committed members of >= 2 types, a website, a region in the
chosen country. A recognised national or regional cluster programme waives the size criteria.
"""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

MIN_MEMBERS = 15
MIN_MEMBER_TYPES = 2
MIN_STAFF_FTE = Decimal("0.5")


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    field: str
    waivable: bool = False


def website_domain(url):
    """`https://www.Mobility-Valley.eu/about` -> `mobility-valley.eu`."""
    host = (urlsplit(url).hostname or "") if url else ""
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def profile_findings(organisation):
    """Every unmet criterion of `organisation`, in form order; empty when it may be submitted."""
    findings = []
    if organisation.members_total < MIN_MEMBERS:
        findings.append(
            Finding(
                "members",
                _("A cluster needs at least %(min)d committed members; this profile counts %(n)d.")
                % {"min": MIN_MEMBERS, "n": organisation.members_total},
                "members_smes",
                waivable=True,
            )
        )
    if organisation.member_type_count < MIN_MEMBER_TYPES:
        findings.append(
            Finding(
                "member_types",
                _(
                    "Members must come from at least two groups (for example SMEs and research "
                    "and education)."
                ),
                "members_research",
                waivable=True,
            )
        )
    if (organisation.staff_fte or 0) < MIN_STAFF_FTE:
        findings.append(
            Finding(
                "staff",
                _("Cluster management needs at least 0.5 full-time staff."),
                "staff_fte",
                waivable=True,
            )
        )
    if not organisation.website:
        findings.append(
            Finding("website", _("Give the address of the cluster's website."), "website")
        )
    if organisation.region_id and organisation.region.country_id != organisation.country_id:
        findings.append(
            Finding("region", _("The region must lie in the chosen country."), "region")
        )
    # .all() rather than .exists(): lists prefetch the sectors, so this costs no query there.
    if not organisation.sectoral_industries.all():
        findings.append(
            Finding(
                "sectors",
                _("Choose at least one sectoral industry."),
                "sectoral_industries",
            )
        )
    return findings


def blocking_findings(organisation):
    """The findings that stop a submission; a declared programme waives the size criteria."""
    waived = bool(organisation.recognised_programme.strip())
    return [f for f in profile_findings(organisation) if not (f.waivable and waived)]


def waived_findings(organisation):
    """The size criteria a declared programme waives; staff must confirm it before verifying."""
    if not organisation.recognised_programme.strip():
        return []
    return [f for f in profile_findings(organisation) if f.waivable]
