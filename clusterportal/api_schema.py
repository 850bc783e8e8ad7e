"""The OpenAPI schema says what the API answers, errors and input limits included.

drf-spectacular documents the 200 answer and the parameters' types; this adds, for every
operation, the error answers it can really give (with their JSON bodies), the limits the
server enforces on each parameter, and that signing in is optional: every endpoint answers
anonymous requests, scoped to what the public may see.
"""

from django.db import DatabaseError
from django_filters import ModelChoiceFilter, ModelMultipleChoiceFilter
from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

from clusterportal.api import MAX_ID, RulesPermission

# Nothing the API reads may contain a NUL character: MalformedInputMiddleware refuses it.
NO_NUL = r"^[^\x00]*$"
# DRF's router matches a lookup with this unless a viewset gives its own expression.
DEFAULT_LOOKUP = r"[^/.\x00]+"

ERROR_SCHEMA = {
    "type": "object",
    "description": "Why the request was refused, in the language the request asked for.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "example": {"detail": "Not found."},
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "The input refused: each offending parameter's name with its messages, or `detail` "
        "when the address as a whole was refused (a NUL character, invalid UTF-8)."
    ),
    "additionalProperties": {
        "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]
    },
    "minProperties": 1,
    "example": {"page_size": ["Enter a whole number from 1 to 200."]},
}
COMPONENTS = {"Error": ERROR_SCHEMA, "ValidationError": VALIDATION_ERROR_SCHEMA}

DESCRIPTIONS = {
    "400": "The input is invalid: an unknown filter value, a parameter out of range, a NUL "
    "character in the address.",
    "403": "You may not see this (sign in, or ask the organisation's manager).",
    "404": "Nothing at this address that you may see, or a page past the last one.",
    "406": "None of the media types in Accept can be served (JSON always can).",
    "413": "The request announces a body larger than the portal accepts.",
    "429": "Too many requests; try again after Retry-After seconds.",
}


class PortalAutoSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for name, schema in COMPONENTS.items():
            registry.register_on_missing(
                ResolvedComponent(
                    name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
                )
            )
        # The inspector is shared by a viewset's actions: what it learns is per operation.
        self._filters = None
        for parameter in operation.get("parameters", []):
            self._limit(parameter)
        operation["responses"].update(self._error_responses(operation))
        return operation

    def get_auth(self):
        auths = super().get_auth()
        # Every endpoint answers anonymous requests too, with what the public may see.
        if auths and {} not in auths:
            auths.append({})
        return auths

    def _limit(self, parameter):
        schema = parameter["schema"]
        if parameter["in"] == "path":
            self._limit_path(parameter["name"], schema)
        elif parameter["in"] == "query":
            self._limit_filter(parameter["name"], schema)
            # An empty single value (`?state=`) means "no filter", the default page or order.
            if schema.get("type") != "array":
                parameter["allowEmptyValue"] = True
        items = schema.get("items", schema)
        for target in {id(schema): schema, id(items): items}.values():
            if target.get("type") == "string" and not {"enum", "format", "pattern"} & set(target):
                target["pattern"] = NO_NUL
            if target.get("type") == "integer" and parameter["name"] != "page":
                target.setdefault("maximum", MAX_ID)

    def _limit_path(self, name, schema):
        if schema.get("type") == "integer":
            schema.setdefault("minimum", 1)
            schema.setdefault("maximum", MAX_ID)
            return
        if schema.get("type") == "string" and "pattern" not in schema:
            lookup = getattr(self.view, "lookup_value_regex", None) or DEFAULT_LOOKUP
            schema["pattern"] = f"^(?:{lookup})$"

    def _filterset(self):
        """The view's filterset as a request would build it, or None without one."""
        for backend in self.get_filter_backends():
            extension = OpenApiFilterExtension.get_match(backend())
            if extension is None:
                continue
            filterset_class = backend().get_filterset_class(self.view, self.view.get_queryset())
            if filterset_class is None:
                return None
            return filterset_class(
                data={}, queryset=self.view.get_queryset(), request=self.view.request
            )
        return None

    def _limit_filter(self, name, schema):
        if self._filters is None:
            filterset = self._filterset()
            self._filters = filterset.filters if filterset is not None else {}
        query_filter = self._filters.get(name)
        if query_filter is None:
            return
        target = schema["items"] if schema.get("type") == "array" else schema
        if query_filter.extra.get("max_length"):
            target["maxLength"] = query_filter.extra["max_length"]
        choices = self._filter_choices(query_filter)
        if choices:
            target.pop("pattern", None)
            target["enum"] = choices
        elif choices == []:
            # Nothing to name yet: every value is refused (an empty enum is not valid OpenAPI).
            target["not"] = {}

    def _filter_choices(self, query_filter):
        """The values a model choice filter accepts: the schema lists what exists now.

        Such a filter refuses a value that names nothing (see OrganisationFacetFilter), so
        the only honest schema is the list of values that do name something.
        """
        if not isinstance(query_filter, ModelChoiceFilter | ModelMultipleChoiceFilter):
            return None
        field = query_filter.extra.get("to_field_name") or "pk"
        try:
            return sorted(query_filter.queryset.values_list(field, flat=True).distinct())
        except DatabaseError:
            # `manage.py check --deploy` builds the schema without a database to ask.
            return None

    def _may_refuse(self):
        return any(
            isinstance(permission, RulesPermission) and permission.may_refuse(self.view)
            for permission in self.view.get_permissions()
        )

    def _error_responses(self, operation):
        parameters = operation.get("parameters", [])
        # RequestSizeMiddleware answers 413 to any request announcing a body past the limit.
        codes = ["400", "406", "413"]
        if self._may_refuse():
            codes.append("403")
        if any(parameter["in"] == "path" for parameter in parameters) or any(
            parameter["name"] == "page" for parameter in parameters
        ):
            codes.append("404")
        if self.view.get_throttles():
            codes.append("429")
        responses = {}
        for code in sorted(codes):
            component = "ValidationError" if code == "400" else "Error"
            response = {
                "description": DESCRIPTIONS[code],
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}
                },
            }
            if code == "429":
                response["headers"] = {
                    "Retry-After": {
                        "schema": {"type": "integer", "minimum": 0},
                        "description": "Seconds to wait before the next request.",
                    }
                }
            responses[code] = response
        return responses
