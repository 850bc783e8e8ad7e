"""Accent-insensitive directory search: "wroclaw" finds Wrocław, and "Wrocław" still does.

PostgreSQL only: the unaccent extension, and the text search configuration portal_search,
English with accents stripped before stemming. The search trigger of migration 0003 switches
to it and every vector is rebuilt (the side table of 0005 follows through its own trigger).
SQLite folds accents in the query itself (see partnerships.directory).
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

TABLE = "partnerships_organisation"


def vector_function(config):
    return f"""
    CREATE OR REPLACE FUNCTION partnerships_organisation_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('{config}', coalesce(NEW.name, '') || ' '
                                  || coalesce(NEW.acronym, '')), 'A')
            || setweight(to_tsvector('{config}', coalesce(NEW.keywords, '')), 'B')
            || setweight(to_tsvector('{config}', coalesce(NEW.description, '')), 'C')
            || setweight(to_tsvector('{config}', coalesce(NEW.city, '')), 'D');
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """


# Naming `name` fires the vector trigger (BEFORE ... UPDATE OF name) on every row.
REBUILD = f"UPDATE {TABLE} SET name = name"

FORWARD = [
    "CREATE TEXT SEARCH CONFIGURATION portal_search (COPY = english)",
    """ALTER TEXT SEARCH CONFIGURATION portal_search
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem""",
    vector_function("portal_search"),
    REBUILD,
    f"ANALYZE {TABLE}",
]

BACKWARD = [
    vector_function("english"),
    REBUILD,
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS portal_search",
]


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0008_private_uploads"),
    ]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
