import secrets

from django.db import migrations, models

import events.models

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def give_each_registration_a_badge_code(apps, schema_editor):
    Registration = apps.get_model("events", "Registration")
    used = set()
    for registration in Registration.objects.only("pk").iterator():
        code = None
        while code is None or code in used:
            raw = "".join(secrets.choice(ALPHABET) for _ in range(8))
            code = f"{raw[:4]}-{raw[4:]}"
        used.add(code)
        Registration.objects.filter(pk=registration.pk).update(badge_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0008_online_meetings"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="checked_in_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="checked in"),
        ),
        migrations.AddField(
            model_name="registration",
            name="badge_code",
            field=models.CharField(max_length=9, null=True, editable=False),
        ),
        migrations.RunPython(give_each_registration_a_badge_code, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registration",
            name="badge_code",
            field=models.CharField(
                default=events.models.new_badge_code,
                editable=False,
                max_length=9,
                unique=True,
                verbose_name="badge code",
            ),
        ),
    ]
