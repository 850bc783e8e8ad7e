from django import template
from django.conf import settings
from django.shortcuts import resolve_url
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from partnerships.enums import ORGANISATION_HISTORY

register = template.Library()


@register.filter
def history_action(action):
    """An organisation's audit action in words; an action without words keeps its code."""
    return ORGANISATION_HISTORY.get(action, action)


@register.simple_tag
def login_url():
    """settings.LOGIN_URL resolved, so it may be a path or a URL name."""
    return resolve_url(settings.LOGIN_URL)


@register.simple_tag(takes_context=True)
def back_url(context):
    """The page the reader came from when it is one of ours, else "": a refused page links
    back without sending anyone to an address another site put in the Referer."""
    request = context.get("request")
    referer = request.headers.get("referer", "") if request is not None else ""
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


@register.simple_tag
def facet_checkboxes(group):
    """A facet group's checkboxes with their counts.

    The directory shows well over a hundred options on every request; rendered node by node
    in the template they were the largest share of the page's time, so they are joined here.
    """
    name = group["name"]
    return format_html_join(
        "\n",
        '<div class="facet"><input type="checkbox" id="facet-{0}-{1}" name="{0}" value="{1}"{2}>'
        '<label for="facet-{0}-{1}">{3} <span class="facet__count">({4})</span></label></div>',
        (
            (
                name,
                option.value,
                mark_safe(" checked") if option.selected else "",
                option.label,
                number_format(option.count, force_grouping=True),
            )
            for option in group["options"]
        ),
    )


@register.simple_tag
def directory_item(organisation, label):
    """One result of the directory: name, type, place, members, current label and sectors.

    Twenty on every page; node by node in the template they took half of its rendering time,
    so, like the facets, they are joined here. The texts are the template's own messages.
    """
    members = organisation.members_total
    acronym = (
        format_html(' <span class="profile__acronym">({})</span>', organisation.acronym)
        if organisation.acronym
        else ""
    )
    badge = (
        format_html(
            '<p class="directory-item__label"><span class="badge badge--{}">{}</span></p>',
            label.level,
            gettext("%(level)s label") % {"level": label.get_level_display()},
        )
        if label
        else ""
    )
    sectors = organisation.sectoral_industries.all()
    tags = (
        format_html(
            '<ul class="tag-list" aria-label="{}">{}</ul>',
            gettext("Sectoral industries"),
            format_html_join(
                "", '<li class="tag">{}</li>', ((sector.localised_name,) for sector in sectors)
            ),
        )
        if sectors
        else ""
    )
    return format_html(
        '<li class="directory-item card"><h3 class="directory-item__name"><a href="{}">{}</a>{}'
        '</h3><p class="directory-item__meta">{} · {}{}, {} · {}</p>{}{}</li>',
        organisation.get_absolute_url(),
        organisation.name,
        acronym,
        organisation.get_type_display(),
        f"{organisation.city}, " if organisation.city else "",
        organisation.region.name,
        organisation.country.localised_name,
        ngettext("%(total)s member", "%(total)s members", members)
        % {"total": number_format(members, force_grouping=True)},
        badge,
        tags,
    )


# Django names no date format with a weekday, so these are translated like messages; each
# language puts the weekday, day and month in its own order (lundi 4 mai 2026, Montag, 4. Mai 2026).
@register.filter(expects_localtime=True)
def weekday_date(value):
    """Monday 4 May 2026."""
    return date_format(value, pgettext("date format with weekday", "l j F Y")) if value else ""


@register.filter(expects_localtime=True)
def weekday_datetime(value):
    """Monday 4 May 2026, 17:00."""
    return (
        date_format(value, pgettext("date and time format with weekday", "l j F Y, H:i"))
        if value
        else ""
    )


@register.filter(expects_localtime=True)
def short_weekday_datetime(value):
    """Mon 4 May, 09:30: a slot in an agenda."""
    return (
        date_format(value, pgettext("short date and time format with weekday", "D j M, H:i"))
        if value
        else ""
    )
