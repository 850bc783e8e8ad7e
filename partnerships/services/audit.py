from django.contrib.contenttypes.models import ContentType

from partnerships.models import AuditEntry


def log_action(subject, action, *, actor, data=None):
    """Append an audit entry for `subject`. Call inside the transaction that made the change."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        object_repr=str(subject)[:300],
        data=data or {},
    )
