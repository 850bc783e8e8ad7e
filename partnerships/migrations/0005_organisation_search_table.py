"""A narrow side table of the verified organisations' search vectors, for the directory search.

A search must return every matching id (the facet counts need them all), and on the wide
organisation table that means reading a heap page per match: about 10,500 pages for a common
word at 100,000 organisations. This table holds only (id, vector) of verified organisations,
so the same search reads about 6,300 pages, none of them spent on other columns or drafts.
Triggers rather than service code keep it in step, so rows that seed_demo writes with COPY,
validation changes and deletions all reach it. PostgreSQL only: SQLite uses icontains.
"""

from django.db import migrations

TABLE = "partnerships_organisation"
SEARCH = "partnerships_organisation_search"

FORWARD = [
    f"""
    CREATE TABLE {SEARCH} (
        organisation_id bigint PRIMARY KEY,
        vector tsvector NOT NULL
    )
    """,
    f"""
    CREATE FUNCTION partnerships_organisation_search_sync() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM {SEARCH} WHERE organisation_id = OLD.id;
        ELSIF NEW.validation_state = 'verified' THEN
            INSERT INTO {SEARCH} (organisation_id, vector)
            VALUES (NEW.id, coalesce(NEW.search_vector, ''::tsvector))
            ON CONFLICT (organisation_id) DO UPDATE SET vector = EXCLUDED.vector;
        ELSE
            DELETE FROM {SEARCH} WHERE organisation_id = NEW.id;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    # AFTER triggers see the vector that the BEFORE trigger of migration 0003 computed.
    f"""
    CREATE TRIGGER partnerships_organisation_search_insert
    AFTER INSERT ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION partnerships_organisation_search_sync()
    """,
    f"""
    CREATE TRIGGER partnerships_organisation_search_update
    AFTER UPDATE ON {TABLE}
    FOR EACH ROW
    WHEN (OLD.validation_state IS DISTINCT FROM NEW.validation_state
          OR OLD.search_vector IS DISTINCT FROM NEW.search_vector)
    EXECUTE FUNCTION partnerships_organisation_search_sync()
    """,
    f"""
    CREATE TRIGGER partnerships_organisation_search_delete
    AFTER DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION partnerships_organisation_search_sync()
    """,
    # No foreign key: Django's flush truncates the tables it knows, and a key pointing at the
    # organisation table would make that fail. A TRUNCATE trigger empties this table instead.
    f"""
    CREATE FUNCTION partnerships_organisation_search_truncate() RETURNS trigger AS $$
    BEGIN
        TRUNCATE {SEARCH};
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER partnerships_organisation_search_truncate
    AFTER TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION partnerships_organisation_search_truncate()
    """,
    f"""
    INSERT INTO {SEARCH} (organisation_id, vector)
    SELECT id, coalesce(search_vector, ''::tsvector) FROM {TABLE}
    WHERE validation_state = 'verified'
    """,
    f"CREATE INDEX organisation_search_vector_gin ON {SEARCH} USING gin (vector)",
    f"ANALYZE {SEARCH}",
]

BACKWARD = [
    f"DROP TRIGGER IF EXISTS partnerships_organisation_search_truncate ON {TABLE}",
    f"DROP TRIGGER IF EXISTS partnerships_organisation_search_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS partnerships_organisation_search_update ON {TABLE}",
    f"DROP TRIGGER IF EXISTS partnerships_organisation_search_insert ON {TABLE}",
    "DROP FUNCTION IF EXISTS partnerships_organisation_search_truncate()",
    "DROP FUNCTION IF EXISTS partnerships_organisation_search_sync()",
    f"DROP TABLE IF EXISTS {SEARCH}",
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
        ("partnerships", "0004_call_callstage_evaluationcriterion_and_more"),
    ]

    operations = [
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
