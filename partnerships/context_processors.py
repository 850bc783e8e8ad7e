from django.utils.functional import SimpleLazyObject

from partnerships.queries.notifications import unread_counts


def _counts(request):
    # Kept on the request: the header and a page may both ask, and it costs one query.
    if not hasattr(request, "_unread_counts"):
        request._unread_counts = unread_counts(request.user)
    return request._unread_counts


def notification_counts(request):
    """The header's unread counts, queried only if a template reads them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_counts": SimpleLazyObject(lambda: _counts(request))}
