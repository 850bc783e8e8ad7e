"""API conventions shared by every app's viewsets: permissions, pagination, errors."""

from rest_framework import pagination, permissions

# Which rules permission a DRF action needs, by the model's own permission verbs.
ACTION_VERBS = {
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


def permission_name(model, verb):
    return f"{model._meta.app_label}.{verb}_{model._meta.model_name}"


class RulesPermission(permissions.BasePermission):
    """Bridge DRF actions to `rules` permissions.

    A viewset may declare `rules_permissions = {"action": "app.perm" or None}`; None means
    anyone. Otherwise list needs nothing beyond the scoped queryset, and the other actions
    need the model's view/add/change/delete permission, checked against the object.
    """

    def _perm(self, view):
        declared = getattr(view, "rules_permissions", {})
        action = getattr(view, "action", None)
        if action in declared:
            return declared[action]
        if action == "list" or action is None:
            return None
        verb = ACTION_VERBS.get(action, "view")
        return permission_name(view.get_queryset().model, verb)

    def has_permission(self, request, view):
        perm = self._perm(view)
        if perm is None:
            return True
        if getattr(view, "action", None) == "create":
            return request.user.has_perm(perm)
        # Object actions are decided in has_object_permission.
        return True

    def has_object_permission(self, request, view, obj):
        perm = self._perm(view)
        return perm is None or request.user.has_perm(perm, obj)


class StandardPagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
