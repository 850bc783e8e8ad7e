"""Admin helpers shared by every app's admin: actions that move each selected row through a
service, and adopting the row a service created."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def apply_to_each(model_admin, request, queryset, change, *, success):
    """Call `change(obj)` (a service) for each selected row.

    A refused row gets its own error message with the service's reason; the rows that moved
    are reported once, as `success(count)`. Nothing is saved here: the service does it.
    """
    done, refused = 0, []
    for obj in queryset:
        try:
            change(obj)
        except ValidationError as error:
            refused.append(f"{obj}: {' '.join(error.messages)}")
        else:
            done += 1
    if done:
        model_admin.message_user(request, success(done), messages.SUCCESS)
    for line in refused:
        model_admin.message_user(request, line, messages.ERROR)
    return done


def adopt_created(obj, created, *fields):
    """Point the admin's unsaved `obj` at the row a service created as `created`.

    The admin goes on to save the inlines and write its log entry against `obj`, so `obj`
    must become that row; `fields` are the values the service set that the admin shows
    afterwards (a state, timestamps).
    """
    obj.pk = created.pk
    for name in fields:
        setattr(obj, name, getattr(created, name))
    obj._state.adding = False
    obj._state.db = created._state.db
