"""Names and titles kept in the portal's other languages, English being the fallback.

Each translatable text has one column per language (`name_fr`, `name_de`) beside the English
one, so that lists can read every language in the same query and the English column stays what
searches, slugs and exports already use. An empty translation shows the English text.
"""

from django.conf import settings
from django.utils import translation

# Declared as columns on the models, so a new portal language needs a migration; a test keeps
# this in step with settings.LANGUAGES.
TRANSLATED_LANGUAGES = ("fr", "de")


def active_language():
    """The request's language as a bare code ("fr" for "fr-be"), or the default one."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


def translated_field(field, language=None):
    """The column holding `field` in `language` (the active one by default), or None for English."""
    language = language or active_language()
    return f"{field}_{language}" if language in TRANSLATED_LANGUAGES else None


def localised(source, field, language=None):
    """`source`'s `field` in the active language, or the English text when it has none.

    `source` is a model instance or a dict from `.values()`, so that lists read by value and
    pages read by instance pick the same text.
    """
    get = source.get if isinstance(source, dict) else lambda name: getattr(source, name, "")
    column = translated_field(field, language)
    return (column and get(column)) or get(field)


def localised_columns(field):
    """`field` and its translations, for `.values()` and `.only()` calls that pick one later."""
    return [field, *(f"{field}_{language}" for language in TRANSLATED_LANGUAGES)]


class LocalisedName:
    """For models with `name` and its `name_<language>` columns."""

    @property
    def localised_name(self):
        return localised(self, "name")


class LocalisedTitle:
    """For models with `title` and its `title_<language>` columns."""

    @property
    def localised_title(self):
        return localised(self, "title")
