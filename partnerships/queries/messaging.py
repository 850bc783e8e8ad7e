"""Reads of conversations, each scoped to the person reading: a conversation of organisations
they are not a member of is not in any of these, so its id gives a 404."""

from django.db.models import BooleanField, Case, OuterRef, Q, Subquery, Value, When

from partnerships.models import Conversation, ConversationRead, OrganisationBlock


def conversations_for_user(user):
    """Conversations of the person's organisations, newest activity first, with `unread`."""
    if not user.is_authenticated:
        return Conversation.objects.none()
    organisations = user.memberships.values("organisation_id")
    read_at = ConversationRead.objects.filter(conversation=OuterRef("pk"), user=user).values(
        "read_at"
    )[:1]
    return (
        Conversation.objects.filter(
            Q(starter_id__in=organisations) | Q(recipient_id__in=organisations)
        )
        .select_related("starter", "recipient")
        .annotate(
            read_at=Subquery(read_at),
            unread=Case(
                When(read_at__isnull=True, then=Value(True)),
                When(last_message_at__gt=Subquery(read_at), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("-last_message_at", "-id")
    )


def conversation_messages(conversation):
    return conversation.messages.select_related("organisation", "sender").order_by(
        "created_at", "id"
    )


def blocks(organisation, other):
    """(organisation blocked other, other blocked organisation), in one query."""
    rows = OrganisationBlock.objects.filter(
        Q(blocker=organisation, blocked=other) | Q(blocker=other, blocked=organisation)
    ).values_list("blocker_id", flat=True)
    blockers = set(rows)
    return organisation.pk in blockers, other.pk in blockers
