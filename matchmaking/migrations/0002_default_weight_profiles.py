from django.db import migrations

# Frozen copies of matchmaking.enums.DEFAULT_WEIGHT_PROFILES as shipped: a migration must mean
# the same thing whenever it runs, whatever later edits the constants get.
PROFILES = {
    "default": (
        "Default",
        dict(cross_sector=0.25, shared_focus=0.10, value_chain=0.15, s3_objectives=0.10,
             text=0.15, international=0.10, strength=0.15, duplicate=0.50),
    ),
    "internationalisation": (
        "Internationalisation calls",
        dict(cross_sector=0.15, shared_focus=0.10, value_chain=0.20, s3_objectives=0.05,
             text=0.10, international=0.30, strength=0.10, duplicate=0.50),
    ),
    "smart_specialisation": (
        "Smart-specialisation calls",
        dict(cross_sector=0.25, shared_focus=0.15, value_chain=0.10, s3_objectives=0.25,
             text=0.10, international=0.05, strength=0.10, duplicate=0.50),
    ),
}


def create_profiles(apps, schema_editor):
    WeightProfile = apps.get_model("matchmaking", "WeightProfile")
    for slug, (name, weights) in PROFILES.items():
        WeightProfile.objects.get_or_create(slug=slug, defaults={"name": name, **weights})


def delete_profiles(apps, schema_editor):
    apps.get_model("matchmaking", "WeightProfile").objects.filter(
        slug__in=PROFILES, runs__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0001_initial")]

    operations = [migrations.RunPython(create_profiles, delete_profiles)]
