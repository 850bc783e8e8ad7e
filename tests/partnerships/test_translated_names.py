"""Sector, industry, ecosystem, value-chain, S3 and country names, and the titles of calls and
events, in the visitor's language, with the English text where a translation is missing."""

import importlib
import json

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from partnerships.models import (
    Call,
    Country,
    Ecosystem,
    PolicyObjective,
    S3Priority,
    SectoralIndustry,
    ValueChainPosition,
)
from partnerships.models.localised import TRANSLATED_LANGUAGES, localised
from partnerships.reference import DATA_DIR, TAXONOMY_FILES, load_reference_data, read_data_file
from tests.factories import (
    CallFactory,
    CountryFactory,
    EcosystemFactory,
    EmergingIndustryFactory,
    EventFactory,
    OrganisationFactory,
    PolicyObjectiveFactory,
    RegionFactory,
    S3PriorityFactory,
    SectoralIndustryFactory,
    StaffFactory,
    ValueChainPositionFactory,
)
from tests.partnerships.test_call_manage import call_data

pytestmark = pytest.mark.django_db
migration = importlib.import_module(
    "partnerships.migrations.0014_translated_taxonomy_and_call_titles"
)
DIRECTORY = reverse("partnerships:organisation-list")


def get(client, url, language, **extra):
    client.cookies["django_language"] = language
    return client.get(url, **extra)


def labels(response, group):
    return [option.label for option in response.context["facets"][group]]


@pytest.fixture
def germany():
    return CountryFactory(code="DE", name="Germany", name_fr="Allemagne", name_de="Deutschland")


@pytest.fixture
def profile(germany):
    """A verified cluster with one of each taxonomy, the sector left untranslated in German."""
    region = RegionFactory(code="DE21", name="Oberbayern", country=germany)
    objective = PolicyObjectiveFactory(
        name="Green transition", name_fr="Transition verte", name_de="Grüner Wandel"
    )
    organisation = OrganisationFactory(
        region=region,
        sectoral_industries=[
            SectoralIndustryFactory(name="Automotive", name_fr="Automobile", name_de="")
        ],
        emerging_industries=[
            EmergingIndustryFactory(
                name="Mobility Technologies",
                name_fr="Technologies de la mobilité",
                name_de="Mobilitätstechnologien",
            )
        ],
        ecosystems=[EcosystemFactory(name="Health", name_fr="Santé", name_de="Gesundheit")],
    )
    organisation.value_chain_positions.set(
        [ValueChainPositionFactory(name="Research", name_fr="Recherche", name_de="Forschung")]
    )
    organisation.policy_objectives.set([objective])
    organisation.s3_priorities.set(
        [
            S3PriorityFactory(
                region=region,
                title="Smart industry",
                title_fr="Industrie intelligente",
                title_de="Intelligente Industrie",
                policy_objective=objective,
            )
        ]
    )
    return organisation


def test_every_portal_language_but_english_has_its_columns():
    others = tuple(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)

    assert others == TRANSLATED_LANGUAGES
    for model in (Country, SectoralIndustry, Ecosystem, ValueChainPosition, PolicyObjective):
        assert {f"name_{code}" for code in others} <= {f.name for f in model._meta.fields}
    assert {f"title_{code}" for code in others} <= {f.name for f in S3Priority._meta.fields}


def test_a_missing_translation_reads_the_english_text():
    sector = SectoralIndustryFactory.build(name="Automotive", name_fr="Automobile", name_de="")

    with translation.override("fr"):
        assert (sector.localised_name, str(sector)) == ("Automobile", "Automobile")
    with translation.override("de"):
        assert (sector.localised_name, str(sector)) == ("Automotive", "Automotive")
    with translation.override("fr-be"):
        assert sector.localised_name == "Automobile"
    assert localised({"name": "Automotive", "name_fr": "Automobile"}, "name", "de") == "Automotive"


@pytest.mark.parametrize(
    ("language", "sectors", "countries"),
    [
        ("en", ["Automotive", "Health care"], ["Germany", "Greece"]),
        ("fr", ["Automobile", "Soins de santé"], ["Allemagne", "Grèce"]),
        # Untranslated in German, "Health care" keeps its English name and sorts as it.
        ("de", ["Fahrzeugbau", "Health care"], ["Deutschland", "Griechenland"]),
    ],
)
def test_directory_facets_name_and_sort_in_the_visitors_language(
    client, germany, language, sectors, countries
):
    greece = CountryFactory(
        code="EL", iso_code="GR", name="Greece", name_fr="Grèce", name_de="Griechenland"
    )
    automotive = SectoralIndustryFactory(
        name="Automotive", name_fr="Automobile", name_de="Fahrzeugbau"
    )
    health = SectoralIndustryFactory(name="Health care", name_fr="Soins de santé", name_de="")
    OrganisationFactory(region=RegionFactory(country=germany), sectoral_industries=[automotive])
    OrganisationFactory(region=RegionFactory(country=greece), sectoral_industries=[health])

    response = get(client, DIRECTORY, language)

    assert (labels(response, "sector"), labels(response, "country")) == (sectors, countries)


def test_directory_rows_name_sectors_and_country_in_the_visitors_language(client, germany):
    OrganisationFactory(
        city="Munich",
        region=RegionFactory(code="DE21", name="Oberbayern", country=germany),
        sectoral_industries=[
            SectoralIndustryFactory(name="Automotive", name_fr="Automobile", name_de="")
        ],
    )

    french = get(client, DIRECTORY, "fr").content.decode()
    german = get(client, DIRECTORY, "de").content.decode()

    assert "Munich, Oberbayern, Allemagne" in french
    assert '<li class="tag">Automobile</li>' in french
    assert "Munich, Oberbayern, Deutschland" in german
    assert '<li class="tag">Automotive</li>' in german


def test_french_facets_follow_french_alphabetical_order(client, germany):
    # English order: Apparel, Energy; French order: Énergie, Habillement.
    apparel = SectoralIndustryFactory(name="Apparel", name_fr="Habillement", name_de="Bekleidung")
    energy = SectoralIndustryFactory(name="Energy", name_fr="Énergie", name_de="Energie")
    OrganisationFactory(region=RegionFactory(country=germany), sectoral_industries=[apparel])
    OrganisationFactory(region=RegionFactory(country=germany), sectoral_industries=[energy])

    assert labels(get(client, DIRECTORY, "en"), "sector") == ["Apparel", "Energy"]
    assert labels(get(client, DIRECTORY, "fr"), "sector") == ["Énergie", "Habillement"]
    assert labels(get(client, DIRECTORY, "de"), "sector") == ["Bekleidung", "Energie"]


@pytest.mark.parametrize(
    ("language", "shown", "absent"),
    [
        (
            "fr",
            [
                '<li class="tag">Automobile</li>',
                '<li class="tag">Santé</li>',
                '<li class="tag">Recherche</li>',
                '<li class="tag">Transition verte</li>',
                "<strong>Technologies de la mobilité</strong>",
                "<strong>Industrie intelligente</strong>",
                "(DE21, Transition verte)",
                "Oberbayern (DE21), Allemagne",
            ],
            ["Green transition", "Smart industry", "Germany"],
        ),
        (
            "de",
            [
                # No German name for this sector: the English one, not an empty tag.
                '<li class="tag">Automotive</li>',
                '<li class="tag">Gesundheit</li>',
                '<li class="tag">Forschung</li>',
                '<li class="tag">Grüner Wandel</li>',
                "<strong>Mobilitätstechnologien</strong>",
                "<strong>Intelligente Industrie</strong>",
                "Oberbayern (DE21), Deutschland",
            ],
            ["Green transition", "Smart industry", "Germany"],
        ),
        (
            "en",
            [
                '<li class="tag">Automotive</li>',
                '<li class="tag">Green transition</li>',
                "<strong>Smart industry</strong>",
                "Oberbayern (DE21), Germany",
            ],
            ["Automobile", "Deutschland"],
        ),
    ],
)
def test_organisation_page_names_its_taxonomy_in_the_visitors_language(
    client, profile, language, shown, absent
):
    html = get(client, profile.get_absolute_url(), language).content.decode()

    assert [text for text in shown if text not in html] == []
    assert [text for text in absent if text in html] == []


def test_calls_list_and_page_show_the_title_in_the_visitors_language(client):
    translated = CallFactory(
        title="Clusters for the green transition",
        title_fr="Des clusters pour la transition verte",
        title_de="Cluster für den grünen Wandel",
        description="Partnerships across regions.",
        description_fr="Des partenariats entre régions.",
    )
    english_only = CallFactory(title="Digital clusters")
    listing = reverse("partnerships:call-list")

    french = get(client, listing, "fr").content.decode()
    german = get(client, listing, "de").content.decode()
    english = get(client, listing, "en").content.decode()
    page = get(client, translated.get_absolute_url(), "fr").content.decode()

    assert ("Des clusters pour la transition verte" in french, "Digital clusters" in french) == (
        True,
        True,
    )
    assert ("Cluster für den grünen Wandel" in german, "Clusters for the" in german) == (
        True,
        False,
    )
    assert "Clusters for the green transition" in english
    assert "<h1>Des clusters pour la transition verte</h1>" in page
    assert "Des partenariats entre régions." in page
    assert english_only.localised_title == "Digital clusters"


def test_event_page_and_api_speak_the_visitors_language(client):
    sector = SectoralIndustryFactory(name="Automotive", name_fr="Automobile", name_de="Fahrzeugbau")
    event = EventFactory(
        title="Cluster matchmaking days",
        title_fr="Journées de rencontres des clusters",
        title_de="",
        description="Meetings between clusters.",
        description_de="Treffen zwischen Clustern.",
        country=CountryFactory(code="BE", name="Belgium", name_fr="Belgique", name_de="Belgien"),
    )
    event.sectoral_industries.set([sector])

    french = get(client, event.get_absolute_url(), "fr").content.decode()
    german = get(client, event.get_absolute_url(), "de").content.decode()
    api = get(client, f"/api/v1/events/{event.pk}/", "fr", HTTP_ACCEPT_LANGUAGE="fr").json()

    assert [
        text in french
        for text in (
            "<h1>Journées de rencontres des clusters</h1>",
            ", Belgique",
            '<li class="tag">Automobile</li>',
            "Meetings between clusters.",
        )
    ] == [True] * 4
    # No German title: the English one; the German description and names are there.
    assert [
        text in german
        for text in (
            "<h1>Cluster matchmaking days</h1>",
            ", Belgien",
            '<li class="tag">Fahrzeugbau</li>',
            "Treffen zwischen Clustern.",
        )
    ] == [True] * 4
    assert (api["title"], api["description"]) == (
        "Journées de rencontres des clusters",
        "Meetings between clusters.",
    )


def test_shipped_taxonomies_are_translated_in_full():
    missing = [
        (name, row["slug"], language)
        for name in TAXONOMY_FILES
        for row in read_data_file(name)
        for language in TRANSLATED_LANGUAGES
        if not row.get(f"name_{language}", "").strip()
    ]
    missing += [
        ("s3_priorities", row["title"], language)
        for row in read_data_file("s3_priorities")["priorities"]
        for language in TRANSLATED_LANGUAGES
        if not row.get(f"title_{language}", "").strip()
    ]

    assert missing == []


def test_loading_the_reference_data_names_countries_from_iso_3166():
    load_reference_data()

    names = {
        code: (fr, de)
        for code, fr, de in Country.objects.filter(
            code__in=["EL", "UK", "DE", "TW", "XK"]
        ).values_list("code", "name_fr", "name_de")
    }
    sector = SectoralIndustry.objects.get(slug="automotive")

    assert names == {
        "DE": ("Allemagne", "Deutschland"),
        "EL": ("Grèce", "Griechenland"),
        "UK": ("Royaume-Uni", "Vereinigtes Königreich"),
        "TW": ("Taïwan", "Taiwan"),
        # ISO 3166 lists no Kosovo: the English name shows in every language.
        "XK": ("", ""),
    }
    assert (sector.name, sector.name_fr, sector.name_de) == (
        "Automotive",
        "Automobile",
        "Automobilindustrie",
    )
    with translation.override("de"):
        assert str(Country.objects.get(code="XK")) == "Kosovo"


def test_a_file_without_translations_still_loads(tmp_path):
    for path in DATA_DIR.glob("*.json"):
        rows = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(rows, list):
            rows = [
                {k: v for k, v in row.items() if k not in ("name_fr", "name_de")} for row in rows
            ]
        (tmp_path / path.name).write_text(json.dumps(rows), encoding="utf-8")

    load_reference_data(data_dir=tmp_path)

    sector = SectoralIndustry.objects.get(slug="automotive")
    assert (sector.name_fr, sector.name_de) == ("", "")


def test_the_migration_fills_only_empty_translations_and_keeps_the_rest():
    load_reference_data()
    SectoralIndustry.objects.filter(slug="automotive").update(
        name="Cars and trucks", name_fr="", name_de="Autos (eigene Übersetzung)"
    )
    SectoralIndustry.objects.filter(slug="forestry").update(name_fr="", name_de="")
    Country.objects.filter(code="EL").update(name_fr="", name_de="")
    S3Priority.objects.update(title_fr="", title_de="")
    custom = SectoralIndustryFactory(slug="local-crafts", name="Local crafts")

    migration.fill_translations(apps, None)

    automotive = SectoralIndustry.objects.get(slug="automotive")
    assert (automotive.name, automotive.name_fr, automotive.name_de) == (
        "Cars and trucks",
        "Automobile",
        "Autos (eigene Übersetzung)",
    )
    assert SectoralIndustry.objects.filter(slug="forestry").values_list(
        "name_fr", "name_de"
    ).get() == ("Sylviculture", "Forstwirtschaft")
    assert Country.objects.filter(code="EL").values_list("name_fr", "name_de").get() == (
        "Grèce",
        "Griechenland",
    )
    assert S3Priority.objects.filter(title_fr="").count() == 0
    custom.refresh_from_db()
    assert (custom.name, custom.name_fr, custom.name_de) == ("Local crafts", "", "")


def test_staff_give_a_call_its_french_and_german_title_in_the_call_form(client):
    client.force_login(StaffFactory())
    data = call_data(
        title_fr="Partenariats stratégiques de clusters 2027",
        title_de="Strategische Clusterpartnerschaften 2027",
        description_fr="Des partenariats pour la spécialisation intelligente.",
        description_de="",
    )

    form = client.get(reverse("partnerships:call-create")).content.decode()
    response = client.post(reverse("partnerships:call-create"), data)

    call = Call.objects.get(reference="escp-s3-2027")
    assert [f'name="{name}"' in form for name in ("title_fr", "title_de", "description_fr")] == [
        True
    ] * 3
    assert response.status_code == 302
    assert (call.title, call.title_fr, call.title_de, call.description_de) == (
        "Strategic cluster partnerships 2027",
        "Partenariats stratégiques de clusters 2027",
        "Strategische Clusterpartnerschaften 2027",
        "",
    )
    with translation.override("de"):
        # No German description: the English one.
        assert call.localised_description == "Partnerships for smart specialisation investments."


def test_the_back_office_offers_the_translated_titles(admin_client):
    event = EventFactory()
    call = CallFactory()

    event_form = admin_client.get(reverse("admin:events_event_change", args=[event.pk]))
    call_form = admin_client.get(reverse("admin:partnerships_call_change", args=[call.pk]))

    for response, names in (
        (event_form, ("title_fr", "title_de", "description_fr", "description_de")),
        (call_form, ("title_fr", "title_de", "description_fr", "description_de")),
    ):
        html = response.content.decode()
        assert [name for name in names if f'name="{name}"' not in html] == []
