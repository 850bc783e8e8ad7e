import datetime as dt

from partnerships.eligibility import Applicant, CallRules, Consortium, eligibility_findings

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=1)


def applicant(name, country, type="cluster", verified=True, labelled=True):
    return Applicant(name, type, country, verified, labelled)


def codes(findings):
    return [finding.code for finding in findings]


RULES = CallRules(
    eligible_types=("cluster", "science_park"),
    min_partners=2,
    min_countries=3,
    verified_required=True,
    label_required=False,
)
GOOD = Consortium(
    lead=applicant("Lead", "DE"), partners=(applicant("A", "FR"), applicant("B", "IT"))
)


def test_eligibility_complete_consortium_has_no_findings():
    assert eligibility_findings(RULES, GOOD, now=NOW, deadline=LATER) == []


def test_eligibility_deadline_passed():
    findings = eligibility_findings(RULES, GOOD, now=LATER, deadline=NOW)

    assert codes(findings) == ["deadline"]
    assert "Brussels time" in findings[0].message


def test_eligibility_wrong_type_names_the_organisation():
    consortium = Consortium(
        lead=applicant("Lead", "DE"),
        partners=(applicant("Tech Hub", "FR", type="technology_centre"), applicant("B", "IT")),
    )

    findings = eligibility_findings(RULES, consortium, now=NOW, deadline=LATER)

    assert codes(findings) == ["type"]
    assert findings[0].message == (
        "This call is open to Cluster organisation, Science park only; not eligible: Tech Hub."
    )


def test_eligibility_too_few_confirmed_partners_mentions_pending():
    consortium = Consortium(
        lead=applicant("Lead", "DE"), partners=(applicant("A", "FR"),), pending=3
    )
    rules = CallRules(min_partners=2, min_countries=1)

    findings = eligibility_findings(rules, consortium, now=NOW, deadline=LATER)

    assert codes(findings) == ["partners"]
    assert findings[0].message == (
        "The call needs at least 2 confirmed partners; you have 1. "
        "3 invited partners have not answered yet."
    )


def test_eligibility_too_few_countries_counts_distinct_countries():
    consortium = Consortium(
        lead=applicant("Lead", "DE"), partners=(applicant("A", "DE"), applicant("B", "FR"))
    )

    findings = eligibility_findings(RULES, consortium, now=NOW, deadline=LATER)

    assert codes(findings) == ["countries"]
    assert findings[0].message == (
        "The consortium must span at least 3 countries; its confirmed members come from 2."
    )


def test_eligibility_unverified_and_unlabelled_are_each_reported():
    rules = CallRules(min_partners=1, min_countries=1, verified_required=True, label_required=True)
    consortium = Consortium(
        lead=applicant("Lead", "DE", labelled=False),
        partners=(applicant("A", "FR", verified=False),),
    )

    findings = eligibility_findings(rules, consortium, now=NOW, deadline=LATER)

    assert codes(findings) == ["verified", "label"]
    assert findings[0].message.endswith("not yet verified: A.")
    assert findings[1].message.endswith("without one: Lead.")


def test_eligibility_rules_switched_off_are_not_checked():
    rules = CallRules(min_partners=0, min_countries=1, verified_required=False)
    consortium = Consortium(lead=applicant("Lead", "DE", type="other", verified=False))

    assert eligibility_findings(rules, consortium, now=NOW, deadline=None) == []


def test_eligibility_every_rule_at_once_in_fixed_order():
    consortium = Consortium(lead=applicant("Lead", "DE", type="other", verified=False))
    rules = CallRules(("cluster",), 2, 3, True, True)

    findings = eligibility_findings(rules, consortium, now=LATER, deadline=NOW)

    assert codes(findings) == ["deadline", "type", "partners", "countries", "verified"]
