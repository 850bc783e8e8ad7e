import itertools
import time

import numpy as np
import pytest

from matchmaking.explain import explain
from matchmaking.features import OrganisationProfile
from matchmaking.sentences import sentence
from matchmaking.synthetic import generate_profiles, load_taxonomy
from matchmaking.text import (
    analyse,
    detect_language,
    lexicon,
    shared_terms,
    stop_words,
    term_idf,
    text_vectors,
)
from partnerships.reference import read_data_file

# The same three subjects written in three languages, as clusters would write them.
TEXTS = {
    ("storage", "en"): (
        "We bring together firms that develop batteries and energy storage systems for "
        "electric vehicles, with charging stations and smart grids."
    ),
    ("storage", "fr"): (
        "Nous réunissons des entreprises qui développent des batteries et des systèmes de "
        "stockage de l'énergie pour les véhicules électriques et les bornes de recharge."
    ),
    ("storage", "de"): (
        "Wir verbinden Unternehmen, die Batterien und Energiespeicher für Elektrofahrzeuge "
        "entwickeln, mit Ladestationen und intelligenten Stromnetzen."
    ),
    ("tourism", "en"): (
        "Our members promote sustainable tourism, hotels and the cultural heritage of the "
        "mountains to visitors from all over the world."
    ),
    ("tourism", "fr"): (
        "Nos membres font la promotion du tourisme durable, de l'hôtellerie et du patrimoine "
        "culturel de la montagne auprès des visiteurs."
    ),
    ("tourism", "de"): (
        "Unsere Mitglieder fördern den nachhaltigen Tourismus, die Hotellerie und das "
        "Kulturerbe der Berge für Besucher aus aller Welt."
    ),
    ("health", "en"): (
        "The cluster develops telemedicine, digital health and medical devices for hospitals "
        "and patients at home."
    ),
    ("health", "fr"): (
        "Le pôle développe la télémédecine, la santé numérique et des dispositifs médicaux pour "
        "les hôpitaux et les patients à domicile."
    ),
    ("health", "de"): (
        "Der Cluster entwickelt Telemedizin, digitale Gesundheit und Medizinprodukte für "
        "Krankenhäuser und Patienten zu Hause."
    ),
}
KEYS = sorted(TEXTS)


@pytest.fixture(scope="module")
def similarity():
    vectors = text_vectors([TEXTS[key] for key in KEYS])
    cosines = vectors @ vectors.T
    return {
        (first, second): cosines[i, j]
        for (i, first), (j, second) in itertools.product(enumerate(KEYS), repeat=2)
    }


@pytest.mark.parametrize(
    ("key", "language"),
    [(key, key[1]) for key in KEYS] + [(("keywords", "en"), "en")],
)
def test_detect_language_by_stop_words(key, language):
    text = TEXTS.get(key, "software, cybersecurity, information, data analytics")

    assert detect_language([word.lower() for word in text.split()]) == language


@pytest.mark.parametrize(
    ("first", "second"), list(itertools.combinations(["en", "fr", "de"], 2)) + [("en", "en")]
)
@pytest.mark.parametrize("subject", ["storage", "tourism", "health"])
def test_same_subject_in_two_languages_scores_as_similar(similarity, subject, first, second):
    same = similarity[(subject, first), (subject, second)]

    assert same > 0.5
    for other in {"storage", "tourism", "health"} - {subject}:
        assert similarity[(subject, first), (other, second)] < 0.1
        assert same > 5 * similarity[(subject, first), (other, second)]


def test_german_compounds_and_plurals_reach_their_concepts():
    analysis = analyse("Wir bauen Lithiumbatterien und Batteriezellen für Windkraftanlagen.")

    assert analysis.language == "de"
    assert analysis.concepts == ["energy-storage", "energy-storage", "renewable-energy"]


def test_an_english_loanword_counts_in_a_french_text():
    analysis = analyse("Nous accompagnons les entreprises du software et de la cybersecurity.")

    assert analysis.language == "fr"
    assert analysis.concepts == ["software", "cybersecurity"]


@pytest.mark.parametrize("language", ["en", "fr", "de"])
@pytest.mark.parametrize("subject", ["storage", "tourism", "health"])
def test_shared_terms_never_quote_a_stop_word(subject, language):
    text = TEXTS[subject, language]
    others = [TEXTS[key] for key in KEYS if key != (subject, language)]

    quoted = [shared_terms(text, other) for other in [text, *others]]

    words = {word.lower() for terms in quoted for term in terms for word in term.split()}
    assert words
    assert words & stop_words(language) == set()
    assert words & {"and", "the", "of", "et", "des", "les", "und", "die", "der", "cluster"} == set()


def test_shared_terms_are_in_the_readers_words_across_languages():
    french, german = TEXTS["storage", "fr"], TEXTS["storage", "de"]

    assert shared_terms(french, german) == ["batteries", "véhicules électriques"]
    assert shared_terms(german, french) == ["Batterien", "Elektrofahrzeuge"]


def test_shared_terms_put_the_most_distinctive_first():
    source = "Hydrogen and batteries for ports."
    partner = "Ports, batteries and hydrogen."
    crowd = ["Batteries for cars.", "Batteries for homes.", "Hydrogen buses."]

    idf = term_idf([source, partner, *crowd])

    assert shared_terms(source, partner) == ["hydrogen", "batteries", "ports"]
    assert shared_terms(source, partner, idf=idf) == ["ports", "hydrogen", "batteries"]


def test_text_vectors_are_unit_rows_of_a_modest_fixed_width():
    vectors = text_vectors(["Batteries for ports.", "", "the and of", "Qwertz zuiop."])

    assert vectors.shape == (4, lexicon().width + 64)
    assert vectors.shape[1] <= 256
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 0.0, 0.0, 1.0])
    assert vectors[3, : lexicon().width].sum() == 0


def test_lexicon_names_only_taxonomy_entries_that_exist_and_covers_three_languages():
    slugs = {
        f"{prefix}:{row['slug']}"
        for prefix, name in (
            ("sector", "sectoral_industries"),
            ("emerging", "emerging_industries"),
            ("ecosystem", "ecosystems"),
            ("objective", "policy_objectives"),
        )
        for row in read_data_file(name)
    }
    lex = lexicon()

    assert {slug for parents in lex.parents.values() for slug in parents} <= slugs
    assert all(lex.parents.values())
    for language in ("en", "fr", "de"):
        assert set(lex.terms[language]) == set(lex.parents)


def test_explain_quotes_shared_terms_in_the_sources_language():
    source = OrganisationProfile(id=1, country="FR", region="FR10", text=TEXTS["storage", "fr"])
    partner = OrganisationProfile(id=2, country="DE", region="DE11", text=TEXTS["storage", "de"])
    names = {"country": {}}

    (reason,) = explain(source, partner, {"text": 0.2}, load_taxonomy())

    assert reason.params == {"terms": ["batteries", "véhicules électriques"]}
    assert sentence(reason, names) == "similar activities (batteries, véhicules électriques)"


def test_text_vectors_of_ten_thousand_profiles_take_a_fraction_of_the_run():
    texts = [profile.text for profile in generate_profiles(10_000, seed=0)]
    text_vectors(texts[:10])  # loads the dictionaries, as a worker does once

    started = time.perf_counter()
    vectors = text_vectors(texts)
    elapsed = time.perf_counter() - started

    assert vectors.shape[0] == 10_000
    # About half a second on an idle machine; the bound leaves room for a busy one.
    assert elapsed < 4.0


def test_a_quoted_phrase_keeps_its_words_but_never_a_stop_word():
    french = "Nous faisons du stockage de l'énergie et de la construction aéronautique."
    german = "Wir machen Energiespeicher und Luft- und Raumfahrt."
    english = "We build energy storage and advanced materials."

    assert shared_terms(french, german) == ["stockage énergie", "aéronautique"]
    assert shared_terms(german, french) == ["Energiespeicher", "Luft Raumfahrt"]
    assert shared_terms(english, "Energy storage with advanced materials") == [
        "energy storage",
        "advanced materials",
    ]
