from django.db import migrations, models


def check_bots_now(apps, schema_editor):
    # Drills that already have bots may have replies waiting at a bot's step: let the engine look at once.
    Drill = apps.get_model("drills", "Drill")
    Drill.objects.exclude(status="finished").exclude(bots=[]).update(bots_check_ms=0)


class Migration(migrations.Migration):
    dependencies = [
        ("drills", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="drill",
            name="bots_check_ms",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(check_bots_now, migrations.RunPython.noop),
    ]
