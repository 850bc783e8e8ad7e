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

from .lexicon import (
    COMPOUNDING,
    CONCEPT_KEY,
    CONCEPT_SHARE,
    DEFAULT_LANGUAGE,
    DETECTION_TOKENS,
    LANGUAGES,
    LEXICON_FILE,
    MIN_COMPOUND_PART,
    MIN_STOP_WORDS,
    MIN_SUBJECT_WORD,
    PARENT_WEIGHT,
    TOKEN_RE,
    Lexicon,
    lexicon,
    stop_words,
)
from .reading import READ_MEMO_SIZE, Analysis, analyse, detect_language, language
from .vectors import bucket, shared_terms, term_idf, terms_of, text_vectors

__all__ = [
    "Analysis",
    "COMPOUNDING",
    "CONCEPT_KEY",
    "CONCEPT_SHARE",
    "DEFAULT_LANGUAGE",
    "DETECTION_TOKENS",
    "LANGUAGES",
    "LEXICON_FILE",
    "Lexicon",
    "MIN_COMPOUND_PART",
    "MIN_STOP_WORDS",
    "MIN_SUBJECT_WORD",
    "PARENT_WEIGHT",
    "READ_MEMO_SIZE",
    "TOKEN_RE",
    "analyse",
    "bucket",
    "detect_language",
    "language",
    "lexicon",
    "shared_terms",
    "stop_words",
    "term_idf",
    "terms_of",
    "text_vectors",
]
