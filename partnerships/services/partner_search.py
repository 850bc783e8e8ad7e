"""Writes to partner searches: drafting, publishing, closing, expiry, interest, follows,
comments, and the step from the interested organisations to a consortium."""

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import TextField, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships import signals
from partnerships.enums import (
    PARTNER_SEARCH_CLOSING_STATES,
    PARTNER_SEARCH_TRANSITIONS,
    PartnerSearchState,
    ValidationState,
)
from partnerships.integrity import unique_rule
from partnerships.models import (
    OrganisationMembership,
    PartnerSearch,
    PartnerSearchComment,
    PartnerSearchFollow,
    PartnerSearchInterest,
    User,
)
from partnerships.services.audit import log_action
from partnerships.services.notifications import absolute, queue_email
from partnerships.statemachine import ensure_transition

SEARCH_M2M_FIELDS = (
    "seeking_sectors",
    "seeking_emerging",
    "seeking_ecosystems",
    "seeking_value_chain",
    "countries",
)
SEARCH_FIELDS = ("title", "description", "call", "deadline", *SEARCH_M2M_FIELDS)
# Must match the configuration of the directory's search (migration 0009).
SEARCH_CONFIG = "portal_search"


def _manager_ids(organisation_id):
    return set(
        OrganisationMembership.objects.filter(organisation_id=organisation_id).values_list(
            "user_id", flat=True
        )
    )


def _manager_emails(organisation_id):
    return list(
        OrganisationMembership.objects.filter(organisation_id=organisation_id).values_list(
            "user__email", flat=True
        )
    )


def _require_manager(organisation, user):
    if not OrganisationMembership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(
            _("Only a manager of %(name)s can do this.") % {"name": organisation.name},
            code="not_manager",
        )


def _locked(search):
    return PartnerSearch.objects.select_for_update().select_related("author").get(pk=search.pk)


def _move(search, to):
    ensure_transition(
        PARTNER_SEARCH_TRANSITIONS, current=search.state, to=to, choices=PartnerSearchState
    )


def _ensure_future_deadline(deadline):
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationError(
            {"deadline": _("Choose today or a later day.")}, code="deadline_passed"
        )


def index_partner_search(search):
    """Refresh the stored search vector: the author's name weighs most, then the title."""
    if connection.vendor != "postgresql":
        return
    PartnerSearch.objects.filter(pk=search.pk).update(
        search_vector=SearchVector(
            Value(search.author.name, output_field=TextField()), weight="A", config=SEARCH_CONFIG
        )
        + SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("description", weight="B", config=SEARCH_CONFIG)
    )


def _apply(search, fields):
    unknown = set(fields) - set(SEARCH_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    relations = {name: fields.pop(name) for name in SEARCH_M2M_FIELDS if name in fields}
    if "deadline" in fields:
        _ensure_future_deadline(fields["deadline"])
    for name in ("title", "description"):
        if isinstance(fields.get(name), str):
            # Spaces alone are no title: full_clean then says the field is required.
            fields[name] = fields[name].strip()
    for name, value in fields.items():
        setattr(search, name, value)
    search.full_clean(exclude=["author", *SEARCH_M2M_FIELDS])
    search.save()
    for name, values in relations.items():
        getattr(search, name).set(values)
    index_partner_search(search)
    return sorted(fields) + sorted(relations)


def _followers(search):
    return set(search.follows.values_list("user_id", flat=True))


def _interested_managers(search):
    return set(
        OrganisationMembership.objects.filter(
            organisation__partner_search_interests__search=search
        ).values_list("user_id", flat=True)
    )


def _announce_update(search, change, *, by):
    """Tell the followers and the interested organisations' people, after commit."""
    recipients = sorted((_followers(search) | _interested_managers(search)) - {by.pk})
    transaction.on_commit(
        lambda: signals.partner_search_updated.send(
            sender=PartnerSearch, search_id=search.pk, change=change, recipient_ids=recipients
        )
    )
    return recipients


@transaction.atomic
def create_partner_search(*, author, by, **fields):
    """Start a draft for `author`; the one who starts it must manage the organisation."""
    _require_manager(author, by)
    if author.validation_state == ValidationState.PENDING:
        raise ValidationError(
            _("%(name)s is waiting for validation; post a search once it is verified.")
            % {"name": author.name},
            code="pending",
        )
    search = PartnerSearch(author=author, created_by=by)
    _apply(search, dict(fields))
    log_action(search, "partner_search.created", actor=by)
    return search


@transaction.atomic
def update_partner_search(search, *, by, **fields):
    """Save new content; followers hear of a change to a search that is on the board."""
    search = _locked(search)
    _require_manager(search.author, by)
    if not search.is_editable:
        raise ValidationError(
            _("A search that is “%(state)s” can no longer be changed.")
            % {"state": search.get_state_display()},
            code="not_editable",
        )
    changed = _apply(search, dict(fields))
    log_action(search, "partner_search.updated", actor=by, data={"fields": changed})
    if search.state == PartnerSearchState.PUBLISHED:
        _announce_update(search, "edited", by=by)
    return search


@transaction.atomic
def publish_partner_search(search, *, by):
    """Put a draft (or an expired search with a new deadline) on the board."""
    search = _locked(search)
    _require_manager(search.author, by)
    _move(search, PartnerSearchState.PUBLISHED)
    if search.author.validation_state != ValidationState.VERIFIED:
        raise ValidationError(
            _("Only a verified organisation can publish a search: %(name)s is not verified yet.")
            % {"name": search.author.name},
            code="unverified",
        )
    if search.is_past_deadline:
        raise ValidationError(
            {"deadline": _("The deadline has passed: choose a later day, then publish.")},
            code="deadline_passed",
        )
    previous = search.state
    search.state = PartnerSearchState.PUBLISHED
    search.published_at = search.published_at or timezone.now()
    search.closed_at = None
    search.save(update_fields=["state", "published_at", "closed_at", "updated_at"])
    log_action(search, "partner_search.published", actor=by, data={"from": previous})
    _announce_update(search, "published", by=by)
    return search


@transaction.atomic
def close_partner_search(search, *, outcome, by):
    """The author closes: partners found, or the search abandoned."""
    if outcome not in PARTNER_SEARCH_CLOSING_STATES:
        raise ValidationError(_("Close a search as found or abandoned."), code="invalid")
    search = _locked(search)
    _require_manager(search.author, by)
    _move(search, outcome)
    previous = search.state
    search.state = outcome
    search.closed_at = timezone.now()
    search.save(update_fields=["state", "closed_at", "updated_at"])
    log_action(search, f"partner_search.{outcome}", actor=by, data={"from": previous})
    recipients = _announce_update(search, outcome, by=by)
    if recipients and previous != PartnerSearchState.DRAFT:
        queue_email(
            subject=_("ClusterPortal: the partner search “%(title)s” is closed")
            % {"title": search.title},
            template="partnerships/email/partner_search_closed.txt",
            context={"search": search, "url": absolute(search.get_absolute_url())},
            recipients=_emails_of(recipients),
        )
    return search


def _emails_of(user_ids):
    return list(
        User.objects.filter(pk__in=user_ids, is_active=True).values_list("email", flat=True)
    )


@transaction.atomic
def expire_partner_searches(*, today=None):
    """Take every published search whose deadline has passed off the board.

    Safe to run again (from Celery beat or a command): an expired search is not touched twice.
    Returns the number of searches expired.
    """
    today = today or timezone.localdate()
    due = list(
        PartnerSearch.objects.select_for_update(skip_locked=True)
        .filter(state=PartnerSearchState.PUBLISHED, deadline__lt=today)
        .order_by("pk")
    )
    now = timezone.now()
    for search in due:
        search.state = PartnerSearchState.EXPIRED
        search.closed_at = now
        search.save(update_fields=["state", "closed_at", "updated_at"])
        log_action(search, "partner_search.expired", actor=None, data={"deadline": str(today)})
        recipients = sorted(_followers(search) | _manager_ids(search.author_id))
        transaction.on_commit(
            lambda pk=search.pk, ids=recipients: signals.partner_search_updated.send(
                sender=PartnerSearch, search_id=pk, change="expired", recipient_ids=ids
            )
        )
    return len(due)


def _ensure_open(search):
    if search.state != PartnerSearchState.PUBLISHED:
        raise ValidationError(
            _("This search is “%(state)s”: it no longer takes answers.")
            % {"state": search.get_state_display()},
            code="closed",
        )
    if search.is_past_deadline:
        raise ValidationError(_("The deadline of this search has passed."), code="closed")


@transaction.atomic
def express_interest(search, *, organisation, brings, by, value_chain=()):
    """`organisation` would like to join; the author's managers are told at once."""
    search = _locked(search)
    _ensure_open(search)
    _require_manager(organisation, by)
    if organisation.pk == search.author_id:
        raise ValidationError(
            {"organisation": _("This is your own organisation's search.")}, code="own"
        )
    if organisation.validation_state != ValidationState.VERIFIED:
        raise ValidationError(
            {"organisation": _("Only verified organisations can express interest.")},
            code="unverified",
        )
    already = ValidationError(
        {"organisation": _("%(name)s has already expressed interest.") % {"name": organisation}},
        code="already",
    )
    if search.interests.filter(organisation=organisation).exists():
        raise already
    interest = PartnerSearchInterest(
        search=search, organisation=organisation, brings=brings.strip(), created_by=by
    )
    interest.full_clean(exclude=["search", "organisation"])
    with unique_rule("partner_search_interest_once", lambda: already):
        interest.save()
    interest.value_chain.set(value_chain)
    log_action(search, "partner_search.interest", actor=by, data={"org": organisation.pk})
    recipients = sorted(_manager_ids(search.author_id))
    transaction.on_commit(
        lambda: signals.partner_search_interest.send(
            sender=PartnerSearch,
            search_id=search.pk,
            interest_id=interest.pk,
            organisation_id=organisation.pk,
            recipient_ids=recipients,
        )
    )
    queue_email(
        subject=_("ClusterPortal: %(name)s is interested in “%(title)s”")
        % {"name": organisation.name, "title": search.title},
        template="partnerships/email/partner_search_interest.txt",
        context={
            "search": search,
            "interest": interest,
            "url": absolute(search.get_absolute_url()),
        },
        recipients=_manager_emails(search.author_id),
    )
    return interest


@transaction.atomic
def follow_partner_search(search, *, by):
    """Follow a public search; following twice changes nothing."""
    if search.published_at is None:
        raise ValidationError(_("Only a published search can be followed."), code="draft")
    follow, created = PartnerSearchFollow.objects.get_or_create(search=search, user=by)
    if created:
        log_action(search, "partner_search.followed", actor=by)
    return follow


@transaction.atomic
def unfollow_partner_search(search, *, by):
    deleted, _rows = PartnerSearchFollow.objects.filter(search=search, user=by).delete()
    if deleted:
        log_action(search, "partner_search.unfollowed", actor=by)
    return bool(deleted)


@transaction.atomic
def comment_on_partner_search(search, *, body, by):
    """A public comment; the followers and the author's managers are told."""
    search = _locked(search)
    _ensure_open(search)
    comment = PartnerSearchComment(search=search, author=by, body=body.strip())
    comment.full_clean(exclude=["search", "author"])
    comment.save()
    log_action(search, "partner_search.commented", actor=by, data={"comment": comment.pk})
    recipients = sorted((_followers(search) | _manager_ids(search.author_id)) - {by.pk})
    transaction.on_commit(
        lambda: signals.partner_search_comment.send(
            sender=PartnerSearch,
            search_id=search.pk,
            comment_id=comment.pk,
            author_id=by.pk,
            recipient_ids=recipients,
        )
    )
    if recipients:
        queue_email(
            subject=_("ClusterPortal: a new comment on “%(title)s”") % {"title": search.title},
            template="partnerships/email/partner_search_comment.txt",
            context={
                "search": search,
                "comment": comment,
                "url": absolute(search.get_absolute_url()),
            },
            recipients=_emails_of(recipients),
        )
    return comment
