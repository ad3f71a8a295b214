from django.db import migrations


class Migration(migrations.Migration):
    """Scorecard is scoring's model now (scoring 0001): only Django's idea of it moves; its table stays."""

    dependencies = [
        ("drills", "0003_bots_check_ms"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Scorecard")],
            database_operations=[],
        ),
    ]
