"""Every page and API endpoint, for every role, against the one table in policy.py."""

from pathlib import PurePath

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from partnerships.services.digest import unsubscribe_token
from tests.authz.policy import (
    LOGIN,
    POLICY,
    ROLES,
    SECRETS,
    SKIPPED_NAMES,
    SKIPPED_NAMESPACES,
    SKIPPED_VIEWS,
)
from tests.authz.world import build_world

API_PREFIX = "api/v1/"
METHODS = ("get", "post", "put", "patch", "delete")


def target_kwargs(world, target):
    """URL arguments for each object of the world a rule may point at."""
    return {
        None: {},
        "organisation": {"pk": world.organisation.pk},
        "weight_fit": {"pk": world.weight_fit.pk},
        "partner_search": {"pk": world.partner_search.pk},
        "draft_partner_search": {"pk": world.draft_partner_search.pk},
        "decision": {"pk": world.decision.pk},
        "complaint": {"pk": world.complaint.pk},
        "draft_organisation": {"pk": world.draft_organisation.pk},
        "label": {"pk": world.label.pk},
        "logo": {"name": PurePath(world.organisation.logo.name).name},
        "draft_label": {"pk": world.draft_label.pk},
        "invitation": {"token": world.invitation.token},
        "call": {"pk": world.call.pk},
        "draft_call": {"pk": world.draft_call.pk},
        "expression": {"pk": world.expression.pk},
        "expression_partner": {
            "pk": world.expression.pk,
            "partner_pk": world.expression_partner.pk,
        },
        "attachment": {"pk": world.expression.pk, "attachment_pk": world.attachment.pk},
        "event": {"pk": world.event.pk},
        "ally_registration": {"pk": world.event.pk, "registration": world.ally_registration.pk},
        "pending_registration": {"pk": world.pending_registration.pk},
        "meeting": {"pk": world.meeting.pk},
        "calendar_feed": {"token": world.manager_registration.calendar_token},
        "organiser_role": {"pk": world.event.pk, "role": world.organiser_role.pk},
        "event_meeting": {"pk": world.event.pk, "meeting": world.meeting.pk},
        "incoming_request": {
            "pk": world.event.pk,
            "registration": world.ally_registration.pk,
            "meeting": world.meeting.pk,
        },
        "country": {"pk": world.organisation.country_id},
        "region": {"pk": world.organisation.region_id},
        "recommendations": {"organisation_pk": world.organisation.pk},
        "draft_recommendations": {"organisation_pk": world.draft_organisation.pk},
        "sector": {"slug": world.sector.slug},
        "emerging_industry": {"slug": world.emerging_industry.slug},
        "ecosystem": {"slug": world.ecosystem.slug},
        "partnership": {"pk": world.partnership.pk},
        "review": {"pk": world.assignment.review.pk},
        "review_call": {"pk": world.review_call.pk},
        "call_reviewer": {"pk": world.review_call.pk, "reviewer_pk": world.call_reviewer.pk},
        "assignment": {"pk": world.review_call.pk, "assignment_pk": world.assignment.pk},
        "call_stage": {"pk": world.review_call.pk, "stage": 1},
        "consensus": {
            "pk": world.review_call.pk,
            "stage": 1,
            "expression_pk": world.review_expression.pk,
        },
        "conversation": {"pk": world.conversation.pk},
        "conversation_message": {
            "pk": world.conversation.pk,
            "message_pk": world.conversation_message.pk,
        },
        "notification": {"pk": world.notification.pk},
        "digest_token": {"token": unsubscribe_token(world.users["manager"].pk)},
        "review_export": {
            "pk": world.review_call.pk,
            "stage": 1,
            "kind": "scores",
            "fmt": "csv",
        },
    }[target]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    # One world for the whole table; each case runs in a savepoint that is rolled back.
    media = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("authz-media"),
        PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("authz-private"),
    )
    media.enable()
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
    media.disable()


@pytest.fixture(autouse=True)
def _media_root():
    # The world's files live in the module's media folder (see the world fixture).
    pass


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def request(client, rule, url):
    send = getattr(client, rule.method.lower())
    if rule.route.startswith(("api-", "api")) or ":" not in rule.route and rule.method != "GET":
        return send(url, {}, content_type="application/json")
    return send(url)


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    return response.status_code


CASES = [
    pytest.param(rule, role, expected, id=f"{rule.id}-{role}")
    for rule in POLICY
    for role, expected in zip(ROLES, rule.outcomes, strict=True)
]


@pytest.mark.parametrize(("rule", "role", "expected"), CASES)
def test_policy(client, db, world, rule, role, expected):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = reverse(rule.route, kwargs=target_kwargs(world, rule.target))

    response = request(client, rule, url)

    assert outcome(response) == expected
    body = body_of(response)
    leaked = [secret for secret, roles in SECRETS.items() if role not in roles and secret in body]
    assert leaked == []


def walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield prefix + str(pattern.pattern), name, namespace, pattern.callback


def methods_of(callback):
    """The HTTP methods a view answers: a router's action map, or a class view's handlers."""
    if getattr(callback, "actions", None):
        return {method.upper() for method in callback.actions}
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is None:
        # A function view: the table names it with the methods it is used with.
        return set()
    return {
        method.upper()
        for method in METHODS
        if method in view_class.http_method_names and hasattr(view_class, method)
    }


def test_every_route_of_the_project_is_in_the_policy_table():
    declared = {(rule.route, rule.method) for rule in POLICY}
    missing, unnamed = [], []
    for route, name, namespace, callback in walk(get_resolver().url_patterns):
        if namespace in SKIPPED_NAMESPACES or name in SKIPPED_NAMES:
            continue
        if f"{callback.__module__}.{callback.__name__}" in SKIPPED_VIEWS:
            continue
        if name is None:
            unnamed.append(route)
            continue
        methods = methods_of(callback) - {"HEAD", "OPTIONS"}
        if not methods and name not in {route for route, _method in declared}:
            missing.append(f"{name} ({route})")
        missing += [
            f"{method} {name} ({route})"
            for method in sorted(methods)
            if (name, method) not in declared
        ]

    assert unnamed == []
    assert missing == []


def test_policy_table_names_only_routes_that_exist():
    names = {name for _route, name, _ns, _callback in walk(get_resolver().url_patterns)}

    assert sorted({rule.route for rule in POLICY} - names) == []
