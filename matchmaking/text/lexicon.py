"""The word lists: the concept lexicon, subject words and stop words by language."""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from stop_words import get_stop_words

LEXICON_FILE = Path(__file__).resolve().parent.parent / "data" / "lexicon.json"


# The stop-word lists of the `stop-words` package for EU languages that simplemma lemmatises,
# by ISO 639-1 code.
LANGUAGES = {
    "en": "english",
    "bg": "bulgarian",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "sk": "slovak",
    "sv": "swedish",
}


DEFAULT_LANGUAGE = "en"


# Languages that glue nouns into compounds; a compound unknown to the lexicon may still end
# or start with a word it knows ("Lithiumbatterie", "Batteriezelle").
COMPOUNDING = frozenset({"de"})


MIN_COMPOUND_PART = 5


# Enough stop words to tell the language of a description; reading further changes nothing.
DETECTION_TOKENS = 60


# One stray hit ("information" is a Czech stop word too) does not make an English keyword
# list Czech; a sentence in any language has several.
MIN_STOP_WORDS = 2


CONCEPT_SHARE = 0.7


MIN_SUBJECT_WORD = 4


PARENT_WEIGHT = 0.5


TOKEN_RE = re.compile(r"[^\W_]{2,}")


CONCEPT_KEY = "concept:"


@dataclass(frozen=True)
class Lexicon:
    """The lexicon file, read once: concept ids, their taxonomy entries, terms by language."""

    columns: tuple[str, ...]  # concept ids, then taxonomy entries, in column order
    parents: Mapping[str, tuple[str, ...]]
    terms: Mapping[str, Mapping[str, tuple[str, ...]]]  # language -> concept -> raw terms
    generic: Mapping[str, frozenset[str]]

    @property
    def width(self):
        return len(self.columns)


@cache
def lexicon():
    with open(LEXICON_FILE, encoding="utf-8") as handle:
        data = json.load(handle)
    concepts = data["concepts"]
    ids = [entry["id"] for entry in concepts]
    parents = {entry["id"]: tuple(entry["taxonomy"]) for entry in concepts}
    taxonomy = sorted({slug for entry in concepts for slug in entry["taxonomy"]} - set(ids))
    terms = {}
    for entry in concepts:
        for language in LANGUAGES:
            for term in entry.get(language, ()):
                terms.setdefault(language, {}).setdefault(entry["id"], []).append(term)
    return Lexicon(
        columns=(*ids, *taxonomy),
        parents=parents,
        terms={lang: {k: tuple(v) for k, v in by.items()} for lang, by in terms.items()},
        generic={lang: frozenset(words) for lang, words in data["generic"].items()},
    )


@cache
def _subject_words():
    """language -> words of MIN_SUBJECT_WORD letters or more that its lexicon terms use."""
    return {
        language: frozenset(
            token
            for terms in by_concept.values()
            for term in terms
            for token in TOKEN_RE.findall(term.lower())
            if len(token) >= MIN_SUBJECT_WORD
        )
        for language, by_concept in lexicon().terms.items()
    }


@cache
def _stop_words_by_token():
    """token -> the languages whose stop-word list holds it, subject words of any language
    left out: the Czech list holds "design", which tells nothing about a text's language."""
    subjects = frozenset().union(*_subject_words().values())
    found = {}
    for code, name in LANGUAGES.items():
        for word in get_stop_words(name):
            if word.lower() not in subjects:
                found.setdefault(word.lower(), []).append(code)
    return {word: tuple(codes) for word, codes in found.items()}


@cache
def stop_words(language):
    """Stop words of `language` with the lexicon's generic words: never similar, never quoted.

    The package's English list is long and holds content words ("research", "information",
    "system"); a word of four letters or more that a lexicon term of the language uses is a
    subject, so it is kept. Shorter ones ("de" in "stockage de l'énergie") stay stop words.
    """
    words = {w.lower() for w in get_stop_words(LANGUAGES.get(language, LANGUAGES["en"]))}
    subject = _subject_words().get(language, frozenset())
    return frozenset((words - subject) | lexicon().generic.get(language, frozenset()))
