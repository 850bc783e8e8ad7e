"""Importing each module registers its admins, so Django's autodiscovery finds them all."""

from . import accounts, calls, messaging, organisations, partnerships, reference, reviews  # noqa: F401
