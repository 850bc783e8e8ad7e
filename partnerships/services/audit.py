from django.contrib.contenttypes.models import ContentType

from partnerships.models import AuditEntry


def signed_in(user):
    """`user` when it is a signed-in person, else None (no one, or an anonymous request)."""
    return user if user is not None and user.is_authenticated else None


def log_action(subject, action, *, actor, data=None):
    """Append an audit entry for `subject`. Call inside the transaction that made the change."""
    return AuditEntry.objects.create(
        actor=signed_in(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        object_repr=str(subject)[:300],
        data=data or {},
    )
