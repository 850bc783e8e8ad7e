"""French and German ship complete and compiled; visitors get their language from the switcher
or their browser; dates and numbers follow the language."""

import ast
import datetime as dt
import gettext
import io
import re
import tokenize
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.translation.template import templatize

from events.forms import EventFilterForm
from partnerships.forms import LabelForm
from tests.factories import LabelFactory, OrganisationFactory

LOCALES = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["fr", "de"]
# Our formal German (Sie) for the django-allauth messages the portal shows.
ALLAUTH_OVERRIDES = LOCALES / "allauth"
CATALOGUES = [("fr", LOCALES), ("de", LOCALES), ("de", ALLAUTH_OVERRIDES)]
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifg]|\{\w*\}")
NBSP = "\xa0"  # French groups thousands with a no-break space
SOURCE_DIRS = ["clusterportal", "partnerships", "matchmaking", "events", "templates"]
# Django's marking functions and the shape of their arguments: (context?, singular, plural?).
MARKERS = {
    "gettext": (False, False),
    "gettext_lazy": (False, False),
    "gettext_noop": (False, False),
    "ngettext": (False, True),
    "ngettext_lazy": (False, True),
    "pgettext": (True, False),
    "pgettext_lazy": (True, False),
    "npgettext": (True, True),
    "npgettext_lazy": (True, True),
}


def catalog(language, root=LOCALES):
    return polib.pofile(str(root / language / "LC_MESSAGES" / "django.po"))


def _html(response):
    return response.content.decode()


# --- Catalogues ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_has_no_untranslated_or_fuzzy_entry(language):
    po = catalog(language)

    assert po.metadata["Language"] == language
    assert not po.metadata_is_fuzzy
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert len(po.translated_entries()) > 900


@pytest.mark.parametrize(("language", "root"), CATALOGUES)
def test_translations_keep_every_placeholder(language, root):
    broken = []
    for entry in catalog(language, root).translated_entries():
        pairs = (
            [(entry.msgid, entry.msgstr_plural[0]), (entry.msgid_plural, entry.msgstr_plural[1])]
            if entry.msgid_plural
            else [(entry.msgid, entry.msgstr)]
        )
        for source, translation_ in pairs:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation_)):
                broken.append((source, translation_))

    assert broken == []


@pytest.mark.parametrize(("language", "root"), CATALOGUES)
def test_compiled_catalog_matches_the_po_file(language, root):
    with open(root / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog

    expected = {}
    for entry in catalog(language, root).translated_entries():
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                expected[(msgid, int(index))] = text
        else:
            expected[msgid] = entry.msgstr
    compiled.pop("", None)  # the header

    assert compiled == expected


def test_allauth_overrides_are_complete_and_override_allauth_messages():
    po = catalog("de", ALLAUTH_OVERRIDES)

    assert po.untranslated_entries() == [] and po.fuzzy_entries() == []
    with translation.override("de"):
        assert [translation.gettext(entry.msgid) for entry in po] == [e.msgstr for e in po]


@pytest.mark.django_db
def test_german_account_pages_address_people_formally(client):
    login = _html(client.get("/accounts/login/", headers={"accept-language": "de"}))
    reset = _html(client.get("/accounts/password/reset/", headers={"accept-language": "de"}))

    assert 'Sie haben noch kein Konto? Dann <a href="/accounts/signup/">registrieren Sie' in login
    assert "Geben Sie unten Ihre E-Mail-Adresse ein" in reset
    assert re.findall(r"\b(?:[Dd]u|[Dd]ein\w*|[Dd]ich|[Dd]ir)\b", login + reset) == []


def _message(name, strings):
    """(context, msgid, plural) from a marking call's leading string arguments."""
    has_context, has_plural = MARKERS[name]
    strings = list(strings)
    context = strings.pop(0) if has_context else ""
    return (context, strings[0], strings[1] if has_plural else "")


def python_messages(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    aliases = {
        alias.asname or alias.name: alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in MARKERS
    }
    # xgettext does not look inside f-strings, so makemessages cannot collect those calls.
    in_fstrings = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in in_fstrings:
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = aliases.get(node.func.id)
            arguments = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if name and arguments and all(isinstance(a, str) for a in arguments):
                yield _message(name, arguments)


def template_messages(path):
    """The messages of a template, found the way makemessages finds them."""
    for line in templatize(path.read_text()).splitlines():
        yield from _calls(list(tokenize.generate_tokens(io.StringIO(line.strip()).readline)))


def _calls(tokens):
    for index, token in enumerate(tokens):
        if token.type == tokenize.NAME and token.string in MARKERS:
            strings = []
            for following in tokens[index + 2 :]:
                if following.type == tokenize.STRING:
                    strings.append(ast.literal_eval(following.string))
                elif following.string == ")":
                    break
            yield _message(token.string, strings)


def source_messages():
    root = Path(settings.BASE_DIR)
    for directory in SOURCE_DIRS:
        for path in sorted((root / directory).rglob("*")):
            if path.suffix == ".py":
                yield from python_messages(path)
            elif path.suffix in {".html", ".txt"}:
                yield from template_messages(path)


def test_every_marked_string_in_the_code_is_in_the_catalogues():
    """After adding strings, run `make messages` and translate the new entries."""
    found = set(source_messages())
    for language in LANGUAGES:
        catalogued = {
            (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")
            for entry in catalog(language)
            if not entry.obsolete
        }

        assert sorted(found - catalogued) == [], language


# --- Choosing the language ----------------------------------------------------------------


@pytest.mark.django_db
def test_language_switcher_shows_the_next_page_in_french(client):
    response = client.post(
        "/i18n/setlang/", {"language": "fr", "next": "/organisations/"}, follow=True
    )

    html = _html(response)
    assert response.redirect_chain == [("/organisations/", 302)]
    assert '<html lang="fr">' in html
    assert "<h1>Annuaire des organisations</h1>" in html
    assert '<option value="fr" lang="fr" selected>Français</option>' in html


@pytest.mark.django_db
def test_language_switcher_refuses_an_unknown_language_and_keeps_english(client):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/"}, follow=True)

    assert '<html lang="en">' in _html(response)
    assert "django_language" not in response.client.cookies


@pytest.mark.django_db
def test_browser_language_is_negotiated_from_accept_language(client):
    response = client.get("/", headers={"accept-language": "de-AT,de;q=0.9,en;q=0.5"})

    html = _html(response)
    assert response.headers["Content-Language"] == "de"
    assert '<html lang="de">' in html
    assert ">Zum Hauptinhalt springen</a>" in html
    assert ">Verzeichnis</a>" in html


@pytest.mark.django_db
def test_unsupported_browser_language_falls_back_to_english(client):
    response = client.get("/", headers={"accept-language": "pt-PT,pt;q=0.9"})

    assert response.headers["Content-Language"] == "en"
    assert ">Skip to main content</a>" in _html(response)


# --- Dates and numbers --------------------------------------------------------------------


@pytest.fixture
def labelled_organisation(db):
    organisation = OrganisationFactory(name="Mobility Valley Bavaria", member_employees=12_500)
    LabelFactory(
        organisation=organisation,
        assessed_on=dt.date(2025, 3, 1),
        valid_until=dt.date(2031, 3, 1),
    )
    return organisation


@pytest.mark.parametrize(
    ("language", "employees", "valid_until", "heading"),
    [
        ("en", "employing 12,500 people", "1 March 2031", "Cluster Management Excellence labels"),
        (
            "fr",
            f"employant 12{NBSP}500 personnes",
            "1 mars 2031",
            "Labels Cluster Management Excellence",
        ),
        ("de", "mit 12.500 Beschäftigten", "1. März 2031", "Cluster-Management-Excellence-Labels"),
    ],
)
def test_organisation_page_localises_text_numbers_and_dates(
    client, labelled_organisation, language, employees, valid_until, heading
):
    response = client.get(
        labelled_organisation.get_absolute_url(), headers={"accept-language": language}
    )

    html = _html(response)
    assert f'<h2 id="labels-title">{heading}</h2>' in html
    assert employees in html
    assert f"<td>{valid_until}" in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Monday 4 May 2026 · Monday 4 May 2026, 17:00 · Mon 4 May, 17:00"),
        ("fr", "lundi 4 mai 2026 · lundi 4 mai 2026, 17:00 · lun 4 mai, 17:00"),
        ("de", "Montag, 4. Mai 2026 · Montag, 4. Mai 2026, 17:00 · Mo, 4. Mai, 17:00"),
    ],
)
def test_weekday_dates_follow_the_language(settings, language, expected):
    settings.TIME_ZONE = "Europe/Brussels"
    template = Template(
        "{% load portal %}{{ day|weekday_date }} · {{ moment|weekday_datetime }} · "
        "{{ moment|short_weekday_datetime }}"
    )
    context = Context(
        {"day": dt.date(2026, 5, 4), "moment": dt.datetime(2026, 5, 4, 15, 0, tzinfo=dt.UTC)}
    )

    with translation.override(language):
        assert template.render(context) == expected


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_date_inputs_carry_iso_dates_in_every_language(db, language):
    label = LabelFactory(assessed_on=dt.date(2025, 3, 1), valid_until=dt.date(2031, 3, 1))
    events = EventFilterForm(initial={"date_from": dt.date(2026, 5, 4)})

    with translation.override(language):
        html = str(LabelForm(instance=label)) + str(events["date_from"])

    assert 'type="date" name="assessed_on" value="2025-03-01"' in html
    assert 'type="date" name="valid_until" value="2031-03-01"' in html
    assert 'type="date" name="date_from" value="2026-05-04"' in html
