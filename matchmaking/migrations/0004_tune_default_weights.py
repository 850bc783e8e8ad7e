from django.db import migrations

# Frozen copies, as in 0002: the default profile as shipped there, and as tuned on the planted
# demo partnerships. A profile staff have edited since is left alone.
SHIPPED = dict(
    cross_sector=0.25,
    shared_focus=0.10,
    value_chain=0.15,
    s3_objectives=0.10,
    text=0.15,
    international=0.10,
    strength=0.15,
    duplicate=0.50,
)
TUNED = dict(
    cross_sector=0.10,
    shared_focus=0.05,
    value_chain=0.05,
    s3_objectives=0.10,
    text=0.35,
    international=0.30,
    strength=0.05,
    duplicate=0.50,
)


def move(apps, before, after):
    WeightProfile = apps.get_model("matchmaking", "WeightProfile")
    WeightProfile.objects.filter(slug="default", **before).update(**after)


def tune(apps, schema_editor):
    move(apps, SHIPPED, TUNED)


def untune(apps, schema_editor):
    move(apps, TUNED, SHIPPED)


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0003_run_chunks_sets_feedback")]

    operations = [migrations.RunPython(tune, untune)]
