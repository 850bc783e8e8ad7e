"""Text similarity over lemmas and taxonomy concepts, in the EU languages we have word lists for.

Pure core, no Django. One text goes through:

1. tokens: runs of letters or digits, two characters or more, pure numbers dropped;
2. its language, by stop-word overlap: the language whose stop-word list (the `stop-words`
   package) holds most of its tokens; English when none does, as for a bare keyword list;
3. stop words of that language, and the generic words of the lexicon ("cluster", "member",
   "partner": every description has them), dropped; a word the lexicon uses for a subject
   stays, even where a long stop-word list holds it ("research");
4. lemmas (`simplemma`, which ships its dictionaries), lower-cased: "Batterien" -> "batterie";
5. concepts: the lexicon (data/lexicon.json) maps words and phrases of English, French and
   German (some Italian and Spanish) onto concept ids, each tied to the taxonomy entries it
   belongs to ("batterie", "Batterie", "battery" -> energy-storage -> objective:energy). Phrases
   match as lemma sequences after stop words are gone ("stockage de l'énergie" -> "stockage
   énergie", by one regular expression over the joined lemmas), German compounds by their
   longest known tail or head ("Lithiumbatterie"), and an English term inside another
   language's text still counts (software, e-commerce).

The vector the scorer multiplies (it takes dense n x d blocks, so d is fixed and modest):

    [ sqrt(CONCEPT_SHARE) * c / |c| ,  sqrt(1 - CONCEPT_SHARE) * h / |h| ]

c is TF-IDF over the lexicon's columns: one per concept and one per taxonomy entry a concept
belongs to, the latter at PARENT_WEIGHT, so "battery" and "hydrogen" meet a little in
objective:energy while "battery" and "Batterie" meet fully. h is TF-IDF over the lemmas, folded
into `lemma_dims` buckets by crc32. When both texts have both parts, their cosine is
CONCEPT_SHARE * cos(c) + (1 - CONCEPT_SHARE) * cos(h). A text with no concept keeps its whole
weight on h (rows are normalised again), so it can still match on words.

Why this split: the concept part is what lets a French or a German description on the same
subject as an English one score as similar, whatever their words; the lemma part keeps what
no lexicon knows (a technology's name, a place) for texts in the same language, at a fixed
width that does not grow with the vocabulary. With 62 concepts over 85 taxonomy entries and
64 lemma buckets, d is a little over 200. IDF keeps a concept or lemma that every organisation
uses from deciding who is similar. Lemmas and concepts are resolved once per distinct token,
so the cost is that of reading the texts; and a text read lately is not read again (an
incremental refresh encodes every profile, and all but one are unchanged).

`shared_terms` names why two texts are similar, for the explanation: the concepts, then the
lemmas, both use, the most distinctive first (by IDF when the caller has one, see
`term_idf`), in the reader's own words (the first text's), never a stop word.
"""

import hashlib
import itertools
import json
import math
import re
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import simplemma
from stop_words import get_stop_words

LEXICON_FILE = Path(__file__).resolve().parent / "data" / "lexicon.json"
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


def detect_language(tokens: Sequence[str]):
    """The language whose stop words the (lower-case) tokens use most; English unless another
    language has at least MIN_STOP_WORDS of them and more than English."""
    by_token = _stop_words_by_token()
    # Distinct tokens: a sentence uses many different stop words, a keyword list repeats one.
    counts = Counter(
        itertools.chain.from_iterable(
            map(by_token.get, set(tokens[:DETECTION_TOKENS]), itertools.repeat(()))
        )
    )
    if not counts:
        return DEFAULT_LANGUAGE
    best = max(counts.values())
    if best < MIN_STOP_WORDS or counts[DEFAULT_LANGUAGE] == best:
        return DEFAULT_LANGUAGE
    # LANGUAGES is ordered, so a tie between two others always resolves the same way.
    return next(code for code in LANGUAGES if counts[code] == best)


class _Resolved(dict):
    """token -> (lemma, concept) or None, resolving a token the first time it is read."""

    def __init__(self, resolve):
        super().__init__()
        self.resolve = resolve

    def __missing__(self, token):
        value = self[token] = self.resolve(token)
        return value


class _Language:
    """Everything resolved for one language, filled lazily and kept: token -> lemma (None for a
    stop word), and the lexicon's terms as lemma sequences."""

    def __init__(self, code):
        self.code = code
        self.stop = stop_words(code)
        self.lemmas = {}
        self.phrases = {}  # tuple of lemmas -> concept id
        for concept, terms in lexicon().terms.get(code, {}).items():
            for term in terms:
                key = tuple(self.content_lemmas(term))
                if key:
                    self.phrases.setdefault(key, concept)
        self.words = {key[0]: concept for key, concept in self.phrases.items() if len(key) == 1}
        # Phrases of two or more lemmas, found in a text's lemmas joined by spaces: one regular
        # expression, longest phrase first, so the scan runs in C and the longest one wins.
        self.phrase_concept = {
            " ".join(key): concept for key, concept in self.phrases.items() if len(key) > 1
        }
        alternatives = sorted(self.phrase_concept, key=lambda phrase: (-len(phrase), phrase))
        self.phrase_re = (
            re.compile("(?<![^ ])(?:" + "|".join(map(re.escape, alternatives)) + ")(?![^ ])")
            if alternatives
            else None
        )
        # token -> (lemma, concept of the word alone or None), or None for a stop word.
        self.resolved = _Resolved(self._resolve)

    def lemma(self, token):
        try:
            return self.lemmas[token]
        except KeyError:
            pass
        if token in self.stop or token.isdigit():
            value = None
        else:
            value = simplemma.lemmatize(token, lang=self.code).lower()
            if value in self.stop:
                value = None
        self.lemmas[token] = value
        return value

    def content_lemmas(self, text):
        lemmas = (self.lemma(token) for token in TOKEN_RE.findall(text.lower()))
        return [lemma for lemma in lemmas if lemma]

    def _resolve(self, token):
        """(lemma, concept of the word alone) of a lower-case token, or None for a stop word.

        The concept is the lexicon's for the lemma, else for the longest known tail or head
        of a compound, else the English lexicon's for the token (a loanword).
        """
        lemma = self.lemma(token)
        if not lemma:
            return None
        concept = self.words.get(lemma) or self._compound(lemma)
        if concept is None and self.code != DEFAULT_LANGUAGE:
            english = language(DEFAULT_LANGUAGE)
            english_lemma = english.lemma(token)
            concept = english.words.get(english_lemma) if english_lemma else None
        return (lemma, concept)

    def _compound(self, lemma):
        if self.code not in COMPOUNDING or len(lemma) <= MIN_COMPOUND_PART:
            return None
        for cut in range(1, len(lemma) - MIN_COMPOUND_PART + 1):
            # The tail carries the inflection: "Lithiumbatterien" ends in a plural.
            for tail in (lemma[cut:], self.lemma(lemma[cut:])):
                if tail in self.words:
                    return self.words[tail]
        for cut in range(len(lemma) - 1, MIN_COMPOUND_PART - 1, -1):
            if lemma[:cut] in self.words:
                return self.words[lemma[:cut]]
        return None


@cache
def language(code):
    return _Language(code)


@dataclass
class Analysis:
    """One text, read: its language, content lemmas in order, the concepts found, and the
    first word of the text behind each lemma and concept (for quoting it)."""

    language: str
    lemmas: list = field(default_factory=list)
    concepts: list = field(default_factory=list)
    surface: dict = field(default_factory=dict)  # lemma or CONCEPT_KEY + id -> words


def analyse(text):
    """Read one text (see the module docstring)."""
    return _read(text, quoting=True)


def _read(text, *, quoting):
    """The Analysis of `text`; its `surface` filled only when `quoting`.

    This runs over every description of a full run, so the per-token work is C-level maps,
    filters and one regular expression; Python loops only over the phrases found.
    """
    if quoting:
        spans = [(match.group(), match.start(), match.end()) for match in TOKEN_RE.finditer(text)]
        tokens = [word.lower() for word, _start, _end in spans]
    else:
        tokens = TOKEN_RE.findall(text.lower())
    code = detect_language(tokens)
    lang = language(code)
    entries = list(map(lang.resolved.__getitem__, tokens))
    if quoting:
        # Quoted as written where case carries meaning (German nouns, acronyms), else
        # lower-case, so a word that opens a sentence reads as it would inside one.
        keep_case = code == "de"
        kept = [
            (*entry, word if keep_case or word.isupper() else token, start, end)
            for entry, (word, start, end), token in zip(entries, spans, tokens, strict=True)
            if entry is not None
        ]
    else:
        kept = list(filter(None, entries))
    lemmas = [entry[0] for entry in kept]
    result = Analysis(language=code, lemmas=lemmas)
    found = []  # (first lemma, last lemma) positions of each concept, in text order
    position = 0
    if lang.phrase_re is not None and kept:
        joined = " ".join(lemmas)
        for match in lang.phrase_re.finditer(joined):
            start = joined.count(" ", 0, match.start())
            end = start + match.group().count(" ") + 1
            found.extend((k, k, kept[k][1]) for k in range(position, start) if kept[k][1])
            found.append((start, end - 1, lang.phrase_concept[match.group()]))
            position = end
    found.extend((k, k, kept[k][1]) for k in range(position, len(kept)) if kept[k][1])
    result.concepts = [concept for _first, _last, concept in found]
    if quoting:
        surface = result.surface
        for lemma, _concept, word, _start, _end in kept:
            if lemma not in surface:
                surface[lemma] = word
        for first, last, concept in found:
            # A phrase as the text has it ("energy storage"), or its words alone where stop
            # words stand inside ("Luft- und Raumfahrt" is quoted "Luft Raumfahrt"): a quote
            # never holds a stop word.
            span = text[kept[first][3] : kept[last][4]]
            if first == last or len(TOKEN_RE.findall(span)) != last - first + 1:
                span = " ".join(entry[2] for entry in kept[first : last + 1])
            surface.setdefault(CONCEPT_KEY + concept, span)
    return result


# Texts read lately, by a digest of the text: an incremental refresh encodes every profile
# again, and all but the changed one read the same. The digest keeps the texts themselves out
# of memory; past the bound the memo starts afresh, so it never holds more than this many.
READ_MEMO_SIZE = 20_000
_read_memo = {}


def _lemmas_and_concepts(text):
    key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
    found = _read_memo.get(key)
    if found is None:
        analysis = _read(text, quoting=False)
        found = (tuple(analysis.lemmas), tuple(analysis.concepts))
        if len(_read_memo) >= READ_MEMO_SIZE:
            _read_memo.clear()
        _read_memo[key] = found
    return found


def _tfidf(counts):
    """Row-normalised TF-IDF of a count matrix, and which rows are not empty."""
    document_frequency = (counts > 0).sum(axis=0)
    counts *= np.log((1 + counts.shape[0]) / (1 + document_frequency)) + 1
    norms = np.linalg.norm(counts, axis=1)
    np.divide(counts, norms[:, None], out=counts, where=norms[:, None] > 0)
    return counts, norms > 0


def bucket(lemma, dims):
    # crc32, not hash(): Python salts str hashes per process, and scores must be reproducible.
    return zlib.crc32(lemma.encode("utf-8")) % dims


@cache
def _concept_columns():
    """concept id -> its row number, and the (concepts x columns) matrix that spreads a found
    concept over its own column (1) and its taxonomy entries (PARENT_WEIGHT)."""
    lex = lexicon()
    column = {name: k for k, name in enumerate(lex.columns)}
    spread = np.zeros((len(lex.parents), lex.width))
    number = {}
    for row, (concept, parents) in enumerate(lex.parents.items()):
        number[concept] = row
        spread[row, column[concept]] = 1.0
        for parent in parents:
            spread[row, column[parent]] = PARENT_WEIGHT
    return number, spread


def text_vectors(texts: Sequence[str], *, lemma_dims=64):
    """One row per text, unit length (or zero for a text with no content word); see the module
    docstring for the two parts and their weights."""
    n = len(texts)
    number, spread = _concept_columns()
    all_lemmas, lemma_counts, all_concepts, concept_counts = [], [], [], []
    for text in texts:
        lemmas, concepts = _lemmas_and_concepts(text)
        all_lemmas.extend(lemmas)
        lemma_counts.append(len(lemmas))
        all_concepts.extend(concepts)
        concept_counts.append(len(concepts))
    rows = np.repeat(np.arange(n, dtype=np.int64), lemma_counts)
    index = {lemma: k for k, lemma in enumerate(dict.fromkeys(all_lemmas))}
    buckets = np.array([bucket(lemma, lemma_dims) for lemma in index], dtype=np.int64)
    ids = np.fromiter(map(index.__getitem__, all_lemmas), dtype=np.int64, count=len(all_lemmas))
    lemma_tf = np.bincount(
        rows * lemma_dims + buckets[ids] if len(ids) else rows, minlength=n * lemma_dims
    ).reshape(n, lemma_dims)
    rows = np.repeat(np.arange(n, dtype=np.int64), concept_counts)
    ids = np.fromiter(map(number.__getitem__, all_concepts), dtype=np.int64, count=len(rows))
    concept_tf = np.bincount(rows * len(number) + ids, minlength=n * len(number)).reshape(
        n, len(number)
    )
    concepts, has_concepts = _tfidf(concept_tf @ spread)
    lemmas, has_lemmas = _tfidf(lemma_tf.astype(np.float64))
    # The document frequency of a hashed bucket is that of the lemmas sharing it: close to the
    # lemma's own for a modest vocabulary, and the price of a fixed width.
    vectors = np.hstack(
        [math.sqrt(CONCEPT_SHARE) * concepts, math.sqrt(1 - CONCEPT_SHARE) * lemmas]
    )
    norms = np.linalg.norm(vectors, axis=1)
    # Renormalising gives a text that lacks one part the whole weight on the other.
    np.divide(vectors, norms[:, None], out=vectors, where=(has_concepts | has_lemmas)[:, None])
    return vectors


def terms_of(analysis: Analysis):
    """The keys `term_idf` and `shared_terms` count: lemmas, and concepts as CONCEPT_KEY + id."""
    return set(analysis.lemmas) | {CONCEPT_KEY + concept for concept in analysis.concepts}


def term_idf(texts: Sequence[str]):
    """Smoothed IDF, ln((1 + n) / (1 + df)) + 1, of every lemma and concept of `texts`."""
    document_frequency = {}
    for text in texts:
        for term in terms_of(analyse(text)):
            document_frequency[term] = document_frequency.get(term, 0) + 1
    n = len(texts)
    return {term: math.log((1 + n) / (1 + df)) + 1 for term, df in document_frequency.items()}


def shared_terms(text: str, other: str, *, idf: Mapping[str, float] | None = None, limit=5):
    """What both texts speak of, in `text`'s words: first the concepts both name (whatever
    the other's language), then the other lemmas both use, each group by IDF, highest first,
    then in `text`'s order; a word inside a quoted phrase is not quoted again.

    Concepts lead because they are the subjects the taxonomy knows ("advanced materials"),
    where a lone lemma may be half of a name ("vulcanised").
    """
    own, theirs = analyse(text), analyse(other)
    shared = terms_of(own) & terms_of(theirs)
    order = {term: k for k, term in enumerate(own.surface)}
    idf = idf or {}
    ranked = sorted(
        shared,
        key=lambda term: (not term.startswith(CONCEPT_KEY), -idf.get(term, 1.0), order[term]),
    )
    quoted, words = [], set()
    for term in ranked:
        surface = own.surface[term]
        parts = {part.lower() for part in surface.split()}
        if parts <= words:
            continue
        quoted.append(surface)
        words |= parts
        if len(quoted) == limit:
            break
    return quoted
