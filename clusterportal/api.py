"""API conventions shared by every app's viewsets: permissions, pagination, errors."""

import django_filters
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, filters, pagination, permissions

# Which rules permission a DRF action needs, by the model's own permission verbs.
ACTION_VERBS = {
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}

# Primary keys are BigAutoFields: an id past this names nothing that can exist.
MAX_ID = 2**63 - 1
SEARCH_MAX_LENGTH = 200


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

    def may_refuse(self, view):
        """Whether this permission can answer 403 to the view's action (for the schema)."""
        return self._perm(view) is not None

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


def _positive_integer(value, *, maximum):
    """`value` as an int in 1..maximum, or None: digits only, as the schema's pattern says."""
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 1 <= number <= maximum else None


class StandardPagination(pagination.PageNumberPagination):
    """Pages of 25 by default; a page size outside 1..200 is an error, not quietly changed."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
    # DRF's `?page=last` is a word where the schema promises a number.
    last_page_strings = ()

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if not value:
            return self.page_size
        size = _positive_integer(value, maximum=self.max_page_size)
        if size is None:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("Enter a whole number from 1 to %(maximum)d.")
                        % {"maximum": self.max_page_size}
                    ]
                }
            )
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        limits = {
            self.page_query_param: {"type": "integer", "minimum": 1},
            self.page_size_query_param: {
                "type": "integer",
                "minimum": 1,
                "maximum": self.max_page_size,
                "default": self.page_size,
            },
        }
        for parameter in parameters:
            parameter["schema"] = limits.get(parameter["name"], parameter["schema"])
        return parameters


class SearchFilter(filters.SearchFilter):
    """DRF's search, with a bound on the terms a request may send."""

    def get_search_terms(self, request):
        value = request.query_params.get(self.search_param, "")
        if len(value) > SEARCH_MAX_LENGTH:
            raise exceptions.ValidationError(
                {
                    self.search_param: [
                        _("Search for at most %(maximum)d characters.")
                        % {"maximum": SEARCH_MAX_LENGTH}
                    ]
                }
            )
        return super().get_search_terms(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["maxLength"] = SEARCH_MAX_LENGTH
        return parameters


class OrderingFilter(filters.OrderingFilter):
    """DRF's ordering, refusing a field it cannot sort by instead of silently ignoring it.

    `?ordering=name,-created_at` sorts by several fields; each term is a field name, with a
    leading "-" for descending, exactly as the schema's pattern spells it.
    """

    def sortable(self, queryset, view, request=None):
        context = {"request": request} if request is not None else {}
        return [name for name, _label in self.get_valid_fields(queryset, view, context)]

    def get_ordering(self, request, queryset, view):
        value = request.query_params.get(self.ordering_param)
        if not value:
            return self.get_default_ordering(view)
        sortable = set(self.sortable(queryset, view, request))
        terms = value.split(",")
        unknown = [term for term in terms if term.removeprefix("-") not in sortable]
        if unknown:
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        _("Cannot sort by %(terms)s; choose from %(fields)s.")
                        % {"terms": ", ".join(unknown), "fields": ", ".join(sorted(sortable))}
                    ]
                }
            )
        return terms

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = "|".join(sorted(self.sortable(view.get_queryset(), view)))
        for parameter in parameters:
            parameter["description"] = _(
                "Fields to sort by, separated by commas; a leading - sorts in descending order. "
                "Empty keeps the default order."
            )
            parameter["schema"]["pattern"] = rf"^((-?({fields}))(,-?({fields}))*)?$"
        return parameters


class StrictNullBooleanField(forms.NullBooleanField):
    """true/false (or 1/0, True/False); anything else is an error, not "no filter"."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}
    # NullBooleanSelect reads a value it does not know as None, "no filter"; a plain select
    # hands it on to be refused.
    widget = forms.Select(
        choices=[("", "---------"), ("true", gettext_lazy("Yes")), ("false", gettext_lazy("No"))]
    )

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        if str(value).lower() not in self.VALUES:
            raise forms.ValidationError(gettext_lazy("Enter true or false."), code="invalid")
        return self.VALUES[str(value).lower()]

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictNullBooleanField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number in the range of primary keys. One that names nothing
    gives an empty list, as it would once that object is gone."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
