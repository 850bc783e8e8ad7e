"""The directory's search vector and the indexes that keep its searches and facets fast.

The column exists everywhere; the trigger, the backfill and the indexes are PostgreSQL only
(SQLite searches with icontains). A trigger rather than service code fills the vector, so rows
that seed_demo writes with COPY are searchable too.
"""

import django.contrib.postgres.search
from django.db import migrations

TABLE = "partnerships_organisation"
MEMBERS_TOTAL = (
    "(members_smes + members_large + members_research + members_public + members_civil)"
)

FORWARD = [
    """
    CREATE OR REPLACE FUNCTION partnerships_organisation_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('english', coalesce(NEW.name, '') || ' '
                                  || coalesce(NEW.acronym, '')), 'A')
            || setweight(to_tsvector('english', coalesce(NEW.keywords, '')), 'B')
            || setweight(to_tsvector('english', coalesce(NEW.description, '')), 'C')
            || setweight(to_tsvector('english', coalesce(NEW.city, '')), 'D');
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER partnerships_organisation_search_vector_update
    BEFORE INSERT OR UPDATE OF name, acronym, keywords, description, city ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION partnerships_organisation_search_vector()
    """,
    # Fire the trigger once for the rows that are already there.
    f"UPDATE {TABLE} SET name = name",
    f"CREATE INDEX organisation_search_gin ON {TABLE} USING gin (search_vector)",
    # The directory shows verified organisations only; partial indexes serve its sort orders.
    f"""CREATE INDEX organisation_public_name ON {TABLE} (name, id)
    WHERE validation_state = 'verified'""",
    f"""CREATE INDEX organisation_public_size ON {TABLE} (({MEMBERS_TOTAL}) DESC, name, id)
    WHERE validation_state = 'verified'""",
    f"""CREATE INDEX organisation_public_newest ON {TABLE} (created_at DESC, id DESC)
    WHERE validation_state = 'verified'""",
    # Label facets and filters look for labels still valid today, by organisation and level.
    """CREATE INDEX label_valid_organisation_level ON partnerships_label
    (valid_until, organisation_id, level)""",
    f"ANALYZE {TABLE}",
]

BACKWARD = [
    "DROP INDEX IF EXISTS label_valid_organisation_level",
    "DROP INDEX IF EXISTS organisation_public_newest",
    "DROP INDEX IF EXISTS organisation_public_size",
    "DROP INDEX IF EXISTS organisation_public_name",
    "DROP INDEX IF EXISTS organisation_search_gin",
    f"DROP TRIGGER IF EXISTS partnerships_organisation_search_vector_update ON {TABLE}",
    "DROP FUNCTION IF EXISTS partnerships_organisation_search_vector()",
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
        ("partnerships", "0002_registration"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
