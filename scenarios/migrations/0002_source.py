"""Scenarios and versions keep the author's text (PROTOCOL 1.7). Those stored before it get a generated one, and
each version's checksum is worked out again over what it now freezes: its document and that text."""

from django.db import migrations, models

from scenarios.source import checksum_of, generated_source


def generate_sources(apps, schema_editor):
    Scenario = apps.get_model("scenarios", "Scenario")
    ScenarioVersion = apps.get_model("scenarios", "ScenarioVersion")
    for scenario in Scenario.objects.filter(source="").iterator():
        scenario.source = generated_source(scenario.spec)
        scenario.save(update_fields=["source"])
    for version in ScenarioVersion.objects.filter(source="").iterator():
        version.source = generated_source(version.spec)
        version.checksum = checksum_of(version.spec, version.source)
        version.save(update_fields=["source", "checksum"])


class Migration(migrations.Migration):
    dependencies = [("scenarios", "0001_initial")]

    operations = [
        migrations.AddField(model_name="scenario", name="source", field=models.TextField(default=""), preserve_default=False),
        migrations.AddField(
            model_name="scenarioversion", name="source", field=models.TextField(default=""), preserve_default=False
        ),
        migrations.RunPython(generate_sources, migrations.RunPython.noop),
    ]
