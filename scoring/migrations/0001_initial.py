import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Takes over drills' Scorecard (drills 0004) with its table, `drills_scorecard`: no data moves."""

    initial = True

    dependencies = [
        ("drills", "0004_scorecard_moves_to_scoring"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Scorecard",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("data", models.JSONField()),
                        ("last_seq", models.PositiveIntegerField()),
                        ("computed_at", models.DateTimeField(auto_now=True)),
                        (
                            "drill",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="scorecard",
                                to="drills.drill",
                            ),
                        ),
                    ],
                    options={"db_table": "drills_scorecard"},
                ),
            ],
            database_operations=[],
        ),
    ]
