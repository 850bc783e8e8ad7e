import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.dispatch import receiver
from django.utils import timezone

from partnerships import services, signals, tasks
from partnerships.enums import (
    PARTNER_SEARCH_TRANSITIONS,
    ExpressionState,
    PartnerSearchState,
    PartnerState,
    ValidationState,
)
from partnerships.models import AuditEntry, ExpressionOfInterest, PartnerSearch
from partnerships.statemachine import ensure_transition
from tests.factories import (
    CallFactory,
    EmergingIndustryFactory,
    ExpressionFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnerSearchFactory,
    PartnerSearchInterestFactory,
    UserFactory,
    managed_organisation,
)

pytestmark = pytest.mark.django_db

S = PartnerSearchState


def in_days(days):
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def author():
    return managed_organisation("Battery Valley", "DE")


@pytest.fixture
def other():
    return managed_organisation("Lyon Cleantech", "FR")


@pytest.fixture
def captured():
    events = []

    def keep(sender, **kwargs):
        kwargs.pop("signal")
        events.append(kwargs)

    for signal in (
        signals.partner_search_interest,
        signals.partner_search_comment,
        signals.partner_search_updated,
    ):
        signal.connect(keep, weak=False, dispatch_uid=f"test-{id(signal)}")
    yield events
    for signal in (
        signals.partner_search_interest,
        signals.partner_search_comment,
        signals.partner_search_updated,
    ):
        signal.disconnect(dispatch_uid=f"test-{id(signal)}")


ALL_PAIRS = [(current, to) for current in S for to in S]


@pytest.mark.parametrize(("current", "to"), ALL_PAIRS)
def test_state_table_allows_exactly_its_moves(current, to):
    allowed = to in PARTNER_SEARCH_TRANSITIONS[current]

    if allowed:
        ensure_transition(PARTNER_SEARCH_TRANSITIONS, current=current, to=to, choices=S)
    else:
        with pytest.raises(ValidationError):
            ensure_transition(PARTNER_SEARCH_TRANSITIONS, current=current, to=to, choices=S)


def test_create_then_publish_puts_the_search_on_the_board(author):
    organisation, manager = author
    emerging = EmergingIndustryFactory(name="Blue economy")

    search = services.create_partner_search(
        author=organisation,
        by=manager,
        title="  Partners for a battery pilot  ",
        description="We look for recycling clusters.",
        deadline=in_days(10),
        seeking_emerging=[emerging],
    )
    services.publish_partner_search(search, by=manager)

    search.refresh_from_db()
    assert search.state == S.PUBLISHED
    assert search.title == "Partners for a battery pilot"
    assert list(search.seeking_emerging.all()) == [emerging]
    assert search.published_at is not None
    assert list(
        AuditEntry.objects.filter(object_id=str(search.pk)).values_list("action", flat=True)
    ) == ["partner_search.published", "partner_search.created"]


def test_create_refuses_a_person_who_does_not_manage_the_author(author):
    organisation, _manager = author

    with pytest.raises(ValidationError) as error:
        services.create_partner_search(
            author=organisation,
            by=UserFactory(),
            title="T",
            description="D",
            deadline=in_days(3),
        )

    assert error.value.messages == ["Only a manager of Battery Valley can do this."]
    assert PartnerSearch.objects.count() == 0


def test_create_refuses_a_past_deadline(author):
    organisation, manager = author

    with pytest.raises(ValidationError) as error:
        services.create_partner_search(
            author=organisation, by=manager, title="T", description="D", deadline=in_days(-1)
        )

    assert error.value.message_dict == {"deadline": ["Choose today or a later day."]}
    assert PartnerSearch.objects.count() == 0


def test_publish_refuses_an_unverified_author(author):
    organisation, manager = author
    organisation.validation_state = ValidationState.DRAFT
    organisation.save()
    search = services.create_partner_search(
        author=organisation, by=manager, title="T", description="D", deadline=in_days(3)
    )

    with pytest.raises(ValidationError) as error:
        services.publish_partner_search(search, by=manager)

    assert error.value.messages == [
        "Only a verified organisation can publish a search: Battery Valley is not verified yet."
    ]
    search.refresh_from_db()
    assert search.state == S.DRAFT


def test_express_interest_tells_the_author(
    author, other, captured, mailoutbox, django_capture_on_commit_callbacks
):
    organisation, manager = author
    partner, partner_manager = other
    search = PartnerSearchFactory(author=organisation, title="Battery pilot")

    with django_capture_on_commit_callbacks(execute=True):
        interest = services.express_interest(
            search, organisation=partner, brings="  Forty SMEs.  ", by=partner_manager
        )

    assert interest.brings == "Forty SMEs."
    assert captured == [
        {
            "search_id": search.pk,
            "interest_id": interest.pk,
            "organisation_id": partner.pk,
            "recipient_ids": [manager.pk],
        }
    ]
    assert [message.to for message in mailoutbox] == [[manager.email]]
    assert mailoutbox[0].subject == "ClusterPortal: Lyon Cleantech is interested in “Battery pilot”"


def test_express_interest_twice_is_refused(author, other):
    organisation, _manager = author
    partner, partner_manager = other
    search = PartnerSearchFactory(author=organisation)
    services.express_interest(search, organisation=partner, brings="A", by=partner_manager)

    with pytest.raises(ValidationError) as error:
        services.express_interest(search, organisation=partner, brings="B", by=partner_manager)

    assert error.value.message_dict == {
        "organisation": ["Lyon Cleantech has already expressed interest."]
    }
    assert search.interests.get().brings == "A"


@pytest.mark.parametrize("state", [S.FOUND, S.ABANDONED, S.EXPIRED])
def test_express_interest_in_a_closed_search_is_refused(author, other, state):
    organisation, _manager = author
    partner, partner_manager = other
    search = PartnerSearchFactory(author=organisation, state=state)

    with pytest.raises(ValidationError) as error:
        services.express_interest(search, organisation=partner, brings="A", by=partner_manager)

    assert error.value.code == "closed"
    assert search.interests.count() == 0


def test_express_interest_after_the_deadline_is_refused(author, other):
    organisation, _manager = author
    partner, partner_manager = other
    search = PartnerSearchFactory(author=organisation)
    PartnerSearch.objects.filter(pk=search.pk).update(deadline=in_days(-1))

    with pytest.raises(ValidationError) as error:
        services.express_interest(search, organisation=partner, brings="A", by=partner_manager)

    assert error.value.messages == ["The deadline of this search has passed."]


def test_express_interest_for_own_search_is_refused(author):
    organisation, manager = author
    search = PartnerSearchFactory(author=organisation)

    with pytest.raises(ValidationError) as error:
        services.express_interest(search, organisation=organisation, brings="A", by=manager)

    assert error.value.message_dict == {"organisation": ["This is your own organisation's search."]}


def test_comment_tells_followers_and_author_but_not_the_commenter(
    author, other, captured, django_capture_on_commit_callbacks
):
    organisation, manager = author
    _partner, partner_manager = other
    follower = UserFactory()
    search = PartnerSearchFactory(author=organisation)
    services.follow_partner_search(search, by=follower)
    services.follow_partner_search(search, by=partner_manager)

    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_on_partner_search(
            search, body="Is Norway in?", by=partner_manager
        )

    assert captured == [
        {
            "search_id": search.pk,
            "comment_id": comment.pk,
            "author_id": partner_manager.pk,
            "recipient_ids": sorted([manager.pk, follower.pk]),
        }
    ]


def test_follow_twice_keeps_one_follow(author):
    organisation, _manager = author
    search = PartnerSearchFactory(author=organisation)
    person = UserFactory()

    services.follow_partner_search(search, by=person)
    services.follow_partner_search(search, by=person)

    assert search.follows.count() == 1
    assert services.unfollow_partner_search(search, by=person) is True
    assert services.unfollow_partner_search(search, by=person) is False


def test_close_as_found_tells_followers(author, captured, django_capture_on_commit_callbacks):
    organisation, manager = author
    search = PartnerSearchFactory(author=organisation)
    follower = UserFactory()
    services.follow_partner_search(search, by=follower)

    with django_capture_on_commit_callbacks(execute=True):
        services.close_partner_search(search, outcome=S.FOUND, by=manager)

    search.refresh_from_db()
    assert search.state == S.FOUND
    assert captured == [{"search_id": search.pk, "change": "found", "recipient_ids": [follower.pk]}]


def test_expiry_runs_once_per_search(author, captured, django_capture_on_commit_callbacks):
    organisation, manager = author
    due = PartnerSearchFactory(author=organisation)
    PartnerSearch.objects.filter(pk=due.pk).update(deadline=in_days(-1))
    later = PartnerSearchFactory(author=organisation, deadline=in_days(1))

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.expire_partner_searches.apply().get()
        second = tasks.expire_partner_searches.apply().get()

    assert (first, second) == (1, 0)
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.state, later.state) == (S.EXPIRED, S.PUBLISHED)
    assert captured == [{"search_id": due.pk, "change": "expired", "recipient_ids": [manager.pk]}]


def test_an_expired_search_with_a_new_deadline_can_be_published_again(author):
    organisation, manager = author
    search = PartnerSearchFactory(author=organisation, state=S.EXPIRED, deadline=in_days(5))

    services.publish_partner_search(search, by=manager)

    search.refresh_from_db()
    assert search.state == S.PUBLISHED
    assert search.closed_at is None


def test_form_consortium_starts_the_expression_and_invites(
    author, other, mailoutbox, django_capture_on_commit_callbacks
):
    organisation, manager = author
    partner, partner_manager = other
    call = CallFactory(title="Going International")
    search = PartnerSearchFactory(author=organisation, call=call, title="Battery pilot")
    PartnerSearchInterestFactory(search=search, organisation=partner)

    with django_capture_on_commit_callbacks(execute=True):
        expression, invited = services.form_consortium(search, organisations=[partner], by=manager)

    assert expression.call == call
    assert expression.lead == organisation
    assert expression.title == "Battery pilot"
    assert [(p.organisation, p.state) for p in invited] == [(partner, PartnerState.INVITED)]
    assert [message.to for message in mailoutbox] == [[partner_manager.email]]


def test_form_consortium_reuses_the_live_draft(author, other):
    organisation, manager = author
    partner, _partner_manager = other
    call = CallFactory()
    draft = ExpressionFactory(call=call, lead=organisation, state=ExpressionState.DRAFT)
    search = PartnerSearchFactory(author=organisation, call=call)
    PartnerSearchInterestFactory(search=search, organisation=partner)

    expression, _invited = services.form_consortium(search, organisations=[partner], by=manager)

    assert expression == draft
    assert ExpressionOfInterest.objects.count() == 1


def test_form_consortium_refuses_an_organisation_that_did_not_answer(author):
    organisation, manager = author
    stranger = OrganisationFactory(name="Stranger Cluster")
    search = PartnerSearchFactory(author=organisation, call=CallFactory())

    with pytest.raises(ValidationError) as error:
        services.form_consortium(search, organisations=[stranger], by=manager)

    assert error.value.message_dict == {
        "organisations": ["Not interested in this search: Stranger Cluster."]
    }
    assert ExpressionOfInterest.objects.count() == 0


def test_form_consortium_needs_a_call(author, other):
    organisation, manager = author
    partner, _partner_manager = other
    search = PartnerSearchFactory(author=organisation)
    PartnerSearchInterestFactory(search=search, organisation=partner)

    with pytest.raises(ValidationError) as error:
        services.form_consortium(search, organisations=[partner], by=manager)

    assert error.value.messages == ["This search names no call to answer."]


def test_update_of_a_published_search_tells_followers_and_interested(
    author, other, captured, django_capture_on_commit_callbacks
):
    organisation, manager = author
    partner, partner_manager = other
    search = PartnerSearchFactory(author=organisation)
    PartnerSearchInterestFactory(search=search, organisation=partner)
    editor = MembershipFactory(organisation=organisation).user

    with django_capture_on_commit_callbacks(execute=True):
        services.update_partner_search(search, by=editor, title="New title")

    assert captured == [
        {"search_id": search.pk, "change": "edited", "recipient_ids": [partner_manager.pk]}
    ]
    assert manager.pk not in captured[0]["recipient_ids"]


def test_receivers_get_plain_ids_only_after_commit(author, other):
    organisation, _manager = author
    partner, partner_manager = other
    search = PartnerSearchFactory(author=organisation)
    received = []

    @receiver(signals.partner_search_interest, weak=False, dispatch_uid="after-commit-check")
    def keep(sender, **kwargs):
        received.append(kwargs["interest_id"])

    try:
        services.express_interest(search, organisation=partner, brings="A", by=partner_manager)
        # The test's transaction never commits, so nothing is sent.
        assert received == []
    finally:
        signals.partner_search_interest.disconnect(dispatch_uid="after-commit-check")


def test_expire_command_is_safe_to_repeat(author, capsys):
    organisation, _manager = author
    due = PartnerSearchFactory(author=organisation)
    PartnerSearch.objects.filter(pk=due.pk).update(deadline=in_days(-2))

    call_command("expire_partner_searches")
    call_command("expire_partner_searches")

    assert capsys.readouterr().out.splitlines() == [
        "1 partner searches expired.",
        "0 partner searches expired.",
    ]
    due.refresh_from_db()
    assert due.state == S.EXPIRED
