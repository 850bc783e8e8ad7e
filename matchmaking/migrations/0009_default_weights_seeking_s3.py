from django.db import migrations

# The shipped default profile weighs what a partner is sought for and shared S3 objectives
# more, and the declaration both read from (shared focus, and the value chain it gates) less
# (see matchmaking.enums). Frozen copies: the default as 0007 left it and as it is now. Only a
# default profile nobody edited changes; one staff edited keeps every weight it has.
FIELDS = (
    "cross_sector",
    "shared_focus",
    "value_chain",
    "s3_objectives",
    "seeking",
    "text",
    "international",
    "partner_interest",
    "shared_markets",
    "strength",
    "duplicate",
)
BEFORE = dict(
    cross_sector=0.25, shared_focus=0.15, value_chain=0.15, s3_objectives=0.15, seeking=0.15,
    text=0.15, international=0.25, partner_interest=0.15, shared_markets=0.10, strength=0.10,
    duplicate=0.50,
)
AFTER = dict(
    cross_sector=0.25, shared_focus=0.05, value_chain=0.10, s3_objectives=0.25, seeking=0.25,
    text=0.10, international=0.25, partner_interest=0.15, shared_markets=0.10, strength=0.10,
    duplicate=0.50,
)


def forwards(apps, schema_editor):
    WeightProfile = apps.get_model("matchmaking", "WeightProfile")
    WeightProfile.objects.filter(slug="default", **BEFORE).update(**AFTER)


def backwards(apps, schema_editor):
    WeightProfile = apps.get_model("matchmaking", "WeightProfile")
    WeightProfile.objects.filter(slug="default", **AFTER).update(**BEFORE)


class Migration(migrations.Migration):

    dependencies = [
        ("matchmaking", "0008_learning"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
