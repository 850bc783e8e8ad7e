"""The eligibility gate a consortium passes on submit, each unmet rule a plain message.

Pure functions over plain data, like the profile pre-checks: the service loads the call and
the consortium, this module says what is missing.
"""

from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerships.enums import OrganisationType


@dataclass(frozen=True)
class Applicant:
    """One organisation of the consortium, as the rules see it."""

    name: str
    type: str
    country: str
    verified: bool
    has_current_label: bool


@dataclass(frozen=True)
class CallRules:
    eligible_types: tuple = ()
    min_partners: int = 0
    min_countries: int = 1
    verified_required: bool = True
    label_required: bool = False


@dataclass(frozen=True)
class Consortium:
    lead: Applicant
    partners: tuple = field(default_factory=tuple)  # the confirmed ones only
    pending: int = 0  # invited partners who have not answered yet

    @property
    def members(self):
        return (self.lead, *self.partners)


@dataclass(frozen=True)
class Finding:
    code: str
    message: str


def _names(applicants):
    return ", ".join(applicant.name for applicant in applicants)


def eligibility_findings(rules, consortium, *, now, deadline):
    """Every unmet rule, in a fixed order; empty when the consortium may submit."""
    findings = []
    if deadline is not None and now > deadline:
        findings.append(
            Finding(
                "deadline",
                _("The deadline passed on %(deadline)s (Brussels time).")
                % {"deadline": date_format(localtime(deadline), "DATETIME_FORMAT")},
            )
        )
    if rules.eligible_types:
        wrong = [m for m in consortium.members if m.type not in rules.eligible_types]
        if wrong:
            allowed = ", ".join(str(OrganisationType(t).label) for t in rules.eligible_types)
            findings.append(
                Finding(
                    "type",
                    _("This call is open to %(allowed)s only; not eligible: %(names)s.")
                    % {"allowed": allowed, "names": _names(wrong)},
                )
            )
    confirmed = len(consortium.partners)
    if confirmed < rules.min_partners:
        message = ngettext(
            "The call needs at least %(min)d confirmed partner; you have %(n)d.",
            "The call needs at least %(min)d confirmed partners; you have %(n)d.",
            rules.min_partners,
        ) % {"min": rules.min_partners, "n": confirmed}
        if consortium.pending:
            message += " " + ngettext(
                "%(pending)d invited partner has not answered yet.",
                "%(pending)d invited partners have not answered yet.",
                consortium.pending,
            ) % {"pending": consortium.pending}
        findings.append(Finding("partners", message))
    countries = len({member.country for member in consortium.members})
    if countries < rules.min_countries:
        findings.append(
            Finding(
                "countries",
                _(
                    "The consortium must span at least %(min)d countries; its confirmed "
                    "members come from %(n)d."
                )
                % {"min": rules.min_countries, "n": countries},
            )
        )
    if rules.verified_required:
        unverified = [m for m in consortium.members if not m.verified]
        if unverified:
            findings.append(
                Finding(
                    "verified",
                    _("Every organisation needs a verified profile; not yet verified: %(names)s.")
                    % {"names": _names(unverified)},
                )
            )
    if rules.label_required:
        unlabelled = [m for m in consortium.members if not m.has_current_label]
        if unlabelled:
            findings.append(
                Finding(
                    "label",
                    _(
                        "Every organisation needs a current cluster excellence label "
                        "verified by Commission staff; without one: %(names)s."
                    )
                    % {"names": _names(unlabelled)},
                )
            )
    return findings
