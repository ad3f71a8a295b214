"""The template's name and kind as the reply was drafted (the scorecard names them even after the template changes);
replies drafted before keep what their template says now."""

from django.db import migrations, models


def copy_from_templates(apps, schema_editor):
    Response = apps.get_model("drills", "Response")
    for response in Response.objects.filter(template__isnull=False).select_related("template").iterator():
        response.template_name = response.template.name
        response.template_kind = response.template.kind
        response.save(update_fields=["template_name", "template_kind"])


class Migration(migrations.Migration):
    dependencies = [
        ("drills", "0007_response_template_response_template_filled"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="template_name",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="response",
            name="template_kind",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
        migrations.RunPython(copy_from_templates, migrations.RunPython.noop),
    ]
