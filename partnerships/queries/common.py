"""What the reads of several subjects share."""


def _is_staff(user):
    return user is not None and user.is_authenticated and user.is_active and user.is_staff
