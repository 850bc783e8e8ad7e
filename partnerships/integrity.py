"""Turning a unique rule's refusal into the answer its check gives.

A service checks ("is there already one?") and then inserts; two requests at the same moment
both pass the check and the database refuses the second insert. That refusal is the check's
answer arriving late, so it is raised as the same ValidationError. The insert runs in a
savepoint, so the caller's transaction survives the refused statement.
"""

from contextlib import contextmanager

from django.db import IntegrityError, transaction

# SQLite names the columns, not the constraint, in its message.
SQLITE_UNIQUE = "UNIQUE constraint failed"


def constraint_name(error):
    """The name of the constraint an IntegrityError broke, or its message without one."""
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    return getattr(diag, "constraint_name", None) or str(cause or error)


def breaks(error, constraint):
    """Whether `error` is the refusal of the unique rule named `constraint`."""
    name = constraint_name(error)
    return name == constraint or name.startswith(SQLITE_UNIQUE)


@contextmanager
def unique_rule(constraint, answer):
    """Run the block in a savepoint; if it breaks `constraint`, raise `answer()` instead.

    `answer` is called only then, so it may read the row that won the race.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        if not breaks(error, constraint):
            raise
        raise answer() from error


def save_checked(instance):
    """Save `instance` in a savepoint; when a unique rule refuses it because another request
    saved the same values a moment before, raise the ValidationError that `full_clean` gives
    for such a duplicate (the rival's row is committed by then, so the check now sees it)."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        instance.validate_unique()
        instance.validate_constraints()
        raise
