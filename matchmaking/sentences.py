"""Reasons (explain.Reason codes and params) as plain, translated sentences."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from matchmaking.explain import band, strongest
from matchmaking.suggest import EMERGING, OBJECTIVE, SECTOR
from partnerships.enums import LABEL_RANK

LABEL_OF_RANK = {rank: level.label for level, rank in LABEL_RANK.items()}
BAND_LABELS = {
    "strong": gettext_lazy("strong match"),
    "good": gettext_lazy("good match"),
    "fair": gettext_lazy("fair match"),
}
SEEKING_VOCABULARIES = (
    ("sectors", "sectoralindustry"),
    ("emerging", "emergingindustry"),
    ("ecosystems", "ecosystem"),
    ("value_chain", "valuechainposition"),
)


def _names(slugs, vocabulary):
    return ", ".join(vocabulary.get(slug, slug) for slug in slugs)


def sentence(reason, names):
    """One reason as a sentence; `names` is queries.vocabulary_names()."""
    params = reason.params
    if reason.code == "cross_sector":
        bridges = (
            names["emergingindustry"] if params["bridge_kind"] == "emerging" else names["ecosystem"]
        )
        return _("both in %(bridge)s from different sectors (%(own)s and %(partner)s)") % {
            "bridge": bridges.get(params["bridge"], params["bridge"]),
            "own": names["sectoralindustry"].get(params["own_sector"], params["own_sector"]),
            "partner": names["sectoralindustry"].get(
                params["partner_sector"], params["partner_sector"]
            ),
        }
    if reason.code == "shared_focus":
        shared = [names["emergingindustry"].get(s, s) for s in params["emerging"]]
        shared += [names["ecosystem"].get(s, s) for s in params["ecosystems"]]
        return _("the same focus on %(names)s") % {"names": ", ".join(shared)}
    if reason.code == "value_chain":
        return _("complementary value-chain positions (your %(own)s, their %(partner)s)") % {
            "own": _names(params["own_positions"], names["valuechainposition"]),
            "partner": _names(params["partner_positions"], names["valuechainposition"]),
        }
    if reason.code == "same_chain":
        return _("both active along the same value chain (%(positions)s)") % {
            "positions": _names(params["positions"], names["valuechainposition"])
        }
    if reason.code == "seeking":
        sought = _sought(params["sought"], names)
        offered = _sought(params["offered"], names)
        if sought and offered:
            return _("offers what you seek (%(sought)s) and seeks what you offer (%(offered)s)") % {
                "sought": sought,
                "offered": offered,
            }
        if sought:
            return _("offers what you seek (%(names)s)") % {"names": sought}
        return _("seeks what you offer (%(names)s)") % {"names": offered}
    if reason.code == "s3_objectives":
        return _("shared smart-specialisation objectives (%(objectives)s)") % {
            "objectives": _names(params["objectives"], names["policyobjective"])
        }
    if reason.code == "text":
        if not params["terms"]:
            return _("similar descriptions")
        return _("similar activities (%(terms)s)") % {"terms": ", ".join(params["terms"])}
    if reason.code == "target_country":
        return _("partner in a target country (%(country)s)") % {
            "country": names["country"].get(params["country"], params["country"])
        }
    if reason.code == "partner_interest":
        return _("a partner in %(country)s looking for partners in %(own)s") % {
            "country": names["country"].get(params["country"], params["country"]),
            "own": names["country"].get(params["own_country"], params["own_country"]),
        }
    if reason.code == "shared_markets":
        return _("the same target markets (%(countries)s)") % {
            "countries": _names(params["countries"], names["country"])
        }
    if reason.code == "different_country":
        return _("partner abroad (%(country)s)") % {
            "country": names["country"].get(params["country"], params["country"])
        }
    if reason.code == "strength":
        members = ngettext("%(count)s member", "%(count)s members", params["members"]) % {
            "count": params["members"]
        }
        label = LABEL_OF_RANK.get(params["label_rank"])
        if label:
            return _("established partner (%(label)s label, %(members)s)") % {
                "label": label,
                "members": members,
            }
        return _("established partner (%(members)s)") % {"members": members}
    if reason.code == "near_duplicate":
        return _("same region and sector (%(region)s), which lowers the score") % {
            "region": names["region"].get(params["region"], params["region"])
        }
    raise ValueError(f"Unknown reason code {reason.code!r}")


def _sought(found, names):
    return ", ".join(
        names[vocabulary].get(slug, slug)
        for key, vocabulary in SEEKING_VOCABULARIES
        for slug in found[key]
    )


def sentences(reasons, names):
    """The strongest reasons of one recommendation (explain.strongest) in one line, strongest
    first."""
    return "; ".join(sentence(reason, names) for reason in strongest(reasons))


def band_label(contributions):
    """How strong a match is, in words (explain.band): pages show this, never the score."""
    return BAND_LABELS[band(contributions)]


def gain_sentences(suggestion, names):
    """What a suggested partner adds to the consortium (suggest.Suggestion), one line each."""
    lines = [
        _("adds country %(country)s") % {"country": names["country"].get(code, code)}
        for code in suggestion.countries
    ]
    templates = {
        SECTOR: (_("covers sector %(name)s"), "sectoralindustry"),
        EMERGING: (_("covers emerging industry %(name)s"), "emergingindustry"),
        OBJECTIVE: (_("covers S3 objective %(name)s"), "policyobjective"),
    }
    for theme in suggestion.themes:
        template, vocabulary = templates[theme.kind]
        lines.append(template % {"name": names[vocabulary].get(theme.slug, theme.slug)})
    return lines
