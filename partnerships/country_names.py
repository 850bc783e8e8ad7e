"""Country names in the portal's languages, from the ISO 3166 catalogues pycountry ships.

Our English names are the NUTS ones; the catalogues are keyed by ISO 3166's English names,
which differ for a few countries (Taiwan), so the lookup goes through the ISO code. A country
ISO does not list (Kosovo's XK is a user-assigned code) keeps its English name.
"""

import functools
import gettext

import pycountry


@functools.cache
def _catalogue(language):
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])


def translated_country_name(iso_code, language):
    """The name of the country `iso_code` in `language`, or "" when ISO 3166 has no such code."""
    country = pycountry.countries.get(alpha_2=iso_code)
    if country is None:
        return ""
    # The common name ("Taiwan") is the one people use, where ISO gives one.
    return _catalogue(language).gettext(getattr(country, "common_name", None) or country.name)
