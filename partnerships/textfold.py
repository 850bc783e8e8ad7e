"""Accent- and case-folded text, so that SQLite searches as PostgreSQL's portal_search
configuration does: "wroclaw" and "WROCŁAW" both find Wrocław."""

import unicodedata

# Letters that carry no combining mark to strip: a stroke or a ligature is part of the glyph.
SPECIAL_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})


def fold_text(value):
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(value).casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(SPECIAL_LETTERS)


def register_on_sqlite(sender, connection, **kwargs):
    """connection_created receiver: SQLite queries may call fold_text(column)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("fold_text", 1, fold_text, deterministic=True)
