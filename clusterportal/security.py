"""Glue between django-axes (login throttling) and allauth's sign-in by e-mail."""


def axes_username(request, credentials):
    """The e-mail address a sign-in attempt was for, as django-axes should count it.

    allauth authenticates with ``email=...``, while its form field is called ``login``; axes
    sees the credentials on failed attempts and the POST data elsewhere, so both are read.
    Lower-cased, because allauth matches e-mail addresses case-insensitively and an attacker
    must not get fresh attempts by changing the case.
    """
    credentials = credentials or {}
    login = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not login and request is not None:
        login = getattr(request, "POST", {}).get("login")
    return (login or "").strip().lower() or None
