"""TF-IDF text vectors for the scorer, and the shared terms that explain a match."""

import math
import zlib
from collections.abc import Mapping, Sequence
from functools import cache

import numpy as np

from .lexicon import CONCEPT_KEY, CONCEPT_SHARE, PARENT_WEIGHT, lexicon
from .reading import Analysis, _lemmas_and_concepts, analyse


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
