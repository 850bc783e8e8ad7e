"""Reading one text: its language, tokens, lemmas and concepts (memoised)."""

import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import simplemma

from .lexicon import (
    COMPOUNDING,
    CONCEPT_KEY,
    DEFAULT_LANGUAGE,
    DETECTION_TOKENS,
    LANGUAGES,
    MIN_COMPOUND_PART,
    MIN_STOP_WORDS,
    TOKEN_RE,
    _stop_words_by_token,
    lexicon,
    stop_words,
)


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
